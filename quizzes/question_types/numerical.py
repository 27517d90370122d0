"""A number typed by the trainee, optionally with a unit.

The trainee's text is read the way Poles type numbers: "3,5" and "3.5" are both 3.5,
digit groups may be separated by spaces ("12 500"), the minus sign U+2212 counts as "-" and
an exponent ("1e3") is allowed. Exactly one decimal separator, so "1,000" is 1.0 and
"1.000,5" is refused. A unit from the definition may follow; the value is divided by its
multiplier (with km = 1 and m = 1000, "3500 m" is 3.5). A response is right for an
accepted answer when ``|value - expected| ≤ tolerance + 1e-9 · max(1, |expected|)``;
the small relative epsilon absorbs binary rounding (3.6 - 3.5 is 0.10000000000000009).
"""

from __future__ import annotations

import random
import re
from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from . import _scorm
from ._common import (
    MSG_NUMBER,
    answer_error,
    answer_field,
    best_answer,
    check_unique,
    clean_bool,
    clean_number,
    clean_scored_answers,
    clean_text,
    definition_error,
    is_number,
    require_dict,
    require_list,
)
from ._editor import (
    GradeBlock,
    NumberBlock,
    editor_struct,
    feedback_block,
    grade_fraction,
    grade_key,
    list_items,
    raw_item,
    text_block,
    tidy_number,
)
from .base import Grade, HiddenKey, QuestionType, ScormInteraction, ScormVersion, round_fraction

#: Relative slack added to every tolerance (see the module docstring).
EPSILON = 1e-9
MAX_VALUE_LENGTH = 100

_NUMBER_RE = re.compile(
    r"""
    (?P<sign>[-+\u2212]?)\s*
    (?P<int>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d*)
    (?:[.,](?P<frac>\d*))?
    (?:[eE](?P<exp>[-+]?\d+))?
    """,
    re.VERBOSE,
)
# A unit may not start like a number does, or "1 000" and "5e3" would be ambiguous.
_UNIT_START_RE = re.compile(r"^[\d.,+\-\u2212]")


class NumberError(ValueError):
    """A response that is not a number with an accepted unit."""

    def __init__(self, message: Any, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


def parse_response(text: str, units: list[dict[str, Any]]) -> tuple[float, dict[str, Any] | None]:
    """The number and the unit (or None) of a response; raises NumberError."""
    text = " ".join(text.split())
    match = _NUMBER_RE.match(text)
    if not match or not (match["int"] or match["frac"]):
        raise NumberError(MSG_NUMBER)
    digits = match["int"].replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    sign = "-" if match["sign"] in ("-", "\u2212") else ""
    literal = f"{sign}{digits or '0'}.{match['frac'] or '0'}e{match['exp'] or '0'}"
    value = float(literal)
    if not is_number(value):
        raise NumberError(MSG_NUMBER)
    unit_text = text[match.end() :].strip()
    if not unit_text:
        return value, None
    for unit in units:
        if unit["unit"] == unit_text:
            return value, unit
    if not units:
        raise NumberError(MSG_NUMBER)
    raise NumberError(
        _("Unknown unit “%(unit)s”; use one of: %(units)s."),
        unit=unit_text[:30],
        units=", ".join(unit["unit"] for unit in units),
    )


def response_value(definition: dict[str, Any], text: str) -> float:
    """A cleaned response converted to the base unit (multiplier 1)."""
    value, unit = parse_response(text, definition["units"])
    return value / unit["multiplier"] if unit else value


def within(value: float, answer: dict[str, Any]) -> bool:
    slack = answer["tolerance"] + EPSILON * max(1.0, abs(answer["value"]))
    return abs(value - answer["value"]) <= slack


def _clean_unit(item: Any, where: str) -> dict[str, Any]:
    item = require_dict(item, where)
    unit = clean_text(item.get("unit"), f"{where}.unit")
    if len(unit) > 30 or _UNIT_START_RE.match(unit):
        raise definition_error(
            f"{where}.unit", _("A unit has at most 30 characters and cannot start like a number.")
        )
    multiplier = clean_number(item.get("multiplier"), f"{where}.multiplier", default=1)
    if multiplier <= 0:
        raise definition_error(f"{where}.multiplier", _("The multiplier must be above 0."))
    return {"unit": " ".join(unit.split()), "multiplier": multiplier}


def _clean_answers(value: Any) -> list[dict[str, Any]]:
    answers = clean_scored_answers(value, "answers", clean_number, "value")
    # `value` is a list of objects: clean_scored_answers checked it.
    for index, (answer, item) in enumerate(zip(answers, value, strict=True)):
        tolerance = clean_number(item.get("tolerance"), f"answers.{index}.tolerance", default=0)
        if tolerance < 0:
            raise definition_error(
                f"answers.{index}.tolerance", _("The tolerance cannot be negative.")
            )
        answer["tolerance"] = tolerance
    return [
        {key: answer[key] for key in ("value", "tolerance", "fraction", "feedback")}
        for answer in answers
    ]


class Numerical(QuestionType):
    """Definition ``{"answers": [{"value", "tolerance", "fraction", "feedback"}],
    "units": [{"unit", "multiplier"}], "unit_required"}``, answer ``{"value": "3,5 km"}``.

    An unknown unit, or a missing one when `unit_required`, makes the answer invalid
    (AnswerError) rather than wrong, like Moodle's "Please enter a valid unit".
    """

    name = "numerical"
    label = _("Numerical")
    editor_icon = "decimal"

    def clean_definition(self, definition: Any) -> dict[str, Any]:
        data = require_dict(definition, "definition")
        answers = _clean_answers(data.get("answers"))
        raw_units = data.get("units")
        units = [
            _clean_unit(item, f"units.{index}")
            for index, item in enumerate(
                require_list([] if raw_units is None else raw_units, "units")
            )
        ]
        check_unique((unit["unit"] for unit in units), "units.{}.unit")
        unit_required = clean_bool(data.get("unit_required"), "unit_required", default=False)
        if unit_required and not units:
            raise definition_error("unit_required", _("List the units before requiring one."))
        return {"answers": answers, "units": units, "unit_required": unit_required}

    def clean_answer(self, definition: dict[str, Any], answer: Any) -> dict[str, str]:
        value = answer_field(answer, "value")
        if is_number(value):
            value = repr(value)
        if not isinstance(value, str):
            raise answer_error("value", MSG_NUMBER)
        value = " ".join(value.split())
        if len(value) > MAX_VALUE_LENGTH:
            raise answer_error("value", MSG_NUMBER)
        try:
            _number, unit = parse_response(value, definition["units"])
        except NumberError as error:
            raise answer_error("value", error.message, **error.params) from None
        if unit is None and definition["unit_required"]:
            raise answer_error(
                "value",
                _("Give a unit: %(units)s."),
                units=", ".join(unit["unit"] for unit in definition["units"]),
            )
        return {"value": value}

    def grade(self, definition: dict[str, Any], answer: dict[str, str]) -> Grade:
        value = response_value(definition, answer["value"])
        best = best_answer(definition["answers"], lambda accepted: within(value, accepted))
        if best is None:
            return Grade(fraction=0.0)
        return Grade(fraction=round_fraction(best["fraction"]), feedback=best["feedback"])

    def player_data(self, definition: dict[str, Any], rng: random.Random | None) -> dict[str, Any]:
        return {
            "units": [unit["unit"] for unit in definition["units"]],
            "unit_required": definition["unit_required"],
        }

    def _right_value(self, definition: dict[str, Any]) -> float:
        return next(a["value"] for a in definition["answers"] if a["fraction"] == 1.0)

    def right_answer(self, definition: dict[str, Any]) -> dict[str, str]:
        value = self._right_value(definition)
        units = definition["units"]
        if not units:
            return {"value": _scorm.number(value)}
        unit = next((u for u in units if u["multiplier"] == 1), units[0])
        return {"value": f"{_scorm.number(value * unit['multiplier'])} {unit['unit']}"}

    def scorm_interaction(
        self, definition: dict[str, Any], version: ScormVersion
    ) -> ScormInteraction:
        answer = next(a for a in definition["answers"] if a["fraction"] == 1.0)
        if version == "1.2":
            return ScormInteraction("numeric", [_scorm.number(answer["value"])])
        low, high = answer["value"] - answer["tolerance"], answer["value"] + answer["tolerance"]
        return ScormInteraction("numeric", [_scorm.numeric_range(low, high)])

    def scorm_response(
        self, definition: dict[str, Any], answer: dict[str, str], version: ScormVersion
    ) -> str:
        """The response in the base unit, as a plain decimal."""
        try:
            return _scorm.number(response_value(definition, answer["value"]))
        except NumberError:
            return ""

    def offline_grader_data(self, definition: dict[str, Any]) -> dict[str, Any]:
        return {
            "answers": [dict(answer) for answer in definition["answers"]],
            "units": [dict(unit) for unit in definition["units"]],
            "unit_required": definition["unit_required"],
            "epsilon": EPSILON,
        }

    def hide_key(self, definition: dict[str, Any], salt: str) -> HiddenKey:
        """Tolerance ranges cannot be compared by hash: the key stays readable."""
        return HiddenKey(self.offline_grader_data(definition), readable=True)

    def editor_block(self) -> blocks.StructBlock:
        answer = blocks.StructBlock(
            [
                ("value", NumberBlock(label=_("Answer"))),
                (
                    "tolerance",
                    NumberBlock(
                        required=False,
                        min_value=0,
                        label=_("Accepted error ±"),
                        help_text=_("Empty or 0: exactly. 0,5 with the answer 3,5 accepts 3 to 4."),
                    ),
                ),
                ("fraction", GradeBlock()),
                ("feedback", feedback_block(_("Shown to a trainee whose answer is in range."))),
            ],
            label=_("Accepted answer"),
            icon="decimal",
        )
        unit = blocks.StructBlock(
            [
                ("unit", text_block(_("Unit"), _("For example km, m, zł."), max_length=30)),
                (
                    "multiplier",
                    NumberBlock(
                        default=1,
                        label=_("Multiplier"),
                        help_text=_(
                            "How many of this unit make one of the answers' unit: with "
                            "answers in km, m has 1000 and km has 1."
                        ),
                    ),
                ),
            ],
            label=_("Unit"),
            icon="decimal",
        )
        return blocks.StructBlock(
            [
                (
                    "answers",
                    blocks.ListBlock(
                        answer,
                        min_num=1,
                        label=_("Accepted answers"),
                        help_text=_(
                            "A trainee's number earns the grade of the best accepted answer it "
                            "is in range of; at least one must be worth 100 %. Commas and "
                            "points both work as the decimal separator."
                        ),
                    ),
                ),
                (
                    "units",
                    blocks.ListBlock(
                        unit,
                        default=[],
                        label=_("Units"),
                        help_text=_(
                            "Optional: the units a trainee may write after the number. The "
                            "accepted answers are in the unit with multiplier 1."
                        ),
                    ),
                ),
                (
                    "unit_required",
                    blocks.BooleanBlock(
                        required=False,
                        label=_("The trainee must write a unit"),
                        help_text=_(
                            "Otherwise a number without a unit is read in the answers' unit."
                        ),
                    ),
                ),
            ],
            label=self.label,
            icon=self.editor_icon,
        )

    def definition_from_editor(self, value: Any) -> dict[str, Any]:
        value = editor_struct(self, value)
        answers = [
            {
                "value": tidy_number(item.get("value")),
                "tolerance": tidy_number(item.get("tolerance") or 0),
                "fraction": grade_fraction(item.get("fraction")),
                "feedback": item.get("feedback") or "",
            }
            for _ids, item in list_items(value.get("answers"))
        ]
        units = [
            {"unit": item.get("unit"), "multiplier": tidy_number(item.get("multiplier"))}
            for _ids, item in list_items(value.get("units"))
        ]
        return {"answers": answers, "units": units, "unit_required": value.get("unit_required")}

    def editor_value(self, definition: dict[str, Any]) -> dict[str, Any]:
        definition = self.clean_definition(definition)
        return {
            "answers": [
                raw_item(
                    {
                        "value": answer["value"],
                        "tolerance": answer["tolerance"],
                        "fraction": grade_key(answer["fraction"]),
                        "feedback": answer["feedback"],
                    }
                )
                for answer in definition["answers"]
            ],
            "units": [raw_item(dict(unit)) for unit in definition["units"]],
            "unit_required": definition["unit_required"],
        }
