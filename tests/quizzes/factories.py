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


def multiple_response() -> dict[str, Any]:
    return {
        "options": [
            {"id": "a", "text": "Paszport", "feedback": ""},
            {"id": "b", "text": "Dowód osobisty", "feedback": ""},
            {"id": "c", "text": "Prawo jazdy", "feedback": "Nie jest dokumentem podróży."},
            {"id": "d", "text": "Legitymacja studencka", "feedback": ""},
        ],
        "correct": ["a", "b"],
        "scoring": "all_or_nothing",
    }


def true_false(correct: bool = True) -> dict[str, Any]:
    return {
        "correct": correct,
        "feedback_true": "Tak: wydaje go sąd.",
        "feedback_false": "Nie: wydaje go sąd.",
    }


def short_answer() -> dict[str, Any]:
    return {
        "answers": [
            {"text": "SIS", "fraction": 1, "feedback": "Dobrze."},
            {"text": "SIS II", "fraction": 1, "feedback": "Dobrze."},
        ]
    }


def numerical(unit_required: bool = False) -> dict[str, Any]:
    return {
        "answers": [{"value": 3.5, "tolerance": 0, "fraction": 1, "feedback": "Dobrze."}],
        "units": [{"unit": "km", "multiplier": 1}, {"unit": "m", "multiplier": 1000}],
        "unit_required": unit_required,
    }


def matching() -> dict[str, Any]:
    return {
        "pairs": [
            {
                "id": "europol",
                "prompt": "Europol",
                "answer_id": "police",
                "answer": "Współpraca organów ścigania",
            },
            {
                "id": "frontex",
                "prompt": "Frontex",
                "answer_id": "border",
                "answer": "Straż graniczna i przybrzeżna",
            },
            {
                "id": "eurojust",
                "prompt": "Eurojust",
                "answer_id": "justice",
                "answer": "Współpraca wymiarów sprawiedliwości",
            },
        ],
        "extra_answers": [{"id": "fraud", "text": "Zwalczanie nadużyć finansowych"}],
    }


def ordering() -> dict[str, Any]:
    return {
        "items": [
            {"id": "issue", "text": "Wydanie nakazu przez sąd"},
            {"id": "sis", "text": "Wpis do SIS"},
            {"id": "arrest", "text": "Zatrzymanie osoby"},
            {"id": "surrender", "text": "Przekazanie osoby"},
        ]
    }


def cloze() -> dict[str, Any]:
    return {
        "text": "Europejski nakaz aresztowania wydaje {{issuer}}, "
        "a poszukiwanego wpisuje się do systemu {{system}}.",
        "gaps": [
            {
                "id": "issuer",
                "kind": "choice",
                "options": [
                    {"id": "court", "text": "sąd", "feedback": ""},
                    {"id": "police", "text": "policja", "feedback": "Nie: policja go wykonuje."},
                ],
                "correct": "court",
            },
            {"id": "system", "kind": "text", "answers": [{"text": "SIS", "fraction": 1}]},
        ],
    }


def essay() -> dict[str, Any]:
    return {"min_words": 5, "max_words": 200, "grader_info": "Oceń kolejność czynności."}


#: A question text and a definition for every question type (one per player widget).
QUESTIONS_OF_EACH_TYPE: dict[str, tuple[str, Any]] = {
    "single_choice": ("<p>Jaki jest minimalny próg kary dla ENA?</p>", single_choice),
    "multiple_response": ("<p>Które dokumenty są dokumentami podróży?</p>", multiple_response),
    "true_false": ("<p>Europejski nakaz aresztowania wydaje sąd.</p>", true_false),
    "short_answer": ("<p>Podaj skrót Systemu Informacyjnego Schengen.</p>", short_answer),
    "numerical": ("<p>Podejrzany oddalił się o 3500 m. Ile to kilometrów?</p>", numerical),
    "matching": ("<p>Dopasuj agencje UE do ich zadań.</p>", matching),
    "ordering": ("<p>Ułóż etapy wykonania ENA we właściwej kolejności.</p>", ordering),
    "cloze": ("<p>Uzupełnij zdanie.</p>", cloze),
    "essay": ("<p>Opisz, jak zabezpieczysz miejsce zdarzenia.</p>", essay),
}


def make_question_of_each_type(
    category: QuestionCategory | None = None, **marks: str
) -> list[Question]:
    """One question per type, in the order above; `marks` sets a type's mark (essay="0")."""
    category = category or make_category()
    return [
        make_question(category, type=name, text=text, definition=build(), mark=marks.get(name, "1"))
        for name, (text, build) in QUESTIONS_OF_EACH_TYPE.items()
    ]


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
