"""Writes of the quiz engine: bank versions, attempt start, save, submit, grading.

Every function runs in one transaction. Concurrency is settled by the database:
row locks on the attempt (save/submit), and unique constraints on attempt
numbers and on "one attempt in progress" (start).
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NoReturn

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.db.models import Field, Max, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from . import question_types
from .models import (
    Attempt,
    AttemptQuestion,
    AttemptState,
    Question,
    QuestionCategory,
    QuestionVersion,
    Quiz,
    QuizSlot,
)
from .selectors import (
    VersionContent,
    in_progress_attempt,
    keys_to_translate,
    latest_attempt,
    question_translations,
    questions_in_order,
    random_slot_candidates,
    version_content,
    version_contents,
)
from .signals import attempt_graded

TWO_PLACES = Decimal("0.01")
#: The attempt's fields that `_total` sets.
TOTAL_FIELDS = ("score", "percent", "passed", "needs_grading")


class QuizError(Exception):
    """A request the quiz's state does not allow; `code` names the reason."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class AttemptConflict(QuizError):
    """The attempt or quiz is in a state that forbids this (HTTP 409)."""


class AttemptNotFound(Exception):
    """No such attempt, or not the given trainee's."""


# ---------------------------------------------------------------- question bank


@transaction.atomic
def create_question(
    *,
    category: QuestionCategory,
    type: str,
    name: str,
    text: str,
    definition: dict[str, Any],
    general_feedback: str = "",
    default_mark: Decimal = Decimal("1"),
    tags: list[str] | None = None,
    locale: Locale | None = None,
    user: AbstractBaseUser | None = None,
    **fields: Any,
) -> Question:
    question_type = question_types.get(type)
    definition = question_type.clean_definition(definition)
    question = Question.objects.create(
        category=category,
        type=type,
        name=name,
        default_mark=default_mark,
        locale=locale or Locale.get_default(),
        **fields,
    )
    if tags:
        question.tags.set(tags)
    _add_version(question, text, definition, general_feedback, user)
    return question


@transaction.atomic
def edit_question(
    question: Question,
    *,
    text: str,
    definition: dict[str, Any],
    general_feedback: str = "",
    user: AbstractBaseUser | None = None,
) -> QuestionVersion:
    """Editing never changes a version: it adds one, which becomes the latest."""
    locked = Question.objects.select_for_update().get(pk=question.pk)
    definition = locked.question_type.clean_definition(definition)
    return _add_version(locked, text, definition, general_feedback, user)


def _add_version(
    question: Question,
    text: str,
    definition: dict[str, Any],
    general_feedback: str,
    user: AbstractBaseUser | None,
) -> QuestionVersion:
    last = question.versions.aggregate(last=Max("number"))["last"] or 0
    version = QuestionVersion.objects.create(
        question=question,
        number=last + 1,
        text=text,
        definition=definition,
        general_feedback=general_feedback,
        created_by=user,
        source_version_id=_source_version_now(question),
    )
    question.latest_version = version
    question.save(update_fields=["latest_version"])
    return version


# ---------------------------------------------------------------- attempts


@dataclass(frozen=True)
class StartResult:
    attempt: Attempt
    created: bool
    #: A new attempt's questions, as the player needs them (their versions' contents
    #: come from `selectors.version_contents`); None when an attempt in progress is resumed.
    questions: list[AttemptQuestion] | None = None


def start_attempt(
    quiz: Quiz,
    user: AbstractBaseUser,
    *,
    language: str = "pl",
    now: datetime | None = None,
) -> StartResult:
    """Resume the trainee's attempt in progress, or start the next one.

    Raises AttemptConflict when the quiz is closed or no attempts are left.
    """
    now = now or timezone.now()
    latest = latest_attempt(quiz, user)
    if latest is not None and latest.state == AttemptState.IN_PROGRESS:
        latest = close_if_overdue(latest, now=now)
        if latest.state == AttemptState.IN_PROGRESS:
            return StartResult(latest, created=False)
    _check_available(quiz, now)
    used = latest.number if latest is not None else 0
    if quiz.attempts_allowed and used >= quiz.attempts_allowed:
        raise AttemptConflict(
            str(_("No attempts left: %(allowed)d allowed.") % {"allowed": quiz.attempts_allowed}),
            "no_attempts_left",
        )
    try:
        with transaction.atomic():
            attempt, questions = _create_attempt(quiz, user, used + 1, language, now)
    except IntegrityError:
        # A concurrent request started this attempt first: resume that one.
        current = in_progress_attempt(quiz, user)
        if current is None:
            raise AttemptConflict(
                str(_("Another attempt was started at the same time; try again.")),
                "concurrent_start",
            ) from None
        return StartResult(current, created=False)
    return StartResult(attempt, created=True, questions=questions)


def _check_available(quiz: Quiz, now: datetime) -> None:
    if quiz.opens_at and now < quiz.opens_at:
        raise AttemptConflict(str(_("This quiz is not open yet.")), "not_open")
    if quiz.closes_at and now >= quiz.closes_at:
        raise AttemptConflict(str(_("This quiz is closed.")), "closed")


def _create_attempt(
    quiz: Quiz, user: AbstractBaseUser, number: int, language: str, now: datetime
) -> tuple[Attempt, list[AttemptQuestion]]:
    seed = secrets.randbits(48)
    deadline = now + quiz.time_limit if quiz.time_limit else None
    if quiz.closes_at and (deadline is None or quiz.closes_at < deadline):
        deadline = quiz.closes_at
    rng = random.Random(seed)
    drawn = draw_questions(quiz, rng, language)
    if quiz.shuffle_questions:
        rng.shuffle(drawn)
    attempt = Attempt.objects.create(
        quiz=quiz,
        user=user,
        number=number,
        seed=seed,
        language=language,
        started_at=now,
        deadline=deadline,
        max_score=sum((mark for _, _, mark in drawn), Decimal("0")),
    )
    questions = AttemptQuestion.objects.bulk_create(
        AttemptQuestion(
            attempt=attempt, position=position, slot=slot, version_id=version_id, max_mark=mark
        )
        for position, (slot, version_id, mark) in enumerate(drawn, start=1)
    )
    if all(question.pk for question in questions):  # ids come back (PostgreSQL, SQLite)
        layout = {q.position: (q.pk, q.version_id, q.max_mark) for q in questions}
        transaction.on_commit(lambda: _remember_layout(attempt.pk, user.pk, layout))
    return attempt, questions


def draw_questions(
    quiz: Quiz, rng: random.Random, language: str
) -> list[tuple[QuizSlot, int, Decimal]]:
    """The question versions (ids) for a new attempt, with their slots and marks, in slot
    order.

    Fixed slots use the pinned version or the latest; random slots draw from
    their category (and tags) without repeating a question of the quiz. Each
    question is shown in the attempt's language when a translation exists.
    """
    slots = list(quiz.slots.select_related("question", "random_category").order_by("position"))
    used = {slot.question.translation_key for slot in slots if slot.question}
    candidates = random_slot_candidates(slots)
    picked: list[tuple[QuizSlot, Question]] = []
    for slot in slots:
        if slot.question:
            picked.append((slot, slot.question))
            continue
        drawn = rng.sample(random_pool(slot, candidates[slot.pk], used), slot.random_count)
        used.update(question.translation_key for question in drawn)
        picked.extend((slot, question) for question in drawn)
    keys = keys_to_translate(language, [question for _, question in picked], quiz)
    translations = question_translations(language, keys)
    return [
        (slot, _shown_version_id(slot, question, translations), _slot_mark(slot, question))
        for slot, question in picked
    ]


def version_and_mark(
    slot: QuizSlot, question: Question, translations: dict
) -> tuple[QuestionVersion, Decimal]:
    """The version of a drawn question a trainee gets (as `draw_questions` picks it; the
    slot's pinned version and the latest versions loaded) and its mark."""
    if slot.pinned_version_id:
        version = slot.pinned_version
    else:
        shown = _shown(question, translations)
        version = shown.latest_version
        version.question = shown  # known, so the player needs no query for the type
    return version, _slot_mark(slot, question)


def _shown_version_id(slot: QuizSlot, question: Question, translations: dict) -> int:
    return slot.pinned_version_id or _shown(question, translations).latest_version_id


def _shown(question: Question, translations: dict) -> Question:
    """Whose latest version an unpinned slot shows: the question's translation in
    `translations`, else the question itself."""
    return translations.get(question.translation_key, question)


def _slot_mark(slot: QuizSlot, question: Question) -> Decimal:
    return slot.mark if slot.mark is not None else question.default_mark


def random_pool(slot: QuizSlot, candidates: list[Question], used: set[str]) -> list[Question]:
    """What a random slot draws from: its candidates (`selectors.random_slot_candidates`)
    but the questions already in the attempt (`used`: translation keys). QuizError when
    fewer are left than the slot draws."""
    pool = [question for question in candidates if question.translation_key not in used]
    if len(pool) < slot.random_count:
        raise QuizError(
            str(
                _("The category %(category)s has too few questions for this quiz.")
                % {"category": slot.random_category}
            ),
            "too_few_questions",
        )
    return pool


def close_if_overdue(attempt: Attempt, *, now: datetime | None = None) -> Attempt:
    """An attempt past its deadline is graded with the answers saved in time."""
    now = now or timezone.now()
    if attempt.state == AttemptState.IN_PROGRESS and _is_overdue(attempt, now):
        with transaction.atomic():
            locked = _locked_attempt(attempt.pk)
            if locked.state == AttemptState.IN_PROGRESS:
                _grade_and_close(locked, now, timed_out=True)
            return locked
    return attempt


def _is_overdue(attempt: Attempt, now: datetime) -> bool:
    return attempt.deadline is not None and now >= attempt.deadline


def save_answer(
    attempt: Attempt | int,
    position: int,
    answer: Any,
    *,
    trainee: AbstractBaseUser | None = None,
    now: datetime | None = None,
) -> AttemptQuestion:
    """Store and grade the answer to one question (None clears it); saving the same
    answer again changes nothing. Grading on save leaves submit only the totals.

    `attempt` may be just its id; with `trainee`, only their attempt is written to
    (else AttemptNotFound). Past the deadline the attempt is graded with what was saved
    in time (that is committed) and the late answer is refused with
    AttemptConflict("time_up").
    """
    now = now or timezone.now()
    attempt_id = _attempt_id(attempt)
    # Autosave is most of the quiz API's traffic. A process that knows where the
    # attempt's questions are grades the answer and writes it in one UPDATE, which
    # checks all it relied on; else the question is read first (unlocked) and written
    # by a guarded UPDATE. Only a refusal takes the lock.
    known = _known_question(attempt_id, position, trainee)
    if known is not None:
        try:
            _set_answer(known, _cleaned_answer(known, answer), now)
        except question_types.AnswerError:
            pass  # judged below: a closed attempt refuses before its answers are judged
        else:
            if _write_answer_if_open(known, attempt_id, now, trainee=trainee, as_known=True):
                return known
            _attempt_layouts.pop(attempt_id, None)  # stale, or nothing to write: read anew
    question = _answer_row(attempt_id, position, trainee, now)
    if question is not None and question.attempt_open:
        cleaned = _cleaned_answer(question, answer)
        if question.answer == cleaned and question.fraction is not None:
            return question
        _set_answer(question, cleaned, now)
        if _write_answer_if_open(question, attempt_id, now):
            return question
    _refuse_save(attempt_id, position, trainee, now)


def _cleaned_answer(question: AttemptQuestion, answer: Any) -> Any:
    """The answer as its question's version accepts it (AnswerError if it does not)."""
    if answer is None:
        return None
    version = version_content(question.version_id)
    return question_types.get(version.type).clean_answer(version.definition, answer)


def _set_answer(question: AttemptQuestion, cleaned: Any, now: datetime) -> None:
    version = version_content(question.version_id)
    question.answer = cleaned
    question.answered_at = now
    _set_grade(question, _grade_of(question_types.get(version.type), version.definition, cleaned))


@dataclass(frozen=True)
class _AttemptLayout:
    """Where an attempt's questions are, as saving needs them: its owner and, by
    position, each question's id, version id and maximum mark."""

    user_id: int
    questions: dict[int, tuple[int, int, Decimal]]


#: Attempts whose layout a process keeps before it starts afresh.
LAYOUT_CACHE_SIZE = 4096
# A hint only: the save's UPDATE checks every value it took from here, so a stale entry
# (a regrade moved a version, the attempt was submitted by another process) costs a
# second try, never a wrong write.
_attempt_layouts: dict[int, _AttemptLayout] = {}


def _remember_layout(
    attempt_id: int, user_id: int, questions: dict[int, tuple[int, int, Decimal]]
) -> _AttemptLayout:
    if len(_attempt_layouts) >= LAYOUT_CACHE_SIZE:
        _attempt_layouts.clear()
    layout = _attempt_layouts[attempt_id] = _AttemptLayout(user_id, questions)
    return layout


def _known_question(
    attempt_id: int, position: int, trainee: AbstractBaseUser | None
) -> AttemptQuestion | None:
    """The question at `position` as the attempt's layout has it (read once per process
    while the attempt is in progress); None if that is not the trainee's attempt, or
    there is no such question or open attempt."""
    layout = _attempt_layouts.get(attempt_id) or _read_layout(attempt_id)
    if layout is None or (trainee is not None and layout.user_id != trainee.pk):
        return None
    if position not in layout.questions:
        return None
    pk, version_id, max_mark = layout.questions[position]
    return AttemptQuestion(
        id=pk, attempt_id=attempt_id, position=position, version_id=version_id, max_mark=max_mark
    )


def _read_layout(attempt_id: int) -> _AttemptLayout | None:
    """An attempt's layout while it is in progress (remembered), else None."""
    questions, attempts = _tables()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT q.id, q.position, q.version_id, q.max_mark, a.user_id "
            f"FROM {questions} q JOIN {attempts} a ON a.id = q.attempt_id "
            f"WHERE q.attempt_id = %s AND a.state = %s",
            [attempt_id, AttemptState.IN_PROGRESS],
        )
        rows = cursor.fetchall()
    if not rows:
        return None
    max_mark = AttemptQuestion._meta.get_field("max_mark")
    return _remember_layout(
        attempt_id,
        rows[0][4],
        {
            position: (pk, version_id, _from_db(max_mark, mark))
            for pk, position, version_id, mark, _ in rows
        },
    )


def _attempt_id(attempt: Attempt | int) -> int:
    return attempt if isinstance(attempt, int) else attempt.pk


def _owned_by(trainee: AbstractBaseUser | None) -> dict[str, Any]:
    """The filter that keeps only `trainee`'s attempts (none without a trainee)."""
    return {} if trainee is None else {"user": trainee}


# Raw SQL on the autosave path: building these statements with the ORM cost more
# CPU than the rest of the request (measured in benchmarks/quiz_load.py).
_ANSWER_FIELDS = ("answer", "answered_at", "fraction", "mark", "feedback", "needs_grading")


def _tables() -> tuple[str, str]:
    quote = connection.ops.quote_name
    return quote(AttemptQuestion._meta.db_table), quote(Attempt._meta.db_table)


def _answer_columns() -> list[str]:
    quote = connection.ops.quote_name
    return [quote(AttemptQuestion._meta.get_field(name).column) for name in _ANSWER_FIELDS]


# What saving reads of the question. A RawQuerySet matched its columns to the model's
# fields on every call, which cost as much as the query itself.
_SAVE_READ_FIELDS = ("id", "version", "max_mark", "answer", "answered_at", "fraction")


def _answer_row(
    attempt_id: int, position: int, trainee: AbstractBaseUser | None, now: datetime
) -> AttemptQuestion | None:
    """The question at `position` (unlocked; what saving needs of it) with `attempt_open`:
    whether its attempt is in progress and before its deadline at `now`."""
    questions, attempts = _tables()
    fields = [AttemptQuestion._meta.get_field(name) for name in _SAVE_READ_FIELDS]
    columns = ", ".join("q." + connection.ops.quote_name(field.column) for field in fields)
    owner = "" if trainee is None else "AND a.user_id = %s"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns}, "
            f"(a.state = %s AND (a.deadline IS NULL OR a.deadline > %s)) "
            f"FROM {questions} q JOIN {attempts} a ON a.id = q.attempt_id "
            f"WHERE q.attempt_id = %s AND q.position = %s {owner}",
            [
                AttemptState.IN_PROGRESS,
                connection.ops.adapt_datetimefield_value(now),
                attempt_id,
                position,
                *([] if trainee is None else [trainee.pk]),
            ],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    *values, attempt_open = row
    known = {"attempt_id": attempt_id, "position": position}
    for field, value in zip(fields, values, strict=True):
        known[field.attname] = _from_db(field, value)
    # from_db takes the values in the model's field order.
    names = [f.attname for f in AttemptQuestion._meta.concrete_fields if f.attname in known]
    question = AttemptQuestion.from_db(connection.alias, names, [known[name] for name in names])
    question.attempt_open = bool(attempt_open)
    return question


def _from_db(field: Field, value: Any) -> Any:
    """A column's value as the ORM gives it (JSON decoded, SQLite's decimals and dates)."""
    column = field.get_col(AttemptQuestion._meta.db_table)
    for converter in [
        *connection.ops.get_db_converters(column),
        *column.get_db_converters(connection),
    ]:
        value = converter(value, column, connection)
    return value


def _write_answer_if_open(
    question: AttemptQuestion,
    attempt_id: int,
    now: datetime,
    *,
    trainee: AbstractBaseUser | None = None,
    as_known: bool = False,
) -> bool:
    """Write the graded answer in one statement, only while its attempt is in progress
    and before its deadline (and is `trainee`'s). The attempt row is share-locked: a
    submit holding it finishes first (then this writes nothing), and a submit coming
    later waits for this write and grades it.

    `as_known`: the question was not read, only known from the attempt's layout; the
    row must also still be at that position with that version and maximum mark, and
    hold another answer (or none graded): the same answer again is for the caller to
    find out, as it leaves the row as it is."""
    questions, attempts = _tables()
    lock = " FOR SHARE" if connection.features.has_select_for_update else ""
    fields = [AttemptQuestion._meta.get_field(name) for name in _ANSWER_FIELDS]
    values = [
        field.get_db_prep_save(getattr(question, field.attname), connection) for field in fields
    ]
    checks, parameters = "", []
    if as_known:
        # SQLite spells "is distinct from" as "is not".
        distinct = "IS NOT" if connection.vendor == "sqlite" else "IS DISTINCT FROM"
        checks = (
            f" AND position = %s AND version_id = %s AND max_mark = %s"
            f" AND (answer {distinct} %s OR fraction IS NULL)"
        )
        parameters = [
            question.position,
            question.version_id,
            AttemptQuestion._meta.get_field("max_mark").get_db_prep_save(
                question.max_mark, connection
            ),
            values[_ANSWER_FIELDS.index("answer")],
        ]
    owner = "" if trainee is None else " AND user_id = %s"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {questions} SET "
            f"{', '.join(column + ' = %s' for column in _answer_columns())} "
            f"WHERE id = %s{checks} AND attempt_id IN (SELECT id FROM {attempts} "
            f"WHERE id = %s{owner} AND state = %s AND (deadline IS NULL OR deadline > %s){lock})",
            [
                *values,
                question.pk,
                *parameters,
                attempt_id,
                *([] if trainee is None else [trainee.pk]),
                AttemptState.IN_PROGRESS,
                connection.ops.adapt_datetimefield_value(now),
            ],
        )
        return cursor.rowcount == 1


def _refuse_save(
    attempt_id: int, position: int, trainee: AbstractBaseUser | None, now: datetime
) -> NoReturn:
    """Why an answer was not saved, found under the attempt's lock. An attempt past
    its deadline is graded and closed with the answers saved in time."""
    with transaction.atomic():
        locked = _locked_attempt(attempt_id, trainee)
        if locked.state != AttemptState.IN_PROGRESS:
            raise AttemptConflict(str(_("This attempt has been submitted.")), "attempt_closed")
        if not _is_overdue(locked, now):
            raise question_types.AnswerError(
                {"position": [_("This attempt has no question %(n)s.") % {"n": position}]}
            )
        _grade_and_close(locked, now, timed_out=True)
    raise AttemptConflict(
        str(_("Time is up: the attempt was submitted with the answers saved before.")),
        "time_up",
    )


def _locked_attempt(attempt_id: int, trainee: AbstractBaseUser | None = None) -> Attempt:
    """The attempt with its quiz, row-locked (the quiz row is not)."""
    attempt = (
        Attempt.objects.select_related("quiz__locale")
        .select_for_update(of=("self",))
        .filter(pk=attempt_id, **_owned_by(trainee))
        .order_by()
        .first()
    )
    if attempt is None:
        raise AttemptNotFound(attempt_id)
    return attempt


@transaction.atomic
def submit_attempt(
    attempt: Attempt | int,
    *,
    trainee: AbstractBaseUser | None = None,
    now: datetime | None = None,
) -> Attempt:
    """Grade and close the attempt. A second submit gets AttemptConflict.

    `attempt` may be just its id; with `trainee`, only their attempt is submitted
    (else AttemptNotFound). The attempt comes back with its quiz and its questions (as
    `selectors.attempt_with_questions` gives them), ready for the result page.
    """
    now = now or timezone.now()
    locked = _locked_attempt(_attempt_id(attempt), trainee)
    if locked.state != AttemptState.IN_PROGRESS:
        raise AttemptConflict(str(_("This attempt has already been submitted.")), "attempt_closed")
    if trainee is not None:
        locked.user = trainee  # theirs (see the lock's filter): who passed needs no query
    _grade_and_close(locked, now, timed_out=_is_overdue(locked, now))
    return locked


def _grade_and_close(attempt: Attempt, now: datetime, *, timed_out: bool) -> None:
    # Answers are graded as they are saved; what is left is the unanswered
    # questions (and answers saved before grading on save existed).
    prefetch_related_objects([attempt], questions_in_order(with_versions=False))
    questions = list(attempt.questions.all())
    ungraded = [question for question in questions if question.fraction is None]
    contents = version_contents(question.version_id for question in ungraded)
    for question in ungraded:
        _grade_question(question, contents[question.version_id])
    if ungraded:
        AttemptQuestion.objects.bulk_update(
            ungraded, ["fraction", "mark", "feedback", "needs_grading"]
        )
    _attempt_layouts.pop(attempt.pk, None)
    attempt.state = AttemptState.SUBMITTED
    attempt.submitted_at = now
    attempt.timed_out = timed_out
    _total(attempt, questions)
    attempt.save(update_fields=["state", "submitted_at", "timed_out", *TOTAL_FIELDS])
    _announce_graded(attempt)


def _announce_graded(attempt: Attempt) -> None:
    transaction.on_commit(lambda: attempt_graded.send(sender=Attempt, attempt=attempt))


def _grade_question(question: AttemptQuestion, version: VersionContent) -> None:
    question_type = question_types.get(version.type)
    answer = question.answer
    if answer is not None:
        try:
            # Cleaning again matters after a regrade to a new version, whose
            # options may no longer accept the stored answer: that scores 0.
            answer = question_type.clean_answer(version.definition, answer)
        except question_types.AnswerError:
            _set_grade(question, question_types.Grade(0.0))
            return
    _set_grade(question, _grade_of(question_type, version.definition, answer))


def _grade_of(
    question_type: question_types.QuestionType, definition: dict[str, Any], cleaned: Any
) -> question_types.Grade:
    """The grade of a cleaned answer; no answer scores 0."""
    if cleaned is None:
        return question_types.Grade(0.0)
    return question_type.grade(definition, cleaned)


def _set_grade(question: AttemptQuestion, grade: question_types.Grade) -> None:
    question.fraction = Decimal(str(grade.fraction))
    question.feedback = grade.feedback
    question.needs_grading = grade.needs_manual_grading
    question.mark = _mark(question.fraction, question.max_mark)


def _mark(fraction: Decimal, max_mark: Decimal) -> Decimal:
    return (fraction * max_mark).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _total(attempt: Attempt, questions: list[AttemptQuestion]) -> None:
    attempt.score = sum((q.mark for q in questions), Decimal("0"))
    attempt.needs_grading = any(q.needs_grading for q in questions)
    if attempt.max_score:
        attempt.percent = (attempt.score * 100 / attempt.max_score).quantize(
            TWO_PLACES, rounding=ROUND_HALF_UP
        )
    else:
        attempt.percent = Decimal("0")
    attempt.passed = None if attempt.needs_grading else attempt.percent >= attempt.quiz.pass_mark


@transaction.atomic
def grade_manually(
    attempt_question: AttemptQuestion,
    *,
    fraction: Decimal,
    comment: str,
    grader: AbstractBaseUser,
) -> Attempt:
    """A reviewer's grade for an essay (or an override); the attempt total follows."""
    attempt = Attempt.objects.select_for_update().get(pk=attempt_question.attempt_id)
    if attempt.state != AttemptState.SUBMITTED:
        raise AttemptConflict(str(_("Only submitted attempts can be graded.")), "not_submitted")
    if not Decimal("0") <= fraction <= Decimal("1"):
        raise question_types.AnswerError({"fraction": [_("Give a fraction from 0 to 1.")]})
    question = AttemptQuestion.objects.get(pk=attempt_question.pk)
    question.fraction = fraction
    question.mark = _mark(fraction, question.max_mark)
    question.needs_grading = False
    question.grader_comment = comment
    question.graded_by = grader
    question.save(
        update_fields=["fraction", "mark", "needs_grading", "grader_comment", "graded_by"]
    )
    _total(attempt, list(attempt.questions.all()))
    attempt.save(update_fields=TOTAL_FIELDS)
    _announce_graded(attempt)
    return attempt


@transaction.atomic
def regrade_attempt(attempt: Attempt, *, to_latest_version: bool = False) -> Attempt:
    """Grade a submitted attempt again after a question was corrected.

    With `to_latest_version`, each question moves to its question's latest version
    first (Moodle's "regrade to the latest version"); the trainee's answers stay.
    Manual grades stay as the reviewer gave them, and so do the marks of answers erased
    on request (nothing is left to grade).
    """
    locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
    questions = list(locked.questions.select_related("version__question"))
    for question in questions:
        latest_id = question.version.question.latest_version_id
        if to_latest_version and latest_id is not None and latest_id != question.version_id:
            question.version_id = latest_id
    regraded = [q for q in questions if q.graded_by_id is None and not q.answer_erased]
    contents = version_contents(question.version_id for question in regraded)
    for question in regraded:
        _grade_question(question, contents[question.version_id])
    AttemptQuestion.objects.bulk_update(
        questions, ["version", "fraction", "mark", "feedback", "needs_grading"]
    )
    if locked.state == AttemptState.SUBMITTED:
        _total(locked, questions)
        locked.save(update_fields=TOTAL_FIELDS)
        _announce_graded(locked)
    return locked


def regrade_quiz(quiz: Quiz, *, to_latest_version: bool = False) -> int:
    """Regrade every submitted attempt of a quiz, each in its own transaction."""
    attempts = Attempt.objects.filter(quiz=quiz, state=AttemptState.SUBMITTED)
    count = 0
    for attempt in attempts.iterator():
        regrade_attempt(attempt, to_latest_version=to_latest_version)
        count += 1
    return count


def close_overdue_attempts(*, now: datetime | None = None) -> int:
    """Grade every attempt whose time ran out while nobody was looking (for cron or a
    task); returns how many were closed. Each is closed in its own transaction."""
    now = now or timezone.now()
    overdue = Attempt.objects.filter(state=AttemptState.IN_PROGRESS, deadline__lte=now)
    closed = 0
    for attempt in overdue.iterator():
        if close_if_overdue(attempt, now=now).state == AttemptState.SUBMITTED:
            closed += 1
    return closed


# ---------------------------------------------------------------- question translations


def _source_version_now(question: Question) -> int | None:
    """For a translation, the id of its original's latest version, else None.

    A new version of a translation is taken to match the original as it is now (the
    translator brought it up to date); the original is found through the source version
    of the translation's current latest version.
    """
    if question.latest_version_id is None:
        return None
    return (
        Question.objects.filter(versions__translated_versions=question.latest_version_id)
        .values_list("latest_version_id", flat=True)
        .first()
    )


def language_name(locale: Locale) -> str:
    """The locale's language in the current language ("angielski" in Polish)."""
    try:
        return str(get_language_info(locale.language_code)["name_translated"])
    except KeyError:
        return locale.get_display_name() or locale.language_code


def _translation_exists(locale: Locale) -> QuizError:
    return QuizError(
        str(
            _("This question already has a translation into %(language)s.")
            % {"language": language_name(locale)}
        ),
        "translation_exists",
    )


def translate_question(
    question: Question, locale: Locale, user: AbstractBaseUser | None = None
) -> Question:
    """Create the question's translation into `locale`, to be translated in the editor.

    The translation shares the translation key, category, type, difficulty, mark and tags;
    its version 1 copies the original's latest version with every option, item and gap id
    unchanged, so answers, statistics and SCORM responses line up across languages.
    Raises QuizError: "same_locale", "no_version" or "translation_exists".
    """
    if locale.pk == question.locale_id:
        raise QuizError(
            str(_("A question cannot be translated into its own language.")), "same_locale"
        )
    try:
        with transaction.atomic():
            source = Question.objects.select_related("latest_version").get(pk=question.pk)
            original = source.latest_version
            if original is None:
                raise QuizError(
                    str(_("This question has no content to translate yet.")), "no_version"
                )
            if Question.objects.filter(
                translation_key=source.translation_key, locale=locale
            ).exists():
                raise _translation_exists(locale)
            suffix = f" ({locale.get_display_name()})"
            name_length = Question._meta.get_field("name").max_length - len(suffix)
            translation = Question.objects.create(
                translation_key=source.translation_key,
                locale=locale,
                category_id=source.category_id,
                type=source.type,
                name=source.name[:name_length] + suffix,
                difficulty=source.difficulty,
                default_mark=source.default_mark,
            )
            translation.tags.set(list(source.tags.all()))
            version = QuestionVersion.objects.create(
                question=translation,
                number=1,
                text=original.text,
                definition=original.definition,
                general_feedback=original.general_feedback,
                created_by=user,
                source_version=original,
            )
            translation.latest_version = version
            translation.save(update_fields=["latest_version"])
    except IntegrityError:
        # Unique (translation_key, locale): someone created this translation meanwhile.
        key = question.translation_key
        if Question.objects.filter(translation_key=key, locale=locale).exists():
            raise _translation_exists(locale) from None
        raise
    return translation
