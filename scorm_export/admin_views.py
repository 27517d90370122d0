"""SCORM export in Wagtail's admin: the form on a course or module, the export's status page
(with a JSON endpoint its script polls), the download, and the list of recent exports.

Every view is for users who may export (`exports.can_export`); they see every export (a
small team shares packages). Wagtail's admin sends anonymous users, and users without admin
access, to its sign-in page before these views run.
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.models import Page

from .exports import can_export, is_exportable_type, is_module, request_export
from .forms import LANGUAGE_NAMES, ExportForm
from .models import ScormExport

URL_NAMESPACE = "scorm_export"
#: How many exports the list shows, newest first.
EXPORTS_LISTED = 50


def admin_urls() -> list[URLPattern | URLResolver]:
    """Under /admin/scorm-exports/ (registered by scorm_export.wagtail_hooks)."""
    patterns = [
        path("", ExportListView.as_view(), name="index"),
        path("pages/<int:page_id>/", ExportFormView.as_view(), name="export_page"),
        path("<int:pk>/", ExportStatusView.as_view(), name="status"),
        path("<int:pk>/status.json", status_json, name="status_json"),
        path("<int:pk>/download/", download, name="download"),
    ]
    return [path("scorm-exports/", include((patterns, URL_NAMESPACE)))]


def export_page_url(page: Page) -> str:
    return reverse(f"{URL_NAMESPACE}:export_page", args=[page.pk])


def status_url(export: ScormExport) -> str:
    return reverse(f"{URL_NAMESPACE}:status", args=[export.pk])


def download_url(export: ScormExport) -> str:
    return reverse(f"{URL_NAMESPACE}:download", args=[export.pk])


def forbidden(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request,
        "scorm_export/admin/forbidden.html",
        {"page_title": _("Permission denied")},
        status=403,
    )


def describe(export: ScormExport) -> dict[str, Any]:
    """The export as the status page and its script show it."""
    return {
        "id": export.pk,
        "status": export.status,
        "status_label": str(export.get_status_display()),
        "done": export.progress_done,
        "total": export.progress_total,
        "percent": export.percent,
        "finished": export.is_finished,
        "error": export.error,
        "size": filesizeformat(export.size) if export.size else "",
        "download_url": download_url(export) if export.status == ScormExport.Status.DONE else "",
    }


class ExportsMixin:
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_export(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def exports_breadcrumbs(self, *current: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            *WagtailAdminTemplateMixin.breadcrumbs_items,
            {"url": reverse(f"{URL_NAMESPACE}:index"), "label": _("SCORM exports")},
            *current,
        ]


class ExportFormView(ExportsMixin, WagtailAdminTemplateMixin, FormView):
    """GET: the options for this course or module; POST: record the export, queue it and
    go to its status page."""

    form_class = ExportForm
    template_name = "scorm_export/admin/export_form.html"
    header_icon = "download"
    page_title = gettext_lazy("Export SCORM")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_export(request.user):
            return forbidden(request)
        page = get_object_or_404(Page, pk=kwargs["page_id"])
        if not is_exportable_type(page):
            raise Http404
        self.page = page.specific
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self) -> str:
        return self.page.get_admin_display_title()

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return self.exports_breadcrumbs(
            {
                "url": reverse("wagtailadmin_pages:edit", args=[self.page.pk]),
                "label": self.page.get_admin_display_title(),
            },
            {"url": "", "label": _("Export SCORM")},
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "page": self.page}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            page=self.page,
            is_module=is_module(self.page),
            edit_url=reverse("wagtailadmin_pages:edit", args=[self.page.pk]),
        )
        return context

    def form_valid(self, form: ExportForm) -> HttpResponse:
        export = request_export(self.page, form.cleaned_data["options"], self.request.user)
        return redirect(status_url(export))


class ExportStatusView(ExportsMixin, WagtailAdminTemplateMixin, TemplateView):
    """Progress while queued or running (a script polls `status_json` and reloads when the
    export finishes), then the download or the error."""

    template_name = "scorm_export/admin/status.html"
    header_icon = "download"
    page_title = gettext_lazy("SCORM export")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_export(request.user):
            return forbidden(request)
        self.export = get_object_or_404(
            ScormExport.objects.select_related("requested_by"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self) -> str:
        return self.export.page_title

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return self.exports_breadcrumbs({"url": "", "label": str(self.export)})

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        export = self.export
        context.update(
            export=export,
            state=describe(export),
            language=LANGUAGE_NAMES.get(export.locale, export.locale),
            status_json_url=reverse(f"{URL_NAMESPACE}:status_json", args=[export.pk]),
            download_url=download_url(export),
            export_again_url=export_page_url(export.page) if export.page_id else "",
        )
        return context


def status_json(request: HttpRequest, pk: int) -> JsonResponse:
    if not can_export(request.user):
        return JsonResponse({"detail": _("Permission denied")}, status=403)
    export = get_object_or_404(ScormExport, pk=pk)
    return JsonResponse(describe(export))


def download(request: HttpRequest, pk: int) -> HttpResponse:
    """The package, streamed from the private storage (404 until it is ready)."""
    if not can_export(request.user):
        return forbidden(request)
    export = get_object_or_404(ScormExport, pk=pk)
    return package_response(export)


def package_response(export: ScormExport) -> FileResponse:
    """The zip as an attachment; Http404 when there is none (not done, or the file was
    removed)."""
    if export.status != ScormExport.Status.DONE or not export.file:
        raise Http404
    try:
        stream = export.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(
        stream,
        as_attachment=True,
        filename=export.download_name(),
        content_type="application/zip",
    )


class ExportListView(ExportsMixin, WagtailAdminTemplateMixin, TemplateView):
    """The latest exports with their status and downloads."""

    template_name = "scorm_export/admin/index.html"
    header_icon = "download"
    page_title = gettext_lazy("SCORM exports")

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items,
            {"url": "", "label": _("SCORM exports")},
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        exports = list(ScormExport.objects.select_related("requested_by")[:EXPORTS_LISTED])
        context["rows"] = [
            {
                "export": export,
                "status_url": status_url(export),
                "download_url": download_url(export)
                if export.status == ScormExport.Status.DONE
                else "",
                "language": LANGUAGE_NAMES.get(export.locale, export.locale),
                "requested_by": (
                    export.requested_by.get_full_name() or export.requested_by.get_username()
                )
                if export.requested_by
                else "—",
            }
            for export in exports
        ]
        return context
