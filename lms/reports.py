"""Reads behind the training reports for trainers (lms.report_views).

Every report is one aggregating query whatever the number of courses, units, trainees or
attempts: counts are correlated subqueries or conditional aggregates, never a query per
row. Rates are left to the caller (a division of two counts it already has).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from courses.models import CoursePage
from quizzes.models import Quiz
from quizzes.reports import counted_attempts

from .models import Certificate, Enrolment, Unit
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


def _count(rows: QuerySet) -> Coalesce:
    """COUNT(*) of `rows` (narrowed to the outer row through OuterRef) as a correlated
    subquery. A plain Func rather than Count: Django would add a GROUP BY for an aggregate,
    splitting the one count into several rows."""
    counted = rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def course_completion(filters: ReportFilters) -> QuerySet[CoursePage]:
    """One query: each course (or the filtered one) with `enrolled`, `completed`,
    `certified` (how many of those enrolments have their certificate) and `average_time`
    to complete (a timedelta, None before anyone completed)."""
    enrolments = filtered_enrolments(filters).filter(course=OuterRef("pk"))
    completed = enrolments.filter(completed_at__isnull=False)
    time_taken = ExpressionWrapper(
        F("completed_at") - F("enrolled_at"), output_field=DurationField()
    )
    average_time = (
        completed.order_by().values("course").annotate(average=Avg(time_taken)).values("average")
    )
    certified = enrolments.filter(
        Exists(Certificate.objects.filter(user=OuterRef("user"), course=OuterRef("course")))
    )
    courses = report_courses()
    if filters.course is not None:
        courses = courses.filter(pk=filters.course.pk)
    return courses.only("title").annotate(
        enrolled=_count(enrolments),
        completed=_count(completed),
        certified=_count(certified),
        average_time=Subquery(average_time, output_field=DurationField()),
    )


def unit_completion(filters: ReportFilters) -> QuerySet[Unit]:
    """One query: each unit (the filtered unit's subtree, or all) in tree order with
    `enrolled` and `completed` counted over the trainees of the unit AND every unit below it
    (their profile's unit path starts with the unit's path)."""
    enrolments = filtered_enrolments(
        ReportFilters(course=filters.course, date_from=filters.date_from, date_to=filters.date_to)
    ).filter(user__trainee_profile__unit__path__startswith=OuterRef("path"))
    units = report_units()
    if filters.unit is not None:
        units = units.filter(path__startswith=filters.unit.path)
    return units.annotate(
        enrolled=_count(enrolments),
        completed=_count(enrolments.filter(completed_at__isnull=False)),
    )


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
