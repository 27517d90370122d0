"""Units and trainees in Wagtail's admin: the unit tree, trainee profiles (with "Add trainee"
creating the user too), the CSV import of trainees, a trainee's personal data (export and
erasure, lms.privacy) and course assignments.

Access follows the models' permissions (superusers have them all); the import needs the
right to add trainee profiles, the personal data the right to delete them
(`privacy.can_handle_personal_data`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, View
from wagtail.admin import messages
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import Button, HeaderButton

from . import accounts, privacy, selectors
from .forms import AssignmentForm, ImportForm, TraineeCreateForm, TraineeProfileForm, UnitForm
from .models import Assignment, TraineeProfile, Unit

IMPORT_URL_NAME = "import"
EXPORT_DATA_URL_NAME = "export_data"
ERASE_DATA_URL_NAME = "erase_data"


def _indented_name(unit: Unit) -> str:
    return format_html(
        '<span style="padding-inline-start: {}rem">{}</span>', (unit.depth - 1) * 1.5, unit.name
    )


class UnitIndexView(generic.IndexView):
    def order_queryset(self, queryset: QuerySet[Unit]) -> QuerySet[Unit]:
        # Materialised paths sort as the tree reads: each unit under its parent.
        return queryset.order_by("path")


class UnitViewSet(ModelViewSet):
    model = Unit
    name = "units"
    icon = "group"
    index_view_class = UnitIndexView
    form_fields = ["name", "code", "kind"]
    list_display = [
        Column("name", label=_("name"), accessor=_indented_name),
        "code",
        "kind",
    ]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    copy_view_enabled = False

    def get_form_class(self, for_update: bool = False) -> type[UnitForm]:
        return UnitForm


class PersonalDataActionsMixin:
    """The "Export data" and "Erase personal data" actions of a trainee profile."""

    export_data_url_name: str = ""
    erase_data_url_name: str = ""

    def personal_data_actions(
        self, button_class: type[MenuItem] | type[Button], profile: TraineeProfile
    ) -> list:
        return [
            button_class(
                label, url=reverse(url_name, args=[profile.pk]), icon_name=icon, priority=priority
            )
            for label, url_name, icon, priority in (
                (_("Export data"), self.export_data_url_name, "download", 40),
                (_("Erase personal data"), self.erase_data_url_name, "bin", 50),
            )
        ]


class TraineeIndexView(PersonalDataActionsMixin, generic.IndexView):
    import_url_name: str = ""

    def get_list_more_buttons(self, instance: TraineeProfile) -> list[MenuItem]:
        buttons = super().get_list_more_buttons(instance)
        # The model permission only: a per-row check of the account would cost a query a
        # row, and the views check the account itself.
        if self.request.user.has_perm(privacy.PERSONAL_DATA_PERMISSION):
            buttons += self.personal_data_actions(MenuItem, instance)
        return buttons

    @property
    def header_buttons(self) -> list[HeaderButton]:
        buttons = super().header_buttons
        if self.permission_policy.user_has_permission(self.request.user, "add"):
            buttons.append(
                HeaderButton(
                    _("Import from CSV"),
                    url=reverse(self.import_url_name),
                    icon_name="upload",
                )
            )
        return buttons


class TraineeImportView(WagtailAdminTemplateMixin, FormView):
    """Upload a CSV file; a dry run (the default) shows what would change, a real run writes
    it, and either lists every bad row by line number."""

    form_class = ImportForm
    template_name = "lms/accounts/import.html"
    header_icon = "upload"
    page_title = _("Import trainees")
    index_url_name: str = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm("lms.add_traineeprofile"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *super().get_breadcrumbs_items()[:-1],
            {"url": reverse(self.index_url_name), "label": TraineeViewSet.menu_label},
            {"url": "", "label": self.page_title},
        ]

    def form_valid(self, form: ImportForm) -> HttpResponse:
        report = accounts.import_trainees(
            form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"]
        )
        return TemplateResponse(
            self.request,
            self.template_name,
            self.get_context_data(form=form, report=report),
            status=200 if report.ok else 400,
        )


class TraineeEditView(PersonalDataActionsMixin, generic.EditView):
    @property
    def header_more_buttons(self) -> list[Button]:
        buttons = super().header_more_buttons
        if privacy.can_handle_personal_data(self.request.user, self.object.user):
            buttons += self.personal_data_actions(Button, self.object)
        return buttons


class TraineeDataMixin:
    """The trainee profile named in the URL, for someone who may handle its holder's
    personal data (anyone else gets 403)."""

    def dispatch(self, request: HttpRequest, pk: int, *args: Any, **kwargs: Any) -> HttpResponse:
        self.profile = get_object_or_404(TraineeProfile.objects.select_related("user"), pk=pk)
        if not privacy.can_handle_personal_data(request.user, self.profile.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class TraineeDataExportView(TraineeDataMixin, View):
    """Everything held about the trainee, as a JSON download."""

    http_method_names = ["get"]

    def get(self, request: HttpRequest) -> HttpResponse:
        user = self.profile.user
        response = JsonResponse(
            privacy.export_trainee_data(user),
            json_dumps_params={"ensure_ascii": False, "indent": 2},
        )
        response["Content-Disposition"] = f'attachment; filename="{privacy.export_filename(user)}"'
        return response


class ErasureConfirmationForm(forms.Form):
    username = forms.CharField(label=_("Type the trainee’s username to confirm"), strip=True)

    def __init__(self, *args: Any, expected_username: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.expected_username = expected_username

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if username != self.expected_username:
            raise forms.ValidationError(
                _("This is not the trainee’s username; nothing was erased."), code="mismatch"
            )
        return username


class TraineeErasureView(TraineeDataMixin, WagtailAdminTemplateMixin, FormView):
    """What erasure removes and keeps, and a form asking for the username; a POST with the
    right username erases (lms.privacy.erase_trainee)."""

    form_class = ErasureConfirmationForm
    template_name = "lms/accounts/erase.html"
    header_icon = "bin"
    page_title = _("Erase personal data")
    index_url_name: str = ""

    def get_page_subtitle(self) -> str:
        return self.profile.user.get_username()

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *super().get_breadcrumbs_items()[:-1],
            {"url": reverse(self.index_url_name), "label": TraineeViewSet.menu_label},
            {"url": "", "label": self.page_title},
        ]

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "expected_username": self.profile.user.get_username()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        try:
            privacy.check_erasable(self.profile.user)
            refusal = None
        except privacy.ErasureRefused as error:
            refusal = str(error)
        return super().get_context_data(profile=self.profile, refusal=refusal, **kwargs)

    def form_valid(self, form: ErasureConfirmationForm) -> HttpResponse:
        try:
            report = privacy.erase_trainee(self.profile.user, by=self.request.user)
        except privacy.ErasureRefused:
            return self.form_invalid(form)  # the page shows the refusal
        messages.success(
            self.request,
            gettext(
                "The trainee’s personal data was erased. Their results stay in the reports "
                "under the anonymous account %(username)s."
            )
            % {"username": report.username},
        )
        return redirect(self.index_url_name)

    def form_invalid(self, form: ErasureConfirmationForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)


class TraineeViewSet(ModelViewSet):
    model = TraineeProfile
    name = "trainees"
    icon = "user"
    menu_label = _("Trainees")
    add_item_label = _("Add trainee")
    index_view_class = TraineeIndexView
    edit_view_class = TraineeEditView
    list_display = [
        "user",  # the title column: the username, linking to the edit view, with the actions
        Column("name", label=_("name"), accessor=lambda profile: profile.user.get_full_name()),
        "unit",
        "rank",
        "preferred_language",
    ]
    list_filter = ["unit", "rank", "preferred_language"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    copy_view_enabled = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[TraineeProfile]:
        return TraineeProfile.objects.select_related("user", "unit")

    def get_form_class(self, for_update: bool = False) -> type[TraineeProfileForm]:
        return TraineeProfileForm if for_update else TraineeCreateForm

    def _personal_data_url_names(self) -> dict[str, str]:
        return {
            "export_data_url_name": self.get_url_name(EXPORT_DATA_URL_NAME),
            "erase_data_url_name": self.get_url_name(ERASE_DATA_URL_NAME),
        }

    def get_index_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_index_view_kwargs(
            import_url_name=self.get_url_name(IMPORT_URL_NAME),
            **self._personal_data_url_names(),
            **kwargs,
        )

    def get_edit_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_edit_view_kwargs(**self._personal_data_url_names(), **kwargs)

    @property
    def import_view(self):
        return TraineeImportView.as_view(index_url_name=self.get_url_name("index"))

    def get_urlpatterns(self) -> list:
        return [
            *super().get_urlpatterns(),
            path("import/", self.import_view, name=IMPORT_URL_NAME),
            path(
                "<int:pk>/export-data/",
                TraineeDataExportView.as_view(),
                name=EXPORT_DATA_URL_NAME,
            ),
            path(
                "<int:pk>/erase-data/",
                TraineeErasureView.as_view(index_url_name=self.get_url_name("index")),
                name=ERASE_DATA_URL_NAME,
            ),
        ]


def _assignee(assignment: Assignment) -> str:
    if assignment.group_id is not None:
        return str(assignment.group)
    if assignment.include_subunits:
        return _("%(unit)s and its subunits") % {"unit": assignment.unit}
    return str(assignment.unit)


def _enrolled_and_completed(assignment: Assignment) -> str:
    counts = selectors.assignment_counts(assignment)
    return _("%(enrolled)d enrolled, %(completed)d completed") % {
        "enrolled": counts.enrolled,
        "completed": counts.completed,
    }


class AssignmentCreateView(generic.CreateView):
    def get_success_buttons(self) -> list:
        return []  # the default offers "Edit", and assignments are not edited


class AssignmentViewSet(ModelViewSet):
    """Assignments are created and inspected, not edited: their trainees are already
    enrolled with the due date. Deleting one keeps those enrolments."""

    model = Assignment
    name = "assignments"
    icon = "date"
    add_view_class = AssignmentCreateView
    inspect_view_enabled = True
    inspect_view_fields = ["course", "unit", "include_subunits", "group", "due_date", "created_by"]
    list_display = [
        Column("course", label=_("course"), accessor="course"),
        Column("assignee", label=_("unit or group"), accessor=_assignee),
        "due_date",
        # One query a row: a page of the list shows at most a few dozen assignments.
        Column("progress", label=_("trainees"), accessor=_enrolled_and_completed),
    ]
    list_filter = ["due_date"]
    ordering = ["-created_at"]
    copy_view_enabled = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Assignment]:
        return Assignment.objects.select_related("course", "unit", "group")

    def get_form_class(self, for_update: bool = False) -> type[AssignmentForm]:
        return AssignmentForm

    def get_common_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_common_view_kwargs(edit_url_name=None, **kwargs)

    def get_urlpatterns(self) -> list:
        return [pattern for pattern in super().get_urlpatterns() if pattern.name != "edit"]


class AccountsGroup(ModelViewSetGroup):
    items = (TraineeViewSet, UnitViewSet, AssignmentViewSet)
    menu_icon = "group"
    menu_label = _("Trainees and units")
    menu_name = "trainees-and-units"
