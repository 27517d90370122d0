"""Reads behind the training reports for trainers (lms.report_views).

Every report is a fixed number of aggregating queries (one or two) whatever the number of
courses, units, trainees or attempts: grouped or conditional counts, never a query or a
Python loop per enrolment. Rates are left to the caller (a division of two counts it
already has).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone

from courses.models import CoursePage
from quizzes.models import Quiz
from quizzes.reports import counted_attempts

from .models import Certificate, Enrolment, SessionRegistration, TrainingSession, Unit
from .selectors import source_language

#: Width of a score band of the quiz histogram, in percentage points.
BAND_WIDTH = 10
#: The bands' lower bounds: 0, 10, ... 90 (the last band takes 100 too).
BANDS = tuple(range(0, 100, BAND_WIDTH))


@dataclass(frozen=True, slots=True)
class ReportFilters:
    """What every report can be narrowed to; None filters nothing. Dates are whole days
    in the site's time zone, both inclusive."""

    course: CoursePage | None = None
    unit: Unit | None = None
    date_from: date | None = None
    date_to: date | None = None

    @classmethod
    def scoped(cls, cleaned_data: Mapping[str, Any], scope_unit: Unit | None) -> ReportFilters:
        """The filters of a valid filter form (the admin's or the API's); without a unit
        chosen, a trainer of one unit gets their unit's subtree (`scope_unit`)."""
        return cls(
            course=cleaned_data.get("course"),
            unit=cleaned_data.get("unit") or scope_unit,
            date_from=cleaned_data.get("date_from"),
            date_to=cleaned_data.get("date_to"),
        )


def rate(part: int, whole: int) -> float | None:
    """A percentage rounded to one decimal, None when there is nothing to divide by."""
    return round(100 * part / whole, 1) if whole else None


def days(value: timedelta | None) -> float | None:
    """A duration in days rounded to one decimal (None stays None)."""
    return None if value is None else round(value.total_seconds() / 86400, 1)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _in_period(field: str, filters: ReportFilters) -> Q:
    """Bounds on the column itself (index-friendly), not on a date extracted from it."""
    condition = Q()
    if filters.date_from:
        condition &= Q(**{f"{field}__gte": _start_of(filters.date_from)})
    if filters.date_to:
        condition &= Q(**{f"{field}__lt": _start_of(filters.date_to + timedelta(days=1))})
    return condition


def _in_unit_tree(user_field: str, unit: Unit | None) -> Q:
    """Users whose unit is `unit` or below it: treebeard's path starts with its path."""
    if unit is None:
        return Q()
    return Q(**{f"{user_field}__trainee_profile__unit__path__startswith": unit.path})


def report_courses() -> QuerySet[CoursePage]:
    """Live courses in the source language, where enrolments are recorded: the course
    filter's choices and the rows of `course_completion`."""
    return (
        CoursePage.objects.live()
        .filter(locale__language_code=source_language())
        .order_by("title", "pk")
    )


def report_units() -> QuerySet[Unit]:
    """Every unit in tree order (parents before their children)."""
    return Unit.objects.order_by("path")


def report_quizzes() -> QuerySet[Quiz]:
    """Quizzes in the source language; `quizzes.reports.quiz_for_report` finds the
    translation holding the attempts."""
    return Quiz.objects.filter(locale__language_code=source_language()).order_by("title", "pk")


def filtered_enrolments(filters: ReportFilters) -> QuerySet[Enrolment]:
    """Enrolments on live source-language courses, narrowed by the filters (the period is
    the enrolment date)."""
    enrolments = Enrolment.objects.filter(
        _in_unit_tree("user", filters.unit),
        _in_period("enrolled_at", filters),
        course__in=report_courses().values("pk"),
    )
    if filters.course is not None:
        enrolments = enrolments.filter(course=filters.course)
    return enrolments


def course_completion(filters: ReportFilters) -> list[CoursePage]:
    """Each course (or the filtered one) with `enrolled`, `completed`, `certified` (how many
    of those enrolments have their certificate) and `average_time` to complete (a
    timedelta, None before anyone completed): three queries, the enrolments and the
    certificates each counted in one pass grouped by course (counts per course as
    correlated subqueries re-read them for every course: 0.4 s at 150,000 enrolments)."""
    enrolments = filtered_enrolments(filters)
    time_taken = ExpressionWrapper(
        F("completed_at") - F("enrolled_at"), output_field=DurationField()
    )
    done = Q(completed_at__isnull=False)
    figures = {
        row["course"]: row
        for row in enrolments.order_by()
        .values("course")
        .annotate(
            enrolled=Count("pk"),
            completed=Count("pk", filter=done),
            average_time=Avg(time_taken, filter=done),
        )
    }
    certified = dict(
        Certificate.objects.filter(
            Exists(enrolments.filter(user=OuterRef("user"), course=OuterRef("course")))
        )
        .order_by()
        .values("course")
        .annotate(n=Count("pk"))
        .values_list("course", "n")
    )
    for course_id, row in figures.items():
        row["certified"] = certified.get(course_id, 0)
    courses = report_courses().only("title")
    if filters.course is not None:
        courses = courses.filter(pk=filters.course.pk)
    return [_with_figures(course, figures.get(course.pk), COURSE_FIGURES) for course in courses]


#: The figures a course or unit row carries, and their values without enrolments.
COURSE_FIGURES = {"enrolled": 0, "completed": 0, "certified": 0, "average_time": None}
UNIT_FIGURES = {"enrolled": 0, "completed": 0}


def _with_figures(row: Any, figures: dict | None, defaults: dict[str, Any]) -> Any:
    for name, default in defaults.items():
        setattr(row, name, default if figures is None else figures[name])
    return row


def unit_completion(filters: ReportFilters) -> list[Unit]:
    """Each unit (the filtered unit's subtree, or all) in tree order with `enrolled` and
    `completed` counted over the trainees of the unit AND every unit below it: two
    queries. The enrolments are counted once per trainee's own unit, then each unit adds
    up its own and its descendants' counts (a tree path starts with its ancestors' paths):
    counting every unit's subtree in SQL re-read each enrolment once per level (1 s at
    150,000 enrolments)."""
    own = (
        filtered_enrolments(
            ReportFilters(
                course=filters.course, date_from=filters.date_from, date_to=filters.date_to
            )
        )
        .exclude(user__trainee_profile__unit=None)
        .order_by()
        .values(path=F("user__trainee_profile__unit__path"))
        .annotate(enrolled=Count("pk"), completed=Count("pk", filter=Q(completed_at__isnull=False)))
    )
    units = list(report_units())
    if filters.unit is not None:
        units = [unit for unit in units if unit.path.startswith(filters.unit.path)]
    totals = {unit.path: dict(UNIT_FIGURES) for unit in units}
    for row in own:  # one row per unit that has enrolments, never per enrolment
        for depth in range(1, len(row["path"]) // Unit.steplen + 1):
            total = totals.get(row["path"][: depth * Unit.steplen])
            if total is not None:
                total["enrolled"] += row["enrolled"]
                total["completed"] += row["completed"]
    return [_with_figures(unit, totals[unit.path], UNIT_FIGURES) for unit in units]


@dataclass(frozen=True, slots=True)
class ScoreBand:
    low: int  # inclusive
    high: int  # inclusive for the last band (100), exclusive otherwise
    attempts: int


@dataclass(frozen=True, slots=True)
class ScoreDistribution:
    attempts: int  # the submitted attempts that count (quiz's grading method)
    passed: int
    average_percent: float | None
    bands: list[ScoreBand]  # attempts with a percent, in 10-point bands


def _band(low: int) -> Q:
    if low + BAND_WIDTH >= 100:
        return Q(percent__gte=low)
    return Q(percent__gte=low, percent__lt=low + BAND_WIDTH)


def score_distribution(quiz: Quiz, filters: ReportFilters) -> ScoreDistribution:
    """One query: the attempts of `quiz` (the translation holding them) that count for the
    trainees' grades, submitted in the period, by trainees of the unit's subtree."""
    attempts = counted_attempts(quiz).filter(
        _in_unit_tree("user", filters.unit), _in_period("submitted_at", filters)
    )
    figures = attempts.order_by().aggregate(
        attempts=Count("pk"),
        passed=Count("pk", filter=Q(passed=True)),
        average_percent=Avg("percent"),
        **{f"band_{low}": Count("pk", filter=_band(low)) for low in BANDS},
    )
    average = figures["average_percent"]
    return ScoreDistribution(
        attempts=figures["attempts"],
        passed=figures["passed"],
        average_percent=None if average is None else float(average),
        bands=[
            ScoreBand(low=low, high=min(low + BAND_WIDTH, 100), attempts=figures[f"band_{low}"])
            for low in BANDS
        ],
    )


def overdue_enrolments(filters: ReportFilters, today: date | None = None) -> QuerySet[Enrolment]:
    """Enrolments due before today and not completed, most overdue first, with the trainee,
    their unit and the course joined in (one query per page). The period is the due date."""
    today = today or timezone.localdate()
    enrolments = Enrolment.objects.filter(
        _in_unit_tree("user", filters.unit),
        course__in=report_courses().values("pk"),
        due_date__lt=today,
        completed_at__isnull=True,
    )
    if filters.course is not None:
        enrolments = enrolments.filter(course=filters.course)
    if filters.date_from:
        enrolments = enrolments.filter(due_date__gte=filters.date_from)
    if filters.date_to:
        enrolments = enrolments.filter(due_date__lte=filters.date_to)
    return enrolments.select_related("user__trainee_profile__unit", "course").order_by(
        "due_date", "user__last_name", "user__first_name", "user__username", "pk"
    )


# --- classroom and practical sessions ------------------------------------------------------

#: The figures of a session kind's row, counted by `session_participants`.
SESSION_FIGURES = ("sessions", "registered", "waitlisted", "present", "absent")


@dataclass(frozen=True, slots=True)
class SessionKindFigures:
    kind: str  # a TrainingSession.Kind
    label: str
    sessions: int  # sessions with at least one of the counted trainees
    registered: int  # seats taken
    waitlisted: int
    present: int
    absent: int


def session_participants(filters: ReportFilters) -> list[SessionKindFigures]:
    """Each kind of session, in the order of `TrainingSession.Kind`, with its trainees:
    seats taken, waiting, marked present and absent, and the sessions they were at. The
    trainees are the unit's subtree's, the sessions those that start in the period (on
    the course): one query, grouped by kind."""
    status = SessionRegistration.Status
    seated = Q(status=status.REGISTERED)
    registrations = SessionRegistration.objects.filter(
        _in_unit_tree("user", filters.unit),
        _in_period("session__starts_at", filters),
        status__in=(status.REGISTERED, status.WAITLISTED),
    )
    if filters.course is not None:
        registrations = registrations.filter(session__course=filters.course)
    figures = {
        row["kind"]: row
        for row in registrations.order_by()
        .values(kind=F("session__kind"))
        .annotate(
            sessions=Count("session", distinct=True),
            registered=Count("pk", filter=seated),
            waitlisted=Count("pk", filter=Q(status=status.WAITLISTED)),
            present=Count("pk", filter=seated & Q(attended=True)),
            absent=Count("pk", filter=seated & Q(attended=False)),
        )
    }
    return [
        SessionKindFigures(
            kind=kind,
            label=str(label),
            **{name: figures.get(kind, {}).get(name, 0) for name in SESSION_FIGURES},
        )
        for kind, label in TrainingSession.Kind.choices
    ]
