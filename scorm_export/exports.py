"""Requesting an export from the admin or the API: who may, what can be exported, and the
write that records the request and queues the background task."""

from __future__ import annotations

import logging

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Page

from courses.models import CoursePage, ModulePage

from .models import EXPORT_PERMISSION, ScormExport
from .options import LOCALES, ExportOptions

logger = logging.getLogger(__name__)


def can_export(user: AbstractBaseUser) -> bool:
    """Editors (and administrators) export packages; they see every export (a small team
    shares them: one editor may fetch a package another one made)."""
    return user.is_authenticated and user.has_perm(EXPORT_PERMISSION)


def is_exportable_type(page: Page) -> bool:
    """A course or a module (a plain `Page` is checked by its class, without a query)."""
    return issubclass(page.specific_class or Page, CoursePage | ModulePage)


def is_module(page: Page) -> bool:
    return issubclass(page.specific_class or Page, ModulePage)


def published_languages(page: Page) -> list[str]:
    """The package languages the page is published in (itself or a translation), in the
    order of `options.LOCALES`."""
    live = set(
        page.get_translations(inclusive=True).live().values_list("locale__language_code", flat=True)
    )
    return [code for code in LOCALES if code in live]


def request_export(
    page: Page, options: ExportOptions, user: AbstractBaseUser | None
) -> ScormExport:
    """Record the export and queue its task once the transaction commits (with the
    immediate backend, in development and tests, it runs then, in the request)."""
    from .tasks import enqueue_export

    page = page.specific
    export = ScormExport.objects.create(
        page=page,
        page_title=page.title,
        version=options.version,
        locale=options.locale,
        single_sco=options.single_sco and not isinstance(page, ModulePage),
        reporting=options.reporting,
        mastery_score=options.mastery_score,
        hide_keys=options.hide_keys,
        requested_by=user if user is not None and user.is_authenticated else None,
        language=get_language() or "",
    )
    transaction.on_commit(lambda: enqueue_export(export.pk))
    return export


def options_of(export: ScormExport) -> ExportOptions:
    """The packager's options for a recorded export (raises ExportError when invalid)."""
    return ExportOptions(
        version=export.version,
        locale=export.locale,
        single_sco=export.single_sco,
        reporting=export.reporting,
        mastery_score=export.mastery_score,
        hide_keys=export.hide_keys,
    )


def generic_failure() -> str:
    return _(
        "The export failed because of an unexpected error. It has been logged; try again "
        "later or tell an administrator."
    )
