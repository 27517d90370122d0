"""Training reports for trainers in Wagtail's admin: completion per course and per unit
(rolled up the unit tree), the score distribution of a quiz and overdue enrolments.

Each report is a `TrainingReportView`: a filter form, a chart, a table (50 rows a page) and
the same rows, unpaginated, as CSV or XLSX (`?export=csv|xlsx`, with the filters). The reads
are in `lms.reports`. Reviewers read them, as they read quiz results
(`quizzes.selectors.can_review_attempts`); anyone else gets a 403 page. A trainer reads the
units of their scope only (`lms.selectors.report_scope`): the unit filter offers those
units and, left empty, means the trainer's own unit with the units under it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.functional import cached_property
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from openpyxl import Workbook
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from quizzes.api.renderers import BYTE_ORDER_MARK, formula_safe
from quizzes.reports import quiz_for_report
from quizzes.selectors import can_review_attempts

from . import charts, reports
from .forms import PeriodForm
from .models import Enrolment, Unit
from .reports import days, rate
from .selectors import ReportScope, report_scope

URL_NAMESPACE = "lms_reports"
ROWS_PER_PAGE = 50
NOT_AVAILABLE = "–"
NO_BREAK = "\u00a0"  # keeps "66.7 %" on one line
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --------------------------------------------------------------------------- formatting


def percent_text(value: float | None) -> str:
    return NOT_AVAILABLE if value is None else f"{number_format(value, 1)}{NO_BREAK}%"


def _text(value: Any) -> str:
    if value is None:
        return NOT_AVAILABLE
    if isinstance(value, float):
        return number_format(value, 1)
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def spreadsheet_cell(value: Any) -> Any:
    """A value as a spreadsheet should take it: numbers and dates as they are, text that
    would start a formula in Excel or LibreOffice quoted (as the quiz API's CSV does)."""
    return "" if value is None else formula_safe(value)


# --------------------------------------------------------------------------- tables and exports


@dataclass(frozen=True, slots=True)
class ReportColumn:
    """A column: `value` gives the cell for exports (numbers stay numbers), `text` formats
    it for the page."""

    label: str
    value: Callable[[Any], Any]
    text: Callable[[Any], str] = _text


def export_csv(filename: str, columns: Sequence[ReportColumn], rows: Iterable[Any]) -> HttpResponse:
    """UTF-8 with a byte-order mark and commas, like the quiz API's CSV: Excel reads the
    Polish letters right."""
    output = io.StringIO()
    output.write(BYTE_ORDER_MARK)
    writer = csv.writer(output)
    writer.writerow([column.label for column in columns])
    for row in rows:
        writer.writerow([spreadsheet_cell(column.value(row)) for column in columns])
    response = HttpResponse(output.getvalue().encode(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def export_xlsx(
    filename: str, columns: Sequence[ReportColumn], rows: Iterable[Any]
) -> HttpResponse:
    # Write-only: rows stream into the file instead of being held as cell objects.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=filename[:31])  # Excel's limit on sheet names
    sheet.append([column.label for column in columns])
    for row in rows:
        sheet.append([spreadsheet_cell(column.value(row)) for column in columns])
    output = io.BytesIO()
    workbook.save(output)
    response = HttpResponse(output.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


EXPORTS = {"csv": export_csv, "xlsx": export_xlsx}


# --------------------------------------------------------------------------- filters


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        # Indented by depth, so the list reads as the tree it is.
        return f"{NO_BREAK * 4 * (obj.depth - 1)}{obj.name}"


class DateInput(forms.DateInput):
    input_type = "date"  # the browser's own date picker; the value is always YYYY-MM-DD

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class ReportFilterForm(PeriodForm):
    course = forms.ModelChoiceField(
        label=gettext_lazy("Course"),
        queryset=reports.report_courses(),
        required=False,
        empty_label=gettext_lazy("All courses"),
    )
    unit = UnitChoiceField(
        label=gettext_lazy("Unit"),
        queryset=reports.report_units(),
        required=False,
        empty_label=gettext_lazy("All units"),
        help_text=gettext_lazy("With every unit under it."),
    )
    date_from = forms.DateField(label=gettext_lazy("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=DateInput())

    def __init__(self, data: Any, *, scope: ReportScope) -> None:
        super().__init__(data)
        self.scope = scope
        # A unit outside the trainer's scope is not a choice: the field says so.
        unit = self.fields["unit"]
        unit.queryset = scope.units()
        if scope.unit is not None:
            unit.empty_label = None  # their own unit is the widest they may choose

    def filters(self) -> reports.ReportFilters:
        return reports.ReportFilters.scoped(self.cleaned_data, self.scope.unit)


class QuizFilterForm(ReportFilterForm):
    """A quiz instead of a course: the distribution is one quiz's."""

    course = None
    quiz = forms.ModelChoiceField(
        label=gettext_lazy("Quiz"),
        queryset=reports.report_quizzes(),
        required=False,
        empty_label=gettext_lazy("Choose a quiz"),
    )
    field_order = ["quiz", "unit", "date_from", "date_to"]


# --------------------------------------------------------------------------- the views


def forbidden(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403; `reason` replaces the page's general explanation."""
    return TemplateResponse(
        request,
        "lms/reports/forbidden.html",
        {"page_title": _("Permission denied"), "reason": reason},
        status=403,
    )


@dataclass(frozen=True, slots=True)
class TableRow:
    cells: list[str]
    indent: int = 0  # levels of the unit tree, for the first cell


class TrainingReportView(WagtailAdminTemplateMixin, TemplateView):
    """One report: subclasses give the rows for the filters, the columns and the chart."""

    template_name = "lms/reports/report.html"
    header_icon = "table"
    form_class: type[ReportFilterForm] = ReportFilterForm
    #: The URL name and the exported files' name.
    name = ""
    period_help = gettext_lazy("The period is the enrolment date.")
    caption = ""
    intro = ""
    no_rows = gettext_lazy("No rows match these filters.")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_review_attempts(request.user):
            return forbidden(request)
        if self.scope.is_empty:
            return forbidden(request, _("Your account has no unit; ask an administrator."))
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def scope(self) -> ReportScope:
        return report_scope(self.request.user)

    @cached_property
    def form(self) -> ReportFilterForm:
        return self.form_class(self.request.GET or None, scope=self.scope)

    @cached_property
    def filters(self) -> reports.ReportFilters | None:
        """None when the filters are invalid: the page shows the errors, not a report.
        A trainer of one unit sees that unit's subtree unless they narrow it."""
        if not self.form.is_bound:
            return reports.ReportFilters(unit=self.scope.unit)
        return self.form.filters() if self.form.is_valid() else None

    def get_rows(self, filters: reports.ReportFilters) -> Sequence[Any]:
        raise NotImplementedError

    def get_columns(self) -> list[ReportColumn]:
        raise NotImplementedError

    def get_chart(self, rows: Sequence[Any]) -> SafeString:
        return SafeString("")

    def get_indent(self, row: Any) -> int:
        return 0

    def get_summary(self) -> list[tuple[str, str]]:
        return []

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse(f"{URL_NAMESPACE}:index"), "label": _("Training reports")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        rows = self.get_rows(self.filters) if self.filters is not None else []
        columns = self.get_columns()
        exporter = EXPORTS.get(request.GET.get("export", ""))
        if exporter is not None and self.filters is not None:
            filename = f"{self.name}-{timezone.localdate().isoformat()}"
            return exporter(filename, columns, rows)
        page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("p"))
        query = request.GET.copy()
        query.pop("p", None)
        context = self.get_context_data(
            form=self.form,
            period_help=self.period_help,
            caption=self.caption,
            intro=self.intro,
            no_rows=self.no_rows,
            summary=self.get_summary() if self.filters is not None else [],
            chart=self.get_chart(page.object_list),
            headers=[column.label for column in columns],
            rows=[
                TableRow(
                    [column.text(column.value(row)) for column in columns], self.get_indent(row)
                )
                for row in page.object_list
            ],
            page_obj=page,
            elided_page_range=page.paginator.get_elided_page_range(page.number),
            exports=[
                (label, f"?{_with(query, export=kind)}")
                for kind, label in (("csv", _("Download CSV")), ("xlsx", _("Download XLSX")))
            ]
            if self.filters is not None
            else [],
        )
        return self.render_to_response(context)


def _with(query: Any, **values: str) -> str:
    query = query.copy()
    for key, value in values.items():
        query[key] = value
    return query.urlencode()


def _rate_columns(first: ReportColumn) -> list[ReportColumn]:
    """The columns the two completion reports share, after their first one."""
    return [
        first,
        ReportColumn(_("Enrolled"), lambda row: row.enrolled),
        ReportColumn(_("Completed"), lambda row: row.completed),
        ReportColumn(
            _("Completion rate (%)"),
            lambda row: rate(row.completed, row.enrolled),
            percent_text,
        ),
    ]


class CompletionReportView(TrainingReportView):
    """A completion report: one bar per row, its completion rate on a scale of 0 to 100 %."""

    chart_title = ""
    chart_description = ""
    chart_id = ""

    def get_label(self, row: Any) -> str:
        raise NotImplementedError

    def get_chart(self, rows: Sequence[Any]) -> SafeString:
        bars = []
        for row in rows:
            value = rate(row.completed, row.enrolled)
            bars.append(charts.Bar(self.get_label(row), value or 0.0, percent_text(value)))
        return charts.horizontal_bar_chart(
            bars,
            title=str(self.chart_title),
            description=str(self.chart_description),
            chart_id=self.chart_id,
            maximum=100,
            indents=[self.get_indent(row) for row in rows],
        )


class CourseCompletionView(CompletionReportView):
    page_title = gettext_lazy("Completion per course")
    name = "completion-per-course"
    caption = gettext_lazy("Completion per course")
    chart_title = gettext_lazy("Completion rate per course")
    chart_description = gettext_lazy(
        "The share of enrolled trainees who completed each course, from 0 to 100 %. "
        "The table below gives the figures."
    )
    chart_id = "course-completion-chart"

    def get_rows(self, filters: reports.ReportFilters) -> Sequence[Any]:
        return reports.course_completion(filters)

    def get_label(self, row: Any) -> str:
        return row.title

    def get_columns(self) -> list[ReportColumn]:
        return [
            *_rate_columns(ReportColumn(_("Course"), self.get_label)),
            ReportColumn(_("Certificates"), lambda row: row.certified),
            ReportColumn(_("Average days to complete"), lambda row: days(row.average_time)),
        ]


class UnitCompletionView(CompletionReportView):
    page_title = gettext_lazy("Completion per unit")
    name = "completion-per-unit"
    caption = gettext_lazy("Completion per unit, each with the units under it")
    intro = gettext_lazy(
        "Each unit counts its own trainees and those of every unit under it, so a "
        "voivodeship's figures include its districts."
    )
    chart_title = gettext_lazy("Completion rate per unit")
    chart_description = gettext_lazy(
        "The share of enrolled trainees of each unit, with the units under it, who "
        "completed their courses, from 0 to 100 %. The table below gives the figures."
    )
    chart_id = "unit-completion-chart"

    def get_rows(self, filters: reports.ReportFilters) -> Sequence[Any]:
        return reports.unit_completion(filters)

    def get_label(self, row: Unit) -> str:
        return row.name

    def get_columns(self) -> list[ReportColumn]:
        return _rate_columns(ReportColumn(_("Unit"), self.get_label))

    def get_indent(self, row: Unit) -> int:
        return row.depth - 1


class ScoreDistributionView(TrainingReportView):
    page_title = gettext_lazy("Quiz scores")
    name = "quiz-scores"
    form_class = QuizFilterForm
    period_help = gettext_lazy("The period is the submission date.")
    caption = gettext_lazy("Attempts per score band")
    no_rows = gettext_lazy("Choose a quiz to see its scores.")

    @cached_property
    def distribution(self) -> reports.ScoreDistribution | None:
        if self.filters is None or not self.form.is_bound:
            return None
        quiz = self.form.cleaned_data.get("quiz")
        source = quiz_for_report(quiz.pk) if quiz is not None else None
        return reports.score_distribution(source, self.filters) if source else None

    def get_rows(self, filters: reports.ReportFilters) -> Sequence[Any]:
        return self.distribution.bands if self.distribution else []

    def get_columns(self) -> list[ReportColumn]:
        total = self.distribution.attempts if self.distribution else 0
        return [
            ReportColumn(_("Score band (%)"), _band_label),
            ReportColumn(_("Attempts"), lambda band: band.attempts),
            ReportColumn(
                _("Share of attempts (%)"), lambda band: rate(band.attempts, total), percent_text
            ),
        ]

    def get_summary(self) -> list[tuple[str, str]]:
        figures = self.distribution
        if figures is None:
            return []
        return [
            (_("Attempts that count"), str(figures.attempts)),
            (_("Passed"), str(figures.passed)),
            (_("Pass rate"), percent_text(rate(figures.passed, figures.attempts))),
            (_("Average score"), percent_text(_rounded(figures.average_percent))),
        ]

    def get_chart(self, rows: Sequence[Any]) -> SafeString:
        return charts.column_chart(
            [charts.Bar(_band_label(band), band.attempts, str(band.attempts)) for band in rows],
            title=_("Score distribution"),
            description=_(
                "How many attempts that count scored in each 10-point band, from 0 to 100 %. "
                "The table below gives the figures."
            ),
            chart_id="score-distribution-chart",
        )


def _band_label(band: reports.ScoreBand) -> str:
    return f"{band.low}–{band.high}"


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _trainee(enrolment: Enrolment) -> str:
    user = enrolment.user
    full_name = user.get_full_name()
    return f"{full_name} ({user.username})" if full_name else user.username


def _unit_name(enrolment: Enrolment) -> str | None:
    profile = getattr(enrolment.user, "trainee_profile", None)  # trainees without one
    return profile.unit.name if profile is not None and profile.unit is not None else None


class OverdueView(TrainingReportView):
    page_title = gettext_lazy("Overdue enrolments")
    name = "overdue"
    period_help = gettext_lazy("The period is the due date.")
    caption = gettext_lazy("Enrolments past their due date and not completed")
    no_rows = gettext_lazy("Nothing is overdue.")

    def get_rows(self, filters: reports.ReportFilters) -> Sequence[Any]:
        return reports.overdue_enrolments(filters)

    def get_columns(self) -> list[ReportColumn]:
        today = timezone.localdate()
        return [
            ReportColumn(_("Trainee"), _trainee),
            ReportColumn(_("Unit"), _unit_name),
            ReportColumn(_("Course"), lambda row: row.course.title),
            ReportColumn(_("Due date"), lambda row: row.due_date),
            ReportColumn(_("Days overdue"), lambda row: (today - row.due_date).days),
        ]


REPORTS: list[tuple[str, type[TrainingReportView]]] = [
    ("completion_per_course", CourseCompletionView),
    ("completion_per_unit", UnitCompletionView),
    ("quiz_scores", ScoreDistributionView),
    ("overdue", OverdueView),
]


class ReportIndexView(WagtailAdminTemplateMixin, TemplateView):
    """The list of reports (the menu's submenu lists them too)."""

    template_name = "lms/reports/index.html"
    page_title = gettext_lazy("Training reports")
    header_icon = "table"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_review_attempts(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "reports": [
                (view.page_title, reverse(f"{URL_NAMESPACE}:{name}")) for name, view in REPORTS
            ],
        }


# --------------------------------------------------------------------------- URLs and menu


def admin_urls() -> list[URLPattern | URLResolver]:
    """Under /admin/training-reports/ (registered by lms.wagtail_hooks)."""
    patterns = [
        path("", ReportIndexView.as_view(), name="index"),
        *(path(f"{view.name}/", view.as_view(), name=name) for name, view in REPORTS),
    ]
    return [path("training-reports/", include((patterns, URL_NAMESPACE)))]


class ReviewerMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return can_review_attempts(request.user)


def menu_item() -> SubmenuMenuItem:
    """ "Training reports" in the admin's sidebar, for reviewers (hidden when no item is)."""
    items = [
        ReviewerMenuItem(view.page_title, reverse(f"{URL_NAMESPACE}:{name}"), icon_name="table")
        for name, view in REPORTS
    ]
    return SubmenuMenuItem(
        gettext_lazy("Training reports"),
        Menu(items=items),
        name="training-reports",
        icon_name="table",
        order=350,
    )


# --------------------------------------------------------------------------- classroom sessions


class SessionParticipantsView(TrainingReportView):
    page_title = gettext_lazy("Session participants")
    name = "session-participants"
    period_help = gettext_lazy("The period is the start of the session.")
    caption = gettext_lazy("Participants of classroom and practical sessions per kind")
    intro = gettext_lazy(
        "Trainees of the unit, with every unit under it, who have a seat or wait for one, and "
        "those marked present or absent; the attendance rate is over the trainees marked."
    )

    def get_rows(self, filters: reports.ReportFilters) -> Sequence[Any]:
        return reports.session_participants(filters)

    def get_columns(self) -> list[ReportColumn]:
        return [
            ReportColumn(_("Kind of session"), lambda row: row.label),
            ReportColumn(_("Sessions"), lambda row: row.sessions),
            ReportColumn(_("Seats taken"), lambda row: row.registered),
            ReportColumn(_("On the waiting list"), lambda row: row.waitlisted),
            ReportColumn(_("Present"), lambda row: row.present),
            ReportColumn(_("Absent"), lambda row: row.absent),
            ReportColumn(
                _("Attendance rate (%)"),
                lambda row: rate(row.present, row.present + row.absent),
                percent_text,
            ),
        ]

    def get_chart(self, rows: Sequence[Any]) -> SafeString:
        return charts.horizontal_bar_chart(
            [charts.Bar(row.label, row.present, str(row.present)) for row in rows],
            title=_("Trainees present per kind of session"),
            description=_(
                "How many trainees were marked present at each kind of session. "
                "The table below gives the figures."
            ),
            chart_id="session-participants-chart",
        )


REPORTS.append(("session_participants", SessionParticipantsView))
