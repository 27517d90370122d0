"""Trainer reports on a quiz's attempts: the attempts table and Moodle's statistics.

Read-side only, like `selectors`: every function runs a fixed number of queries,
whatever the number of attempts. The formulas live in `statistics`; this module
only picks the attempts that count and turns them into a marks matrix.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, NamedTuple, TypedDict

from django.db.models import (
    BooleanField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Concat, Trim
from django.utils import timezone

from . import question_types, selectors
from .models import Attempt, AttemptQuestion, AttemptState, GradingMethod, QuestionVersion, Quiz
from .statistics import QuestionStats, QuizStats, question_stats, quiz_stats, response_counts

#: Syntax of the responses in the response analysis (see `QuestionType.scorm_response`).
RESPONSE_SYNTAX = "2004"

# Which submitted attempt counts for a trainee, as an ORDER BY whose first row wins.
# Average has no entry: every submitted attempt counts (as in Moodle's report).
_COUNTED_ATTEMPT_ORDER = {
    GradingMethod.HIGHEST: (F("percent").desc(nulls_last=True), "number"),
    GradingMethod.FIRST: ("number",),
    GradingMethod.LAST: ("-number",),
}


def quiz_for_report(quiz_id: int) -> Quiz | None:
    """The quiz a report is asked on, as the translation that holds its slots and
    attempts (translations share one attempt history): 2 queries."""
    quiz = selectors.quiz_with_source(quiz_id)
    return None if quiz is None else quiz.source


def counted_attempts(quiz: Quiz) -> QuerySet[Attempt]:
    """The submitted attempts that count under the quiz's grading method.

    One per trainee — the best percentage (the earliest attempt on a tie), the
    first or the last submitted attempt — or every submitted attempt for
    "average". Chosen in SQL by a correlated subquery, so the result composes
    (filters, ``__in``, counts) like any queryset.
    """
    return Attempt.objects.filter(Q(quiz=quiz) & _counts(quiz))


def _counts(quiz: Quiz) -> Q:
    """The condition on an attempt of this quiz that it counts for the trainee's grade."""
    submitted = Q(state=AttemptState.SUBMITTED)
    order = _COUNTED_ATTEMPT_ORDER.get(quiz.grading_method)
    if order is None:
        return submitted
    chosen = (
        Attempt.objects.filter(
            quiz=OuterRef("quiz"), user=OuterRef("user"), state=AttemptState.SUBMITTED
        )
        .order_by(*order)
        .values("pk")[:1]
    )
    return submitted & Q(pk=Subquery(chosen))


# --------------------------------------------------------------------------- attempts table


class AttemptTableFilters(TypedDict, total=False):
    """Cleaned filter values of `attempts_table`; a missing or empty value filters nothing."""

    state: str | None
    passed: bool | None
    search: str | None  # every word must occur in the username, first or last name
    started_from: date | None  # inclusive, a day in the current time zone
    started_to: date | None  # inclusive


def attempts_table(
    quiz: Quiz, filters: AttemptTableFilters | Mapping[str, Any] | None = None
) -> QuerySet[Attempt]:
    """Every attempt of the quiz (in progress too), one query, as `Attempt` rows with:

    ``username``, ``full_name`` ("First Last"), ``duration`` (a timedelta; ``None``
    until submitted) and ``counted`` (the attempt counts under the grading method),
    next to the model's own number, state, started_at, submitted_at, score,
    max_score, percent, passed and needs_grading. Sorted by last name, first name,
    username and attempt number.
    """
    rows = (
        Attempt.objects.filter(quiz=quiz)
        .annotate(
            username=F("user__username"),
            full_name=Trim(Concat("user__first_name", Value(" "), "user__last_name")),
            duration=ExpressionWrapper(
                F("submitted_at") - F("started_at"), output_field=DurationField()
            ),
            counted=ExpressionWrapper(_counts(quiz), output_field=BooleanField()),
        )
        .order_by("user__last_name", "user__first_name", "user__username", "number")
    )
    return filter_attempts_table(rows, filters or {})


def filter_attempts_table(
    rows: QuerySet[Attempt], filters: AttemptTableFilters | Mapping[str, Any]
) -> QuerySet[Attempt]:
    """Narrow `attempts_table` rows by state, passed, a user search and a date range."""
    if state := filters.get("state"):
        rows = rows.filter(state=state)
    if (passed := filters.get("passed")) is not None:
        rows = rows.filter(passed=passed)
    for word in (filters.get("search") or "").split():
        rows = rows.filter(
            Q(user__username__icontains=word)
            | Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
        )
    # Whole days in the site's time zone, as bounds on the column (index-friendly).
    if started_from := filters.get("started_from"):
        rows = rows.filter(started_at__gte=_start_of_day(started_from))
    if started_to := filters.get("started_to"):
        rows = rows.filter(started_at__lt=_start_of_day(started_to + timedelta(days=1)))
    return rows


def _start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


# --------------------------------------------------------------------------- statistics


@dataclass(frozen=True, slots=True)
class ResponseCount:
    response: str
    count: int


@dataclass(frozen=True, slots=True)
class QuestionResponses:
    """A bank question drawn at a position, with the responses trainees gave to it.

    ``text`` is the question's latest text; the responses were given to whichever
    version each attempt used. ``count`` attempts drew it, ``no_response`` of them
    left it unanswered.
    """

    question_id: int
    name: str
    type: str
    text: str
    count: int
    no_response: int
    responses: list[ResponseCount]


@dataclass(frozen=True, slots=True)
class PositionReport:
    """One position of the quiz: its statistics and the questions drawn there.

    ``position`` counts the quiz's questions in slot order (the position an
    attempt shows them in unless the quiz shuffles them), ``slot`` is the slot's
    own position. A fixed slot draws one question (per language); a random slot
    may draw several, whose marks are analysed together, as Moodle does.
    ``statistics`` is ``None`` for a position worth no marks.
    """

    position: int
    slot: int | None
    random: bool
    max_mark: float
    statistics: QuestionStats | None
    questions: list[QuestionResponses]


@dataclass(frozen=True, slots=True)
class QuizStatisticsReport:
    quiz_id: int
    grading_method: str
    max_grade: float
    #: Counted attempts with an answer still to be graded by hand (it counts as 0 meanwhile).
    attempts_needing_grading: int
    statistics: QuizStats
    positions: list[PositionReport]


class _Row(NamedTuple):
    """One question of a counted attempt, as `_counted_rows` reads it."""

    attempt_id: int
    position: int
    slot: int | None  # the slot's position; None once the slot was deleted
    random_category_id: int | None
    mark: Decimal | None
    max_mark: Decimal
    answer: Any
    version_id: int
    question_id: int
    needs_grading: bool


_ROW_FIELDS = (
    "attempt_id",
    "position",
    "slot__position",
    "slot__random_category_id",
    "mark",
    "max_mark",
    "answer",
    "version_id",
    "version__question_id",
    "needs_grading",
)


# An item's key: (slot position, k-th question of that slot in the attempt); an
# answer whose slot was deleted keeps its attempt position. Keys sort in quiz order
# and do not change when the quiz shuffles its questions.
_ItemKey = tuple[int, int, int]


def quiz_statistics(quiz: Quiz) -> QuizStatisticsReport:
    """Moodle's statistics over the attempts that count: 2 queries.

    One query reads the marks and answers of the counted attempts (ordered by
    attempt and position), one the question versions they used. A position an
    attempt lacks (the quiz was edited after it) counts as 0 marks.
    """
    rows = _counted_rows(quiz)
    versions = {
        pk: (definition, question_type, name, text)
        for pk, definition, question_type, name, text in QuestionVersion.objects.filter(
            pk__in={row.version_id for row in rows}
        ).values_list(
            "pk",
            "definition",
            "question__type",
            "question__name",
            "question__latest_version__text",
        )
    }

    by_attempt = _items_by_attempt(rows)
    keys = sorted({key for items in by_attempt for key in items})
    item_rows = {key: [items[key] for items in by_attempt if key in items] for key in keys}
    max_marks = {key: float(max(row.max_mark for row in item_rows[key])) for key in keys}
    marked = [key for key in keys if max_marks[key] > 0]

    marks = [
        [_scaled_mark(items.get(key), max_marks[key]) for key in marked] for items in by_attempt
    ]
    positions = {key: number for number, key in enumerate(keys, start=1)}
    item_stats = dict(
        zip(
            marked,
            question_stats(
                marks, [max_marks[key] for key in marked], slots=[positions[k] for k in marked]
            ),
            strict=True,
        )
    )
    return QuizStatisticsReport(
        quiz_id=quiz.pk,
        grading_method=quiz.grading_method,
        max_grade=math.fsum(max_marks[key] for key in marked),
        attempts_needing_grading=sum(
            any(row.needs_grading for row in items.values()) for items in by_attempt
        ),
        statistics=quiz_stats(marks, [max_marks[key] for key in marked]),
        positions=[
            PositionReport(
                position=positions[key],
                slot=None if key[0] else key[1],
                random=any(row.random_category_id for row in item_rows[key]),
                max_mark=max_marks[key],
                statistics=item_stats.get(key),
                questions=_responses(item_rows[key], versions),
            )
            for key in keys
        ],
    )


def _counted_rows(quiz: Quiz) -> list[_Row]:
    """The questions of the counted attempts, ordered by attempt and position: 1 query."""
    values = (
        AttemptQuestion.objects.filter(attempt__in=counted_attempts(quiz))
        .order_by("attempt_id", "position")
        .values_list(*_ROW_FIELDS)
    )
    return [_Row._make(row) for row in values]


def _items_by_attempt(rows: list[_Row]) -> list[dict[_ItemKey, _Row]]:
    """Each counted attempt's rows by item key (see `_ItemKey`), in attempt order."""
    attempts: dict[int, dict[_ItemKey, _Row]] = {}
    drawn_from_slot: Counter[tuple[int, int]] = Counter()
    for row in rows:  # ordered by attempt, then position
        items = attempts.setdefault(row.attempt_id, {})
        if row.slot is None:
            items[(1, row.position, 0)] = row
        else:
            items[(0, row.slot, drawn_from_slot[row.attempt_id, row.slot])] = row
            drawn_from_slot[row.attempt_id, row.slot] += 1
    return list(attempts.values())


def _scaled_mark(row: _Row | None, max_mark: float) -> float:
    """The row's mark on the position's maximum (the slot's mark may have changed)."""
    if row is None or row.mark is None or row.max_mark == 0:
        return 0.0
    if row.max_mark == max_mark:
        return float(row.mark)
    return float(row.mark) * max_mark / float(row.max_mark)


def _responses(
    rows: list[_Row], versions: Mapping[int, tuple[Any, str, str, str]]
) -> list[QuestionResponses]:
    """The response analysis of one position, per question drawn (most drawn first).

    Each question type renders its own answers (its SCORM 2004 learner response:
    option ids for choices, "true"/"false", the text typed, ...).
    """
    by_question: dict[int, list[_Row]] = defaultdict(list)
    for row in rows:
        by_question[row.question_id].append(row)
    result = []
    for question_id, drawn in sorted(
        by_question.items(), key=lambda item: (-len(item[1]), item[0])
    ):
        given = []
        for row in drawn:
            if row.answer is not None:
                definition, type_name, _, _ = versions[row.version_id]
                question_type = question_types.get(type_name)
                given.append(question_type.scorm_response(definition, row.answer, RESPONSE_SYNTAX))
        _, type_name, name, text = versions[drawn[0].version_id]
        result.append(
            QuestionResponses(
                question_id=question_id,
                name=name,
                type=type_name,
                text=text or "",
                count=len(drawn),
                no_response=len(drawn) - len(given),
                responses=[
                    ResponseCount(response, times)
                    for response, times in response_counts(given).items()
                ],
            )
        )
    return result


# --------------------------------------------------------------------------- review and grading


def attempt_in_report(quiz: Quiz, attempt_id: int) -> Attempt | None:
    """One attempt of the quiz as an `attempts_table` row; None when the quiz (its source
    translation, see `quiz_for_report`) has no attempt with this id: 1 query."""
    return attempts_table(quiz).filter(pk=attempt_id).first()


def attempts_needing_grading(quiz: Quiz) -> QuerySet[Attempt]:
    """Submitted attempts with an answer still to be graded by hand, oldest submission
    first: one query.

    `attempts_table` rows plus ``questions_to_grade`` (how many answers wait for a
    grader) and ``first_position_to_grade`` (where the first of them is).
    """
    waiting = (
        AttemptQuestion.objects.filter(attempt=OuterRef("pk"), needs_grading=True)
        .order_by()
        .values("attempt")
    )
    return (
        attempts_table(quiz)
        .filter(state=AttemptState.SUBMITTED, needs_grading=True)
        .annotate(
            questions_to_grade=Subquery(waiting.annotate(count=Count("pk")).values("count")),
            first_position_to_grade=Subquery(
                waiting.annotate(first=Min("position")).values("first")
            ),
        )
        .order_by("submitted_at", "pk")
    )


def answer_labels(
    question_type: question_types.QuestionType, definition: Mapping[str, Any]
) -> dict[str, str]:
    """What the ids in a question's answers and responses stand for, from what the player
    shows (`player_data`): each option, item, prompt or answer id with its text.

    An id without a text (a cloze gap) is named by its place in its list, "#1", "#2"...
    The first text found wins should two lists share an id (the editor never does that).
    """
    labels: dict[str, str] = {}
    _collect_labels(question_type.player_data(dict(definition), None), labels)
    return labels


def _collect_labels(data: Any, labels: dict[str, str], place: int | None = None) -> None:
    if isinstance(data, Mapping):
        item_id = data.get("id")
        if isinstance(item_id, str):
            text = data.get("text")
            if isinstance(text, str):
                labels.setdefault(item_id, text)
            elif place is not None:
                labels.setdefault(item_id, f"#{place}")
        for value in data.values():
            _collect_labels(value, labels)
    elif isinstance(data, list):
        for number, item in enumerate(data, start=1):
            _collect_labels(item, labels, number)


def response_labels(report: QuizStatisticsReport) -> dict[int, dict[str, str]]:
    """`answer_labels` of every question in a statistics report, by question id, from each
    question's latest version (option ids stay the same across versions): 1 query."""
    question_ids = {
        question.question_id for position in report.positions for question in position.questions
    }
    latest = QuestionVersion.objects.filter(
        question_id__in=question_ids, question__latest_version=F("pk")
    ).values_list("question_id", "question__type", "definition")
    labels = {}
    for question_id, type_name, definition in latest:
        try:
            labels[question_id] = answer_labels(question_types.get(type_name), definition)
        except (KeyError, TypeError, ValueError):  # an unknown type or a broken definition
            labels[question_id] = {}
    return labels


#: Separators of SCORM 2004 responses: between values, and inside a matching pair.
_RESPONSE_VALUES = "[,]"
_RESPONSE_PAIR = "[.]"


def readable_response(response: str, labels: Mapping[str, str]) -> str:
    """A response of the statistics report (SCORM 2004 syntax) with its ids replaced by
    their texts: "p1[.]c1[,]p2[.]c2" reads "Red Notice → provisional arrest; Blue Notice → ...".
    Typed texts come through unchanged (their delimiters were defused when recorded)."""
    return "; ".join(
        " → ".join(labels.get(token, token) for token in value.split(_RESPONSE_PAIR))
        for value in response.split(_RESPONSE_VALUES)
    )
