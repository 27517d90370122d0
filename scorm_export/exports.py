"""Requesting an export from the admin or the API: who may, what can be exported, and the
write that records the request and queues the background task."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone, translation
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


@dataclass(frozen=True)
class Housekeeping:
    deleted: int
    failed: int


def tidy_exports(
    *, keep_for: timedelta, stuck_after: timedelta, now: datetime | None = None
) -> Housekeeping:
    """Delete exports requested more than `keep_for` ago (their packages go with them) and
    mark as failed the ones still queued or running after `stuck_after`: their worker
    died or was stopped, and the editor should not wait for them forever."""
    now = now or timezone.now()
    unfinished = (ScormExport.Status.QUEUED, ScormExport.Status.RUNNING)
    failed = 0
    for export in ScormExport.objects.filter(
        status__in=unfinished, created_at__lt=now - stuck_after
    ).only("pk", "language"):
        # In the language of the editor who asked, as the task writes its errors.
        with translation.override(export.language or settings.LANGUAGE_CODE):
            message = _("The export did not finish: its worker stopped. Please export again.")
        # Guarded: the export may have finished meanwhile.
        failed += ScormExport.objects.filter(pk=export.pk, status__in=unfinished).update(
            status=ScormExport.Status.FAILED, error=message, finished_at=now
        )
    # Row by row, so that each package file is deleted with its row (post_delete).
    deleted, _by_model = ScormExport.objects.filter(created_at__lt=now - keep_for).delete()
    return Housekeeping(deleted=deleted, failed=failed)
