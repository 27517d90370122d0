"""Builders for question banks, quizzes and users in the quiz tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from quizzes import services
from quizzes.models import Question, QuestionCategory, Quiz, QuizSlot


def make_category(name: str = "Przemyt", parent: QuestionCategory | None = None):
    if parent is None:
        return QuestionCategory.add_root(name=name)
    return parent.add_child(name=name)


def single_choice(correct: str = "b") -> dict[str, Any]:
    return {
        "options": [
            {"id": "a", "text": "6 miesięcy", "feedback": "Za mało."},
            {"id": "b", "text": "12 miesięcy", "feedback": "Dobrze."},
            {"id": "c", "text": "3 lata", "feedback": "Za dużo."},
        ],
        "correct": correct,
        "shuffle": True,
    }


def make_question(
    category: QuestionCategory | None = None,
    *,
    type: str = "single_choice",
    definition: dict[str, Any] | None = None,
    text: str = "Jaki jest minimalny próg kary dla ENA?",
    mark: str = "1",
    **fields: Any,
) -> Question:
    return services.create_question(
        category=category or make_category(),
        type=type,
        name=fields.pop("name", text[:50]),
        text=text,
        definition=definition if definition is not None else single_choice(),
        general_feedback=fields.pop("general_feedback", "Art. 2 decyzji ramowej."),
        default_mark=Decimal(mark),
        **fields,
    )


def make_quiz(questions: list[Question], **settings: Any) -> Quiz:
    quiz = Quiz.objects.create(title=settings.pop("title", "Sprawdzian"), **settings)
    for position, question in enumerate(questions, start=1):
        QuizSlot.objects.create(quiz=quiz, position=position, question=question)
    return quiz


def make_random_slot(quiz: Quiz, category: QuestionCategory, count: int, **fields: Any) -> QuizSlot:
    position = quiz.slots.count() + 1
    return QuizSlot.objects.create(
        quiz=quiz, position=position, random_category=category, random_count=count, **fields
    )
