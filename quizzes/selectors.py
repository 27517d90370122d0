"""Reads of the quiz engine, each with a fixed number of queries."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from . import question_types, review
from .html import trainee_html
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


def attempt_with_questions(attempt_id: int, *, with_versions: bool = True) -> Attempt | None:
    """An attempt with its quiz and its questions (`questions_in_order`): 2 queries."""
    return (
        Attempt.objects.select_related("quiz__locale")
        .prefetch_related(questions_in_order(with_versions=with_versions))
        .filter(pk=attempt_id)
        .order_by()
        .first()
    )


def questions_in_order(*, with_versions: bool = True) -> Prefetch:
    """An attempt's questions by position, each with its version and question (the type);
    `with_versions=False` leaves those to `version_contents`, as the player does."""
    questions = AttemptQuestion.objects.order_by("position")
    if with_versions:
        questions = questions.select_related("version__question")
    return Prefetch("questions", queryset=questions)


@dataclass(frozen=True)
class VersionContent:
    """A question version as trainees get it and as its answers are graded: its
    question's type, definition, text and general feedback (treat it as read-only)."""

    type: str
    definition: dict[str, Any]
    text: str
    general_feedback: str


#: Versions kept per process before the cache starts afresh.
VERSION_CACHE_SIZE = 4096
# A version never changes once written (editing adds one, and a question keeps its type),
# so each process keeps what it has read: the player's requests then read no version rows
# and decode no definitions. Saving a version (an id reused by a rolled-back test
# database) drops its entry (see QuizzesConfig.ready).
_version_contents: dict[int, VersionContent] = {}


def version_contents(version_ids: Iterable[int]) -> dict[int, VersionContent]:
    """The contents of these versions (by id): one query for those this process has not
    read yet, none when it has read them all."""
    found = {pk: _version_contents.get(pk) for pk in version_ids}
    missing = [pk for pk, content in found.items() if content is None]
    if missing:
        rows = QuestionVersion.objects.filter(pk__in=missing).values_list(
            "pk", "question__type", "definition", "text", "general_feedback"
        )
        if len(_version_contents) >= VERSION_CACHE_SIZE:
            _version_contents.clear()
        for pk, *content in rows:
            found[pk] = _version_contents[pk] = VersionContent(*content)
    return found


def version_content(version_id: int) -> VersionContent:
    return version_contents([version_id])[version_id]


def forget_version_content(version_id: int) -> None:
    _version_contents.pop(version_id, None)


def attempts_visible_to(user: AbstractBaseUser) -> QuerySet[Attempt]:
    """Trainees see their own attempts; reviewers (quiz graders) see all."""
    attempts = Attempt.objects.select_related("quiz", "user")
    if can_review_attempts(user):
        return attempts
    return attempts.filter(user=user)


def can_review_attempts(user: AbstractBaseUser) -> bool:
    return user.is_authenticated and user.has_perm("quizzes.view_attempt")


def can_grade_attempts(user: AbstractBaseUser) -> bool:
    return user.is_authenticated and user.has_perm("quizzes.change_attempt")


def quiz_for_trainee(quiz_id: int, user: AbstractBaseUser) -> Quiz | None:
    """A quiz (in whichever language it was opened) with `attempts_used` by this user.

    Attempts are counted on the quiz's source: translations share one attempt history.
    """
    quiz = quiz_with_source(quiz_id)
    if quiz is not None:
        quiz.attempts_used = Attempt.objects.filter(quiz=quiz.source, user=user).count()
    return quiz


def quiz_with_source(quiz_id: int) -> Quiz | None:
    """A quiz with `source`, the translation that holds its slots and attempts (as
    `source_quiz` chooses it): one query, which reads every translation of the quiz."""
    translations = list(
        Quiz.objects.filter(
            translation_key__in=Quiz.objects.filter(pk=quiz_id).values("translation_key")
        )
        .select_related("locale")
        .annotate(has_slots=Exists(QuizSlot.objects.filter(quiz=OuterRef("pk"))))
        .order_by("pk")
    )
    quiz = next((translation for translation in translations if translation.pk == quiz_id), None)
    if quiz is not None:
        quiz.source = next((t for t in translations if t.has_slots), quiz)
    return quiz


def source_quiz(quiz: Quiz) -> Quiz:
    """The translation of a quiz that holds its slots: one query.

    Editors build the question list once; a quiz translated into English or
    Ukrainian only translates its texts, and attempts draw each question in the
    trainee's language. A translation made by copying the quiz (wagtail-localize's
    Translate) also copies the slots: the first translation made still holds the
    list and the attempts, so the history stays one for every language.
    """
    return (
        Quiz.objects.filter(translation_key=quiz.translation_key, slots__isnull=False)
        .select_related("locale")
        .order_by("pk")
        .distinct()
        .first()
        or quiz
    )


def quiz_in_language(quiz: Quiz, language: str) -> Quiz:
    """The quiz's translation into `language` (its texts), or the quiz itself: no query
    when the quiz is in that language (and its locale is loaded)."""
    if quiz.locale.language_code == language:
        return quiz
    return (
        Quiz.objects.filter(translation_key=quiz.translation_key, locale__language_code=language)
        .select_related("locale")
        .first()
        or quiz
    )


def keys_to_translate(language: str, questions: list[Question], quiz: Quiz) -> set[str]:
    """The translation keys of the questions that an attempt at `quiz` in `language` may
    show translated: all, but those in the quiz's locale when it is in that language."""
    if quiz.locale.language_code == language:
        questions = [question for question in questions if question.locale_id != quiz.locale_id]
    return {question.translation_key for question in questions}


def question_translations(language: str, keys: set[str]) -> dict[str, Question]:
    """The questions in `language` with these translation keys (by key), with their
    latest versions: one query, none without keys."""
    if not keys:
        return {}
    translations = Question.objects.filter(
        translation_key__in=keys,
        locale__language_code=language,
        latest_version__isnull=False,
    ).select_related("latest_version")
    return {question.translation_key: question for question in translations}


def random_slot_candidates(slots: Sequence[QuizSlot]) -> dict[int, list[Question]]:
    """Every question each random slot may draw (by slot id, sorted by id): with a latest
    version, in the slot's category (or its subtree), in its quiz's locale, with every tag
    of the slot. Callers leave out what the attempt already holds (`random_pool`).

    Two queries for any number of slots and quizzes (three when a slot has tags): the
    categories, the candidates of them all, their tags; the rest is sorted out here."""
    slots = [slot for slot in slots if slot.random_category_id]
    if not slots:
        return {}
    subtrees = [slot.random_category for slot in slots]
    categories = list(
        QuestionCategory.objects.filter(
            reduce(or_, (Q(path__startswith=category.path) for category in subtrees))
        )
    )
    candidates = Question.objects.filter(
        category__in=categories,
        latest_version__isnull=False,
        locale__in={slot.quiz.locale_id for slot in slots},
    ).order_by("pk")
    if any(slot.random_tags for slot in slots):
        candidates = candidates.prefetch_related("tags")
    candidates = list(candidates)
    pools = {}
    for slot in slots:
        root = slot.random_category
        allowed = {
            category.pk
            for category in categories
            if category.pk == root.pk
            or (slot.random_include_subcategories and category.path.startswith(root.path))
        }
        tags = set(slot.random_tags)
        pools[slot.pk] = [
            question
            for question in candidates
            if question.category_id in allowed
            and question.locale_id == slot.quiz.locale_id
            and (not tags or tags <= {tag.name for tag in question.tags.all()})
        ]
    return pools


def load_latest_versions(questions: list[Question]) -> None:
    """Latest versions of questions picked from a pool (without them), in one query."""
    missing = [
        q for q in questions if q.latest_version_id and not Question.latest_version.is_cached(q)
    ]
    if not missing:
        return
    versions = QuestionVersion.objects.in_bulk([q.latest_version_id for q in missing])
    for question in missing:
        question.latest_version = versions[question.latest_version_id]


def in_progress_attempt(quiz: Quiz, user: AbstractBaseUser) -> Attempt | None:
    return (
        Attempt.objects.filter(quiz=quiz, user=user, state=AttemptState.IN_PROGRESS)
        .order_by()
        .first()
    )


def latest_attempt(quiz: Quiz, user: AbstractBaseUser) -> Attempt | None:
    """The trainee's attempt with the highest number: the one in progress, if any
    (a new attempt can only start once the previous one is submitted)."""
    return Attempt.objects.filter(quiz=quiz, user=user).order_by("-number").first()


def attempt_payload(
    attempt: Attempt, now: datetime, questions: list[AttemptQuestion] | None = None
) -> dict[str, Any]:
    """What the player shows for an attempt: the questions without keys; after
    submission, the result within the quiz's review options.

    `questions` (by position) defaults to the attempt's own; their versions come from
    `version_contents` (a query only for versions this process has not read yet).
    """
    if questions is None:
        questions = attempt.questions.all()
    contents = version_contents(question.version_id for question in questions)
    submitted = attempt.state == AttemptState.SUBMITTED
    shown = review.visible_options(attempt, now) if submitted else set()
    payload: dict[str, Any] = {
        "id": attempt.pk,
        "quiz": attempt.quiz_id,
        "quiz_title": quiz_in_language(attempt.quiz, attempt.language).title,
        "number": attempt.number,
        "state": attempt.state,
        "layout": attempt.quiz.layout,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "seconds_left": _seconds_left(attempt, now),
        "submitted_at": attempt.submitted_at,
        "timed_out": attempt.timed_out,
        "result": _result(attempt, shown) if submitted else None,
        "questions": [
            _question_payload(attempt, question, contents[question.version_id], shown)
            for question in questions
        ],
    }
    return payload


def _seconds_left(attempt: Attempt, now: datetime) -> int | None:
    if attempt.deadline is None or attempt.state != AttemptState.IN_PROGRESS:
        return None
    return max(0, int((attempt.deadline - now).total_seconds()))


def _result(attempt: Attempt, shown: set[str]) -> dict[str, Any]:
    result: dict[str, Any] = {"needs_grading": attempt.needs_grading}
    if "marks" in shown:
        result.update(
            score=attempt.score,
            max_score=attempt.max_score,
            percent=attempt.percent,
            passed=attempt.passed,
            pass_mark=attempt.quiz.pass_mark,
        )
    if "overall_feedback" in shown:
        result["overall_feedback"] = review.overall_feedback(attempt)
    return result


def player_question(
    question_type: question_types.QuestionType,
    definition: dict[str, Any],
    text: str,
    *,
    position: int,
    max_mark: Decimal,
    answer: Any,
    rng: random.Random | None,
) -> dict[str, Any]:
    """One question as the player renders it: sanitised text, no key."""
    return {
        "position": position,
        "type": question_type.name,
        "widget": question_type.widget or question_type.name,
        "text": trainee_html(text),
        "max_mark": max_mark,
        "data": question_type.player_data(definition, rng),
        "answer": answer,
    }


def _question_payload(
    attempt: Attempt, question: AttemptQuestion, version: VersionContent, shown: set[str]
) -> dict[str, Any]:
    question_type = question_types.get(version.type)
    rng = (
        random.Random(f"{attempt.seed}:{question.position}")
        if attempt.quiz.shuffle_options
        else None
    )
    payload = player_question(
        question_type,
        version.definition,
        version.text,
        position=question.position,
        max_mark=question.max_mark,
        answer=question.answer,
        rng=rng,
    )
    if "correctness" in shown and question.fraction is not None and not question.needs_grading:
        payload["correctness"] = correctness_of(question.fraction)
    if "marks" in shown:
        payload["mark"] = None if question.needs_grading else question.mark
    if "feedback" in shown:
        payload["feedback"] = question.feedback
        payload["grader_comment"] = question.grader_comment
    if "general_feedback" in shown:
        payload["general_feedback"] = trainee_html(version.general_feedback)
    if "right_answer" in shown:
        payload["right_answer"] = question_type.right_answer(version.definition)
    return payload


def correctness_of(fraction: Decimal) -> str:
    """How the player labels a grade: correct, partial or incorrect."""
    if fraction >= 1:
        return "correct"
    return "partial" if fraction > 0 else "incorrect"
