"""SCORM export in Wagtail's admin: "Export SCORM" in the "More" menus of courses and
modules, the exports' pages and menu item, and the permission in the group editor."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button

from . import admin_views
from .exports import can_export, is_exportable_type

hooks.register("register_admin_urls", admin_views.admin_urls)


def _export_button(page, user) -> Iterator[Button]:
    if is_exportable_type(page) and can_export(user):
        yield Button(
            _("Export SCORM"),
            url=admin_views.export_page_url(page),
            icon_name="download",
            priority=55,
        )


@hooks.register("register_page_listing_more_buttons")
def page_listing_more_buttons(page, user, next_url=None):
    """In the page explorer's "More" menu of each course and module."""
    yield from _export_button(page, user)


@hooks.register("register_page_header_buttons")
def page_header_buttons(page, user, view_name, next_url=None):
    """In the "More" menu of the page editor's header and of the explorer's header."""
    yield from _export_button(page, user)


class ExportsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return can_export(request.user)


@hooks.register("register_admin_menu_item")
def exports_menu_item():
    return ExportsMenuItem(
        _("SCORM exports"),
        reverse(f"{admin_views.URL_NAMESPACE}:index"),
        name="scorm-exports",
        icon_name="download",
        order=850,
    )


@hooks.register("register_permissions")
def export_permission():
    """ "Can add SCORM export" in the group editor's "Other permissions"."""
    return Permission.objects.filter(
        content_type__app_label="scorm_export", codename="add_scormexport"
    )
