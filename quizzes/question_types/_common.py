"""Validation and presentation helpers shared by the question types.

Every helper raises `DefinitionError` (for what editors store) or `AnswerError`
(for what trainees send) naming the offending field with a dotted path such as
``options.2.id`` or ``matches.p1``, so the editor and the player can point at it.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .base import AnswerError, DefinitionError

#: Longest text a trainee may send (essay, short answer) and an editor may store per field.
MAX_TEXT_LENGTH = 10_000

#: Ids of options, pairs, items and gaps. SCORM short identifiers, kept to what every LMS
#: accepts: Moodle's SCORM 2004 runtime checks choice/matching/sequencing responses with
#: ``^[\w.]{1,250}$`` (no hyphen) and SCORM 1.2 uses "." and "," as delimiters.
IDENTIFIER_RE = re.compile(r"^[A-Za-z0-9_]{1,64}$")

MSG_REQUIRED = _("This field is required.")
MSG_OBJECT = _("Expected an object.")
MSG_LIST = _("Expected a list.")
MSG_TEXT = _("Expected a text.")
MSG_EMPTY = _("This text may not be empty.")
MSG_TOO_LONG = _("Too long: at most %(max)d characters.")
MSG_BOOL = _("Expected true or false.")
MSG_NUMBER = _("Expected a number.")
MSG_INTEGER = _("Expected a whole number of at least %(min)d.")
MSG_FRACTION = _("Expected a fraction between 0 and 1.")
MSG_IDENTIFIER = _("Use 1–64 letters, digits or underscores (no spaces or hyphens).")
MSG_DUPLICATE_ID = _("The id “%(id)s” is used twice.")
MSG_UNKNOWN_ID = _("Unknown id “%(id)s”.")
MSG_CHOICE = _("Expected one of: %(choices)s.")
MSG_MIN_ITEMS = ngettext_lazy(
    "Give at least %(count)d entry.", "Give at least %(count)d entries.", "count"
)
MSG_FULL_MARK = _("At least one accepted answer must be worth full marks (fraction 1).")


# --- errors -------------------------------------------------------------------------------


def definition_error(field: str, message: Any, **params: Any) -> DefinitionError:
    """A `DefinitionError` for one field; `params` fill the message's placeholders."""
    return DefinitionError({field: [ValidationError(message, params=params or None)]})


def answer_error(field: str, message: Any, **params: Any) -> AnswerError:
    """An `AnswerError` for one field; `params` fill the message's placeholders."""
    return AnswerError({field: [ValidationError(message, params=params or None)]})


# --- definitions: scalar fields -----------------------------------------------------------


def require_dict(value: Any, field: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise definition_error(field, MSG_OBJECT)
    return value


def require_list(value: Any, field: str, *, min_count: int = 0) -> list[Any]:
    if value is None:
        raise definition_error(field, MSG_REQUIRED)
    if not isinstance(value, list):
        raise definition_error(field, MSG_LIST)
    if len(value) < min_count:
        raise definition_error(field, MSG_MIN_ITEMS, count=min_count)
    return value


def clean_text(value: Any, field: str, *, required: bool = True, default: str = "") -> str:
    """A stripped string of at most MAX_TEXT_LENGTH characters; empty only if not required."""
    if value is None and not required:
        return default
    if value is None:
        raise definition_error(field, MSG_REQUIRED)
    if not isinstance(value, str):
        raise definition_error(field, MSG_TEXT)
    value = value.strip()
    if required and not value:
        raise definition_error(field, MSG_EMPTY)
    if len(value) > MAX_TEXT_LENGTH:
        raise definition_error(field, MSG_TOO_LONG, max=MAX_TEXT_LENGTH)
    return value


def clean_bool(value: Any, field: str, *, default: bool) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        raise definition_error(field, MSG_BOOL)
    return value


def is_number(value: Any) -> bool:
    """True for a finite int or float (JSON number), never for a bool."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def clean_number(value: Any, field: str, *, default: float | None = None) -> float:
    if value is None and default is not None:
        return default
    if value is None:
        raise definition_error(field, MSG_REQUIRED)
    if not is_number(value):
        raise definition_error(field, MSG_NUMBER)
    return value


def clean_count(value: Any, field: str, *, default: int = 0) -> int:
    """A whole number ≥ 0 (word limits...)."""
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise definition_error(field, MSG_INTEGER, min=0)
    return value


def clean_fraction(value: Any, field: str, *, default: float | None = None) -> float:
    """A share of the mark, 0..1 inclusive."""
    if value is None and default is not None:
        return default
    if value is None:
        raise definition_error(field, MSG_REQUIRED)
    if not is_number(value) or not 0 <= value <= 1:
        raise definition_error(field, MSG_FRACTION)
    return float(value)


def clean_enum(value: Any, field: str, choices: Sequence[str], *, default: str) -> str:
    if value is None:
        return default
    if value not in choices:
        raise definition_error(field, MSG_CHOICE, choices=", ".join(choices))
    return value


def clean_identifier(value: Any, field: str) -> str:
    if value is None:
        raise definition_error(field, MSG_REQUIRED)
    if not isinstance(value, str) or not IDENTIFIER_RE.match(value):
        raise definition_error(field, MSG_IDENTIFIER)
    return value


def clean_reference(value: Any, field: str, ids: Iterable[str]) -> str:
    """An id that must be one of `ids` (the correct option, an answer of a pair...)."""
    if value is None:
        raise definition_error(field, MSG_REQUIRED)
    if not isinstance(value, str) or value not in set(ids):
        raise definition_error(field, MSG_UNKNOWN_ID, id=str(value))
    return value


def check_unique(ids: Iterable[str], field: str) -> None:
    """Raise on the first id seen twice; `field` is a format string taking the index."""
    seen: set[str] = set()
    for index, item_id in enumerate(ids):
        if item_id in seen:
            raise definition_error(field.format(index), MSG_DUPLICATE_ID, id=item_id)
        seen.add(item_id)


# --- definitions: lists of options and accepted answers -----------------------------------


def clean_options(
    value: Any, field: str = "options", *, min_count: int = 2
) -> list[dict[str, str]]:
    """Options of a choice: ``[{"id", "text", "feedback"}]`` with unique ids."""
    raw = require_list(value, field, min_count=min_count)
    options = []
    for index, item in enumerate(raw):
        where = f"{field}.{index}"
        item = require_dict(item, where)
        options.append(
            {
                "id": clean_identifier(item.get("id"), f"{where}.id"),
                "text": clean_text(item.get("text"), f"{where}.text"),
                "feedback": clean_text(item.get("feedback"), f"{where}.feedback", required=False),
            }
        )
    check_unique((option["id"] for option in options), field + ".{}.id")
    return options


def clean_scored_answers(value: Any, field: str, clean_key: Any, key: str) -> list[dict[str, Any]]:
    """Accepted answers ``[{key, "fraction", "feedback"}]``, one of them worth full marks.

    `clean_key(value, field)` validates the answer itself (a text, a number...).
    """
    raw = require_list(value, field, min_count=1)
    answers = []
    for index, item in enumerate(raw):
        where = f"{field}.{index}"
        item = require_dict(item, where)
        answers.append(
            {
                key: clean_key(item.get(key), f"{where}.{key}"),
                "fraction": clean_fraction(item.get("fraction"), f"{where}.fraction"),
                "feedback": clean_text(item.get("feedback"), f"{where}.feedback", required=False),
            }
        )
    if not any(answer["fraction"] == 1.0 for answer in answers):
        raise definition_error(field, MSG_FULL_MARK)
    return answers


def clean_text_answers(value: Any, field: str = "answers") -> list[dict[str, Any]]:
    """Accepted texts of a short answer or a cloze text gap (``*`` is a wildcard)."""
    return clean_scored_answers(value, field, clean_text, "text")


def best_answer(answers: Iterable[dict[str, Any]], matches: Any) -> dict[str, Any] | None:
    """The accepted answer with the highest fraction for which `matches(answer)` holds;
    the first one listed wins a tie."""
    best = None
    for answer in answers:
        if matches(answer) and (best is None or answer["fraction"] > best["fraction"]):
            best = answer
    return best


# --- answers -------------------------------------------------------------------------------


def answer_field(answer: Any, key: str) -> Any:
    """``answer[key]`` of an answer object; a wrong shape is reported on "answer"."""
    if not isinstance(answer, dict):
        raise answer_error("answer", MSG_OBJECT)
    if key not in answer:
        raise answer_error("answer", _("The key “%(key)s” is missing."), key=key)
    return answer[key]


def answer_text(value: Any, field: str, *, max_length: int = MAX_TEXT_LENGTH) -> str:
    """A trainee's text, at most `max_length` characters (null counts as empty)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise answer_error(field, MSG_TEXT)
    if len(value) > max_length:
        raise answer_error(field, MSG_TOO_LONG, max=max_length)
    return value


def answer_choice(value: Any, field: str, ids: Iterable[str]) -> str:
    """One id out of `ids`."""
    if not isinstance(value, str):
        raise answer_error(field, _("Expected an id."))
    if value not in set(ids):
        raise answer_error(field, MSG_UNKNOWN_ID, id=value[:64])
    return value


def answer_id_list(value: Any, field: str, ids: Sequence[str]) -> list[str]:
    """A list of distinct ids out of `ids`, returned in the order of `ids`."""
    if not isinstance(value, list):
        raise answer_error(field, MSG_LIST)
    allowed = set(ids)
    seen: set[str] = set()
    for item in value:
        if not isinstance(item, str):
            raise answer_error(field, _("Expected an id."))
        if item not in allowed:
            raise answer_error(field, MSG_UNKNOWN_ID, id=item[:64])
        if item in seen:
            raise answer_error(field, MSG_DUPLICATE_ID, id=item)
        seen.add(item)
    return [item_id for item_id in ids if item_id in seen]


# --- presentation --------------------------------------------------------------------------


def shuffled(items: Sequence[Any], rng: random.Random | None) -> list[Any]:
    """A shuffled copy of `items` when `rng` is given, else a plain copy."""
    result = list(items)
    if rng is not None:
        rng.shuffle(result)
    return result


def public_options(
    options: Sequence[dict[str, Any]], rng: random.Random | None, *, shuffle: bool
) -> list[dict[str, str]]:
    """Options as the player sees them (id and text only), shuffled if allowed."""
    visible = [{"id": option["id"], "text": option["text"]} for option in options]
    return shuffled(visible, rng if shuffle else None)


def ids_of(items: Iterable[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in items]


def option_feedback(options: Iterable[dict[str, Any]], chosen: Iterable[str]) -> str:
    """Feedback of the chosen options, in the options' order, one per line."""
    picked = set(chosen)
    return join_feedback(option["feedback"] for option in options if option["id"] in picked)


def join_feedback(parts: Iterable[str]) -> str:
    return "\n".join(part for part in parts if part)
