"""Trainer reports in Wagtail's admin, as Moodle's quiz "Results": the attempts table, the
statistics, the attempts waiting for a grader, and one attempt's review with manual grading.

The views read the request, call `quizzes.reports` (reads) or `services.grade_manually` (the
one write) and render. Reviewers (`selectors.can_review_attempts`) see every page; grading
also takes `selectors.can_grade_attempts`; anyone else gets a 403 page. Wagtail's admin sends
anonymous users, and users without admin access, to its sign-in page before these views run.
Translations of a quiz share its attempts: every page works on `reports.quiz_for_report`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlencode

import django_filters
from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, StatusTagColumn, Table, TitleColumn
from wagtail.admin.views.generic import BaseListingView, WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button, HeaderButton, ListingButton
from wagtail.snippets.views.snippets import EditView as SnippetEditView

from . import question_types, reports, selectors, services
from .html import trainee_html
from .models import Attempt, AttemptQuestion, AttemptState, GradingMethod, Quiz

#: The URL namespace of the report pages (see `admin_urls`).
URL_NAMESPACE = "quizzes_reports"
#: Rows per page of the attempts tables.
ATTEMPTS_PER_PAGE = 50
#: What a figure that cannot be computed (too few attempts...) shows.
NOT_AVAILABLE = "–"
#: Responses longer than this (essays) are cut short in the statistics.
RESPONSE_CHARACTERS = 200
NO_BREAK = "\u00a0"  # keeps "75.00 %" and "3.00 / 4.00" on one line
FRACTION_PLACES = Decimal("0.0000001")  # AttemptQuestion.fraction has 7 decimal places


# --------------------------------------------------------------------------- URLs and entry points


def admin_urls() -> list[URLPattern | URLResolver]:
    """The report pages under /admin/quizzes/<quiz id>/ (registered by quizzes.wagtail_hooks)."""
    patterns = [
        path("results/", QuizResultsView.as_view(), name="results"),
        # Wagtail's search box and filters fetch the table alone from here.
        path("results/table/", QuizResultsView.as_view(results_only=True), name="results_table"),
        path("statistics/", QuizStatisticsView.as_view(), name="statistics"),
        path("grading/", AttemptsToGradeView.as_view(), name="grading"),
        path("attempts/<int:attempt_id>/", AttemptReviewView.as_view(), name="attempt"),
    ]
    return [path("quizzes/<int:quiz_id>/", include((patterns, URL_NAMESPACE)))]


def report_url(name: str, quiz: Quiz, *args: int) -> str:
    return reverse(f"{URL_NAMESPACE}:{name}", args=[quiz.pk, *args])


def attempt_url(quiz: Quiz, attempt_id: int, position: int | None = None) -> str:
    url = report_url("attempt", quiz, attempt_id)
    return url if position is None else f"{url}#question-{position}"


def quiz_listing_buttons(
    snippet: Any, user: AbstractBaseUser, next_url: str | None = None
) -> list[ListingButton]:
    """A "Results" button on each quiz of the snippet listing, for reviewers (the
    `register_snippet_listing_buttons` hook)."""
    if not isinstance(snippet, Quiz) or not selectors.can_review_attempts(user):
        return []
    return [
        ListingButton(
            _("Results"),
            url=report_url("results", snippet),
            icon_name="table",
            attrs={"aria-label": _("Results of “%(title)s”") % {"title": snippet.title}},
            priority=5,
        )
    ]


class QuizEditView(SnippetEditView):
    """The quiz editor, with "Results" in its header's menu for those who may review."""

    @cached_property
    def header_more_buttons(self) -> list[Button]:
        buttons = list(super().header_more_buttons)
        if selectors.can_review_attempts(self.request.user):
            buttons.append(
                Button(
                    _("Results"),
                    url=report_url("results", self.object),
                    icon_name="table",
                    priority=5,
                )
            )
        return buttons


# --------------------------------------------------------------------------- permissions


def forbidden(request: HttpRequest) -> HttpResponse:
    """A 403 page in the admin's frame (Wagtail itself would redirect with a message)."""
    return TemplateResponse(
        request,
        "quizzes/admin/reports/forbidden.html",
        {"page_title": _("Permission denied")},
        status=403,
    )


class QuizReportMixin:
    """Reviewers only; `self.quiz` is the quiz in the URL as `reports.quiz_for_report`
    resolves it (the translation holding the attempts), 404 when there is none."""

    request: HttpRequest
    quiz: Quiz

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not selectors.can_review_attempts(request.user):
            return forbidden(request)
        quiz = reports.quiz_for_report(kwargs["quiz_id"])
        if quiz is None:
            raise Http404
        self.quiz = quiz
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def quiz_breadcrumbs(self, *current: dict[str, Any]) -> list[dict[str, Any]]:
        """Home, Quizzes, the quiz's results, then `current`."""
        return [
            *WagtailAdminTemplateMixin.breadcrumbs_items,  # Wagtail's "Home"
            {
                "url": reverse("wagtailsnippets_quizzes_quiz:list"),
                "label": capfirst(Quiz._meta.verbose_name_plural),
            },
            {"url": report_url("results", self.quiz), "label": self.quiz.title},
            *current,
        ]


# --------------------------------------------------------------------------- formatting


def _when(value: datetime | None) -> str:
    if value is None:
        return ""
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def _duration(value: timedelta | None) -> str:
    if value is None:
        return ""
    seconds = max(0, round(value.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min %(seconds)02d s") % {"minutes": minutes, "seconds": seconds}


def _number(value: Decimal | float | None, places: int = 2) -> str:
    return NOT_AVAILABLE if value is None else number_format(value, decimal_pos=places)


def _percent(value: Decimal | float | None) -> str:
    return NOT_AVAILABLE if value is None else f"{_number(value)}{NO_BREAK}%"


def _score(row: Attempt) -> str:
    if row.score is None:
        return ""
    return f"{_number(row.score)}{NO_BREAK}/{NO_BREAK}{_number(row.max_score)}"


def _result(row: Attempt) -> str:
    """Passed, failed, or waiting for a grader (the pass is decided after grading)."""
    if row.state != AttemptState.SUBMITTED:
        return ""
    if row.needs_grading:
        return _("Needs grading")
    return _("Passed") if row.passed else _("Failed")


def trainee_name(row: Attempt) -> str:
    """ "First Last (username)", or the username alone, from `attempts_table` rows."""
    if row.full_name:
        return f"{row.full_name} ({row.username})"
    return row.username


# --------------------------------------------------------------------------- results


class AttemptResultsFilterSet(WagtailFilterSet):
    """The filters of `reports.filter_attempts_table` in Wagtail's filter drill-down (the
    search box gives its trainee search). The query parameters are the API's, so the CSV
    link passes them on unchanged: state, passed, started_from and started_to."""

    state = django_filters.ChoiceFilter(
        label=gettext_lazy("State"),
        choices=AttemptState.choices,
        empty_label=gettext_lazy("All"),
        widget=forms.RadioSelect,
    )
    passed = django_filters.ChoiceFilter(
        label=gettext_lazy("Result"),
        choices=[("true", gettext_lazy("Passed")), ("false", gettext_lazy("Failed"))],
        empty_label=gettext_lazy("All"),
        widget=forms.RadioSelect,
    )
    # Its two inputs are named started_from and started_to.
    started = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Started"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Attempt
        fields: list[str] = []  # the filters above only; the view applies them


def _day(value: datetime | None) -> date | None:
    """A day of the date range filter (it hands over aware datetimes)."""
    if value is None:
        return None
    return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()


class QuizResultsView(QuizReportMixin, BaseListingView):
    """Every attempt of the quiz, filterable, with a link to each attempt's review."""

    template_name = "quizzes/admin/reports/results.html"
    results_template_name = "wagtailadmin/generic/listing_results.html"
    page_title = gettext_lazy("Results")
    header_icon = "table"
    filterset_class = AttemptResultsFilterSet
    is_searchable = True
    paginate_by = ATTEMPTS_PER_PAGE

    def get_index_url(self) -> str:
        return report_url("results", self.quiz)

    def get_index_results_url(self) -> str:
        return report_url("results_table", self.quiz)

    def get_page_subtitle(self) -> str:
        return self.quiz.title

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        *parents, _results = self.quiz_breadcrumbs()
        return [*parents, {"url": "", "label": _("Results"), "sublabel": self.quiz.title}]

    def get_search_form(self) -> Any:
        form = super().get_search_form()
        form.fields["q"].label = _("Search trainees")
        form.fields["q"].widget.attrs["placeholder"] = _("Search trainees…")
        return form

    @cached_property
    def filter_values(self) -> reports.AttemptTableFilters:
        """The request's filters, as `reports.attempts_table` takes them."""
        values: reports.AttemptTableFilters = {"search": self.search_query or None}
        if self.filters is not None and self.filters.is_valid():
            cleaned = self.filters.form.cleaned_data
            values["state"] = cleaned.get("state") or None
            values["passed"] = {"true": True, "false": False}.get(cleaned.get("passed") or "")
            if started := cleaned.get("started"):
                values["started_from"] = _day(started.start)
                values["started_to"] = _day(started.stop)
        return values

    def get_queryset(self) -> Any:
        return reports.attempts_table(self.quiz, self.filter_values)

    @cached_property
    def columns(self) -> list[Column]:
        return [
            TitleColumn(
                "trainee",
                label=_("Trainee"),
                accessor=trainee_name,
                get_url=lambda row: attempt_url(self.quiz, row.pk),
            ),
            Column("number", label=_("Attempt")),
            StatusTagColumn(
                "state",
                label=_("State"),
                accessor=lambda row: row.get_state_display(),
                primary=lambda row: row.state == AttemptState.IN_PROGRESS,
            ),
            Column("started_at", label=_("Started"), accessor=lambda row: _when(row.started_at)),
            Column(
                "submitted_at",
                label=_("Submitted"),
                accessor=lambda row: _when(row.submitted_at),
            ),
            Column(
                "duration",
                label=_("Duration"),
                accessor=lambda row: _duration(row.duration),
                classname="w-whitespace-nowrap",
            ),
            Column("score", label=_("Score"), accessor=_score, classname="w-whitespace-nowrap"),
            Column(
                "percent",
                label=_("Percent"),
                accessor=lambda row: "" if row.percent is None else _percent(row.percent),
            ),
            Column("passed", label=_("Result"), accessor=_result),
            Column(
                "counted",
                label=_("Counts for the grade"),
                accessor=lambda row: _("Yes") if row.counted else "",
            ),
        ]

    def get_table_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_table_kwargs(),
            "caption": _("Attempts of “%(title)s”") % {"title": self.quiz.title},
        }

    @cached_property
    def no_results_message(self) -> str:
        if self.is_searching or self.is_filtering:
            return _("No attempts match these filters.")
        return _("Nobody has attempted this quiz yet.")

    def csv_url(self) -> str:
        """The API's CSV of the same rows (every page), with the same filters."""
        params = {"format": "csv"}
        for name, value in self.filter_values.items():
            if isinstance(value, bool):
                params[name] = "true" if value else "false"
            elif value:
                params[name] = str(value)  # dates as YYYY-MM-DD
        return f"{reverse('quiz-report-attempts', args=[self.quiz.pk])}?{urlencode(params)}"

    @cached_property
    def attempts_to_grade(self) -> int:
        return reports.attempts_needing_grading(self.quiz).count()

    @cached_property
    def header_buttons(self) -> list[HeaderButton]:
        to_grade = self.attempts_to_grade
        return [
            HeaderButton(
                _("Statistics"),
                url=report_url("statistics", self.quiz),
                icon_name="sliders",
                priority=10,
            ),
            HeaderButton(
                _("Needs grading (%(count)d)") % {"count": to_grade},
                url=report_url("grading", self.quiz),
                icon_name="tasks",
                priority=20,
            ),
            HeaderButton(_("Download CSV"), url=self.csv_url(), icon_name="download", priority=30),
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "quiz": self.quiz,
            "grading_method": GradingMethod(self.quiz.grading_method).label,
            "pass_mark": _whole_percent(self.quiz.pass_mark),
            "attempts_to_grade": self.attempts_to_grade,
            "grading_url": report_url("grading", self.quiz),
        }


# --------------------------------------------------------------------------- needs grading


class AttemptsToGradeView(QuizReportMixin, BaseListingView):
    """Submitted attempts with essays (or other hand-graded answers) still to grade,
    oldest first; each links to the first answer waiting."""

    template_name = "quizzes/admin/reports/grading.html"
    page_title = gettext_lazy("Needs grading")
    header_icon = "tasks"
    paginate_by = ATTEMPTS_PER_PAGE

    def get_index_url(self) -> str:
        return report_url("grading", self.quiz)

    def get_page_subtitle(self) -> str:
        return self.quiz.title

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return self.quiz_breadcrumbs(
            {"url": "", "label": _("Needs grading"), "sublabel": self.quiz.title}
        )

    def get_queryset(self) -> Any:
        return reports.attempts_needing_grading(self.quiz)

    @cached_property
    def columns(self) -> list[Column]:
        return [
            TitleColumn(
                "trainee",
                label=_("Trainee"),
                accessor=trainee_name,
                get_url=lambda row: attempt_url(self.quiz, row.pk, row.first_position_to_grade),
            ),
            Column("number", label=_("Attempt")),
            Column(
                "submitted_at",
                label=_("Submitted"),
                accessor=lambda row: _when(row.submitted_at),
            ),
            Column("questions_to_grade", label=_("Answers to grade")),
            Column("score", label=_("Score so far"), accessor=_score),
        ]

    def get_table_kwargs(self) -> dict[str, Any]:
        return {**super().get_table_kwargs(), "caption": _("Attempts waiting for a grader")}

    @cached_property
    def no_results_message(self) -> str:
        return _("Every submitted attempt is graded: nothing is waiting for a grader.")

    @cached_property
    def header_buttons(self) -> list[HeaderButton]:
        return [HeaderButton(_("Results"), url=report_url("results", self.quiz), icon_name="table")]


# --------------------------------------------------------------------------- statistics


@dataclass(frozen=True, slots=True)
class Figure:
    """One quiz-level figure: what it is, its value, what it means."""

    label: str
    value: str
    meaning: str


@dataclass(frozen=True, slots=True)
class ResponseRow:
    response: str  # with option ids replaced by their texts
    raw: str  # as recorded (SCORM 2004 syntax), shown when it differs
    count: int
    share: str


@dataclass(frozen=True, slots=True)
class QuestionRow:
    """A question drawn at a position, with the responses given to it."""

    name: str
    type_label: str
    text: SafeString
    count: int
    responses: list[ResponseRow]
    no_response: int
    no_response_share: str


@dataclass(frozen=True, slots=True)
class PositionRow:
    position: int
    names: str
    type_label: str
    random: bool
    max_mark: str
    count: int
    facility_index: str
    standard_deviation: str
    discrimination_index: str
    discriminative_efficiency: str
    questions: list[QuestionRow]


def _sanitised(stored_html: str) -> SafeString:
    """Editors' rich text, cleaned as the player cleans it, hence safe to render."""
    return mark_safe(trainee_html(stored_html))


def _shortened(response: str) -> str:
    return Truncator(response).chars(RESPONSE_CHARACTERS)


def _share(count: int, total: int) -> str:
    return _percent(100 * count / total) if total else NOT_AVAILABLE


def _type_label(type_name: str) -> str:
    try:
        return str(question_types.get(type_name).label)
    except KeyError:
        return type_name


def _truth_labels(type_name: str) -> dict[str, str]:
    """True/false responses in words (SCORM records them as "true" and "false")."""
    try:
        interaction = question_types.get(type_name).scorm_interaction({"correct": True}, "2004")
    except (KeyError, TypeError, ValueError, ValidationError):
        return {}
    if interaction.type != "true-false":
        return {}
    return {"true": _("True"), "false": _("False")}


def _question_row(question: reports.QuestionResponses, labels: Mapping[str, str]) -> QuestionRow:
    labels = {**_truth_labels(question.type), **labels}
    return QuestionRow(
        name=question.name,
        type_label=_type_label(question.type),
        text=_sanitised(question.text),
        count=question.count,
        responses=[
            ResponseRow(
                response=_shortened(reports.readable_response(given.response, labels)),
                raw=_shortened(given.response),
                count=given.count,
                share=_share(given.count, question.count),
            )
            for given in question.responses
        ],
        no_response=question.no_response,
        no_response_share=_share(question.no_response, question.count),
    )


def _position_row(
    position: reports.PositionReport, labels: Mapping[int, Mapping[str, str]]
) -> PositionRow:
    stats = position.statistics
    questions = [_question_row(q, labels.get(q.question_id, {})) for q in position.questions]
    return PositionRow(
        position=position.position,
        names=", ".join(question.name for question in questions),
        type_label=", ".join(sorted({question.type_label for question in questions})),
        random=position.random,
        max_mark=_number(position.max_mark),
        count=stats.count if stats else sum(question.count for question in questions),
        facility_index=_percent(stats.facility_index if stats else None),
        standard_deviation=_percent(stats.standard_deviation if stats else None),
        discrimination_index=_percent(stats.discrimination_index if stats else None),
        discriminative_efficiency=_percent(stats.discriminative_efficiency if stats else None),
        questions=questions,
    )


# A "%" in a message would read as a placeholder to gettext's tools: percentages in the
# explanations are filled in instead.
def _whole_percent(value: int) -> str:
    return f"{value}{NO_BREAK}%"


def _column_meanings() -> list[tuple[str, str]]:
    """What the columns of the question statistics mean (Moodle's explanations, shortened)."""
    return [
        (_("Attempts"), _("The analysed attempts that had this question.")),
        (
            _("Facility index"),
            _(
                "The average score on the question as a percentage of its mark: high for an "
                "easy question, low for a hard one."
            ),
        ),
        (
            _("Standard deviation"),
            _(
                "How much the scores on the question vary from one attempt to another, as a "
                "percentage of its mark."
            ),
        ),
        (
            _("Discrimination index"),
            _(
                "How well the question tells stronger trainees from weaker ones: the "
                "correlation between its marks and the marks on the rest of the quiz. Above "
                "%(good)s is good; a negative value often means a flawed question or a wrong key."
            )
            % {"good": _whole_percent(30)},
        ),
        (
            _("Discriminative efficiency"),
            _(
                "The discrimination index as a share of the highest it could reach for a "
                "question this easy or this hard."
            ),
        ),
    ]


def _quiz_figures(report: reports.QuizStatisticsReport) -> list[Figure]:
    stats = report.statistics
    return [
        Figure(
            _("Attempts analysed"),
            str(stats.attempt_count),
            _(
                "Submitted attempts that count under the grading method (%(method)s); "
                "attempts in progress never count."
            )
            % {"method": GradingMethod(report.grading_method).label},
        ),
        Figure(
            _("Maximum grade"),
            _number(report.max_grade),
            _("The marks of all the questions together; the percentages below are shares of it."),
        ),
        Figure(_("Average grade"), _percent(stats.mean), _("The mean score.")),
        Figure(
            _("Median grade"),
            _percent(stats.median),
            _("The middle score: half the attempts scored less, half more."),
        ),
        Figure(
            _("Standard deviation"),
            _percent(stats.standard_deviation),
            _("How widely the scores spread around the average."),
        ),
        Figure(
            _("Skewness"),
            _number(stats.skewness),
            _(
                "The asymmetry of the scores: negative when most trainees scored high with "
                "a tail of low scores, positive the other way round."
            ),
        ),
        Figure(
            _("Kurtosis"),
            _number(stats.kurtosis),
            _(
                "How peaked the scores are compared with a normal distribution (0): positive "
                "when most scores bunch around the average with a few far from it."
            ),
        ),
        Figure(
            _("Coefficient of internal consistency (Cronbach's alpha, KR-20)"),
            _percent(stats.cronbach_alpha),
            _(
                "How consistently the questions measure the same knowledge. Above %(good)s "
                "is good; below %(poor)s the quiz mixes unrelated topics or has flawed "
                "questions."
            )
            % {"good": _whole_percent(75), "poor": _whole_percent(64)},
        ),
        Figure(
            _("Error ratio"),
            _percent(stats.error_ratio),
            _(
                "The share of the spread of scores due to chance rather than to differences "
                "between trainees. Below %(good)s is good."
            )
            % {"good": _whole_percent(50)},
        ),
        Figure(
            _("Standard error"),
            _percent(stats.standard_error),
            _(
                "The uncertainty of one trainee's score: with a score of %(score)s and a "
                "standard error of %(error)s, the trainee's true level is likely between "
                "%(low)s and %(high)s."
            )
            % {
                "score": _whole_percent(70),
                "error": _whole_percent(5),
                "low": _whole_percent(65),
                "high": _whole_percent(75),
            },
        ),
    ]


class QuizStatisticsView(QuizReportMixin, WagtailAdminTemplateMixin, View):
    """Moodle's statistics report: quiz-level figures, then per question."""

    template_name = "quizzes/admin/reports/statistics.html"
    page_title = gettext_lazy("Statistics")
    header_icon = "sliders"

    def get_page_subtitle(self) -> str:
        return self.quiz.title

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return self.quiz_breadcrumbs(
            {"url": "", "label": _("Statistics"), "sublabel": self.quiz.title}
        )

    def get(self, request: HttpRequest, quiz_id: int) -> HttpResponse:
        report = reports.quiz_statistics(self.quiz)
        labels = reports.response_labels(report) if report.statistics.attempt_count else {}
        figures = Table(
            [
                Column("label", label=_("Figure")),
                Column("value", label=_("Value")),
                Column("meaning", label=_("What it means")),
            ],
            _quiz_figures(report),
            caption=_("The quiz as a whole"),
        )
        positions = [_position_row(position, labels) for position in report.positions]
        questions = Table(
            [
                Column("position", label=_("Q#")),
                TitleColumn(
                    "names",
                    label=_("Question"),
                    get_url=lambda row: f"#position-{row.position}",
                ),
                Column("type_label", label=_("Type")),
                Column("max_mark", label=_("Mark")),
                Column("count", label=_("Attempts")),
                Column("facility_index", label=_("Facility index")),
                Column("standard_deviation", label=_("Standard deviation")),
                Column("discrimination_index", label=_("Discrimination index")),
                Column("discriminative_efficiency", label=_("Discriminative efficiency")),
            ],
            positions,
            caption=_("Question statistics"),
        )
        context = self.get_context_data(
            quiz=self.quiz,
            report=report,
            figures=figures,
            questions=questions,
            column_meanings=_column_meanings(),
            positions=positions,
            results_url=report_url("results", self.quiz),
            grading_url=report_url("grading", self.quiz),
        )
        return self.render_to_response(context)


# --------------------------------------------------------------------------- attempt review


@dataclass(frozen=True, slots=True)
class ReadableAnswer:
    """An answer as a reviewer reads it: a `text`, `items` in order, or `pairs` (a prompt or
    gap and what was given for it); nothing at all when there was no answer."""

    text: str = ""
    items: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    words: int | None = None

    @property
    def empty(self) -> bool:
        return not (self.text or self.items or self.pairs)


def _readable_value(value: Any, labels: Mapping[str, str]) -> str:
    if isinstance(value, bool):
        return _("True") if value else _("False")
    if value is None or value == "":
        return _("(empty)")
    if isinstance(value, str):
        return labels.get(value, value)
    if isinstance(value, list | tuple):
        return ", ".join(_readable_value(item, labels) for item in value)
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def readable_answer(
    answer: Any, labels: Mapping[str, str], *, count_words: bool = False
) -> ReadableAnswer:
    """An answer (or a right answer) in a question type's shape, with option, item and
    prompt ids replaced by their texts (`reports.answer_labels`)."""
    value = answer
    # Every type's answer is an object with one field: option(s), value, text, matches...
    if isinstance(answer, Mapping) and len(answer) == 1:
        (value,) = answer.values()
    if value is None or value == "" or value == [] or value == {}:
        return ReadableAnswer()
    if isinstance(value, Mapping):
        return ReadableAnswer(
            pairs=tuple(
                (labels.get(str(key), str(key)), _readable_value(given, labels))
                for key, given in value.items()
            )
        )
    if isinstance(value, list | tuple):
        return ReadableAnswer(items=tuple(_readable_value(item, labels) for item in value))
    text = _readable_value(value, labels)
    return ReadableAnswer(text=text, words=len(text.split()) if count_words else None)


class ManualGradeForm(forms.Form):
    """A grader's mark (out of the question's mark) and comment for one answer."""

    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "The trainee sees it with the mark when the quiz's review options show feedback."
        ),
    )

    def __init__(self, *args: Any, max_mark: Decimal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_mark = max_mark
        self.fields = {
            "mark": forms.DecimalField(
                label=_("Mark (0 to %(max_mark)s)") % {"max_mark": _number(max_mark)},
                min_value=Decimal("0"),
                max_value=max_mark,
                max_digits=8,
                decimal_places=2,
                localize=True,
            ),
            **self.fields,
        }

    def fraction(self) -> Decimal:
        """The mark as the share of the question's mark that `services.grade_manually` takes."""
        if not self.max_mark:
            return Decimal("0")
        share = self.cleaned_data["mark"] / self.max_mark
        return share.quantize(FRACTION_PLACES, rounding=ROUND_HALF_UP)


CORRECTNESS_LABELS = {
    "correct": gettext_lazy("Correct"),
    "partial": gettext_lazy("Partially correct"),
    "incorrect": gettext_lazy("Incorrect"),
}


@dataclass(frozen=True, slots=True)
class ReviewedQuestion:
    """One question of the attempt as the review page shows it."""

    position: int
    name: str
    type_label: str
    text: SafeString
    answer: ReadableAnswer
    right_answer: ReadableAnswer | None
    mark: str
    max_mark: str
    needs_grading: bool
    correctness: str
    feedback: str
    general_feedback: SafeString
    grader_comment: str
    grader_info: str
    manually_graded: bool
    form: ManualGradeForm | None


def _question_type(question: AttemptQuestion) -> question_types.QuestionType | None:
    try:
        return question_types.get(question.version.question.type)
    except KeyError:
        return None


def _grade_form(question: AttemptQuestion, data: Any = None) -> ManualGradeForm:
    initial = {}
    if not question.needs_grading and question.mark is not None:
        initial = {"mark": question.mark, "comment": question.grader_comment}
    return ManualGradeForm(
        data,
        prefix=f"grade-{question.position}",
        max_mark=question.max_mark,
        initial=initial,
    )


def _reviewed_question(
    question: AttemptQuestion,
    question_type: question_types.QuestionType | None,
    form: ManualGradeForm | None,
) -> ReviewedQuestion:
    version = question.version
    manual = bool(question_type and question_type.manually_graded)
    labels: Mapping[str, str] = {}
    right_answer = None
    if question_type is not None:
        try:
            labels = reports.answer_labels(question_type, version.definition)
            right = question_type.right_answer(version.definition)
            right_answer = None if right is None else readable_answer(right, labels)
        except (KeyError, TypeError, ValueError, ValidationError):  # a broken definition
            labels, right_answer = {}, None
    correctness = ""
    if question.fraction is not None and not question.needs_grading:
        correctness = str(CORRECTNESS_LABELS[selectors.correctness_of(question.fraction)])
    definition = version.definition if isinstance(version.definition, Mapping) else {}
    return ReviewedQuestion(
        position=question.position,
        name=version.question.name,
        type_label=_type_label(version.question.type),
        text=_sanitised(version.text),
        answer=readable_answer(question.answer, labels, count_words=manual),
        right_answer=right_answer,
        mark=_number(question.mark),
        max_mark=_number(question.max_mark),
        needs_grading=question.needs_grading,
        correctness=correctness,
        feedback=question.feedback,
        general_feedback=_sanitised(version.general_feedback),
        grader_comment=question.grader_comment,
        # Written for graders (essays); never shown to trainees.
        grader_info=str(definition.get("grader_info") or ""),
        manually_graded=manual,
        form=form,
    )


class AttemptReviewView(QuizReportMixin, WagtailAdminTemplateMixin, View):
    """One attempt, question by question, with a grading form for each answer graded by
    hand (submitted attempts, for those who may grade)."""

    template_name = "quizzes/admin/reports/attempt.html"
    header_icon = "view"

    def load(self, attempt_id: int) -> tuple[Attempt, Attempt]:
        """The attempt as an `attempts_table` row and with its questions; 404 unless it is
        an attempt of the quiz in the URL."""
        row = reports.attempt_in_report(self.quiz, attempt_id)
        attempt = selectors.attempt_with_questions(attempt_id) if row is not None else None
        if row is None or attempt is None:
            raise Http404
        self.row = row
        return row, attempt

    def get_page_title(self) -> str:
        return _("Attempt %(number)d") % {"number": self.row.number}

    def get_page_subtitle(self) -> str:
        return trainee_name(self.row)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return self.quiz_breadcrumbs(
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()}
        )

    def get(self, request: HttpRequest, quiz_id: int, attempt_id: int) -> HttpResponse:
        return self.render_review(*self.load(attempt_id))

    def post(self, request: HttpRequest, quiz_id: int, attempt_id: int) -> HttpResponse:
        if not selectors.can_grade_attempts(request.user):
            return forbidden(request)
        row, attempt = self.load(attempt_id)
        position = request.POST.get("position", "")
        question = next(
            (q for q in attempt.questions.all() if str(q.position) == position.strip()), None
        )
        question_type = _question_type(question) if question is not None else None
        if question is None or question_type is None or not question_type.manually_graded:
            raise Http404
        form = _grade_form(question, request.POST)
        if form.is_valid():
            try:
                services.grade_manually(
                    question,
                    fraction=form.fraction(),
                    comment=form.cleaned_data["comment"],
                    grader=request.user,
                )
            except services.QuizError as error:
                form.add_error(None, error.message)
            except question_types.AnswerError as error:
                form.add_error("mark", error.messages)
            else:
                self.report_graded(question, form)
                return redirect(attempt_url(self.quiz, attempt.pk, question.position))
        return self.render_review(row, attempt, form)

    def report_graded(self, question: AttemptQuestion, form: ManualGradeForm) -> None:
        message = _("Question %(position)d graded: %(mark)s out of %(max_mark)s.") % {
            "position": question.position,
            "mark": _number(form.cleaned_data["mark"]),
            "max_mark": _number(question.max_mark),
        }
        following = reports.attempts_needing_grading(self.quiz).first()
        buttons = []
        if following is not None:
            buttons.append(
                messages.button(
                    attempt_url(self.quiz, following.pk, following.first_position_to_grade),
                    _("Next answer to grade"),
                )
            )
        messages.success(self.request, message, buttons=buttons)

    def render_review(
        self, row: Attempt, attempt: Attempt, bound_form: ManualGradeForm | None = None
    ) -> HttpResponse:
        may_grade = selectors.can_grade_attempts(self.request.user)
        submitted = attempt.state == AttemptState.SUBMITTED
        questions = []
        for question in attempt.questions.all():
            question_type = _question_type(question)
            form = None
            if bound_form is not None and bound_form.prefix == f"grade-{question.position}":
                form = bound_form
            elif may_grade and submitted and question_type and question_type.manually_graded:
                form = _grade_form(question)
            questions.append(_reviewed_question(question, question_type, form))
        summary = [
            (_("Quiz"), self.quiz.title),
            (_("Trainee"), trainee_name(row)),
            (_("Attempt"), str(row.number)),
            (_("State"), row.get_state_display()),
            (_("Started"), _when(row.started_at)),
            (_("Submitted"), _when(row.submitted_at) or NOT_AVAILABLE),
            (_("Duration"), _duration(row.duration) or NOT_AVAILABLE),
            (_("Score"), _score(row) or NOT_AVAILABLE),
            (_("Percent"), _percent(row.percent)),
            (_("Result"), _result(row) or NOT_AVAILABLE),
            (_("Counts for the grade"), _("Yes") if row.counted else _("No")),
        ]
        context = self.get_context_data(
            quiz=self.quiz,
            attempt=row,
            summary=summary,
            questions=questions,
            may_grade=may_grade,
            submitted=submitted,
            results_url=report_url("results", self.quiz),
            grading_url=report_url("grading", self.quiz),
        )
        return self.render_to_response(context)
