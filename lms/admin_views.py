"""Units and trainees in Wagtail's admin: the unit tree, trainee profiles (with "Add trainee"
creating the user too), the CSV import of trainees and course assignments.

Access follows the models' permissions (superusers have them all); the import needs the
right to add trainee profiles.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton

from . import accounts, selectors
from .forms import AssignmentForm, ImportForm, TraineeCreateForm, TraineeProfileForm, UnitForm
from .models import Assignment, TraineeProfile, Unit

IMPORT_URL_NAME = "import"


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


class TraineeIndexView(generic.IndexView):
    import_url_name: str = ""

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


class TraineeViewSet(ModelViewSet):
    model = TraineeProfile
    name = "trainees"
    icon = "user"
    menu_label = _("Trainees")
    add_item_label = _("Add trainee")
    index_view_class = TraineeIndexView
    list_display = [
        Column("user", label=_("user"), accessor=lambda profile: profile.user.get_username()),
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

    def get_index_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_index_view_kwargs(
            import_url_name=self.get_url_name(IMPORT_URL_NAME), **kwargs
        )

    @property
    def import_view(self):
        return TraineeImportView.as_view(index_url_name=self.get_url_name("index"))

    def get_urlpatterns(self) -> list:
        return [
            *super().get_urlpatterns(),
            path("import/", self.import_view, name=IMPORT_URL_NAME),
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
