"""The registry of question types: the only place that lists them.

Everything else (API, player, grading, SCORM export, statistics) asks the
registry and never switches on type names. Adding a type = one new module in
this package + one line in `BUILTIN_TYPES` below.
"""

from __future__ import annotations

from .base import (
    AnswerError,
    DefinitionError,
    Grade,
    HiddenKey,
    QuestionType,
    ScormInteraction,
)
from .cloze import Cloze
from .essay import Essay
from .matching import Matching
from .multiple_response import MultipleResponse
from .numerical import Numerical
from .ordering import Ordering
from .short_answer import ShortAnswer
from .single_choice import SingleChoice
from .true_false import TrueFalse

_TYPES: dict[str, QuestionType] = {}


def register(question_type: QuestionType) -> None:
    _TYPES[question_type.name] = question_type


def get(name: str) -> QuestionType:
    try:
        return _TYPES[name]
    except KeyError:
        raise KeyError(f"Unknown question type {name!r}") from None


def choices() -> list[tuple[str, str]]:
    return [(name, question_type.label) for name, question_type in _TYPES.items()]


def names() -> list[str]:
    return list(_TYPES)


__all__ = [
    "BUILTIN_TYPES",
    "AnswerError",
    "DefinitionError",
    "Grade",
    "HiddenKey",
    "QuestionType",
    "ScormInteraction",
    "choices",
    "get",
    "names",
    "register",
]


BUILTIN_TYPES: tuple[QuestionType, ...] = (
    SingleChoice(),
    MultipleResponse(),
    TrueFalse(),
    ShortAnswer(),
    Numerical(),
    Matching(),
    Ordering(),
    Cloze(),
    Essay(),
)

for _question_type in BUILTIN_TYPES:
    register(_question_type)
