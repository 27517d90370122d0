"""Fill in the blanks: a text with gaps written as ``{{gap_id}}``.

A gap is either typed (``kind: "text"``, graded like a short answer) or picked from a
drop-down (``kind: "choice"``). Each gap appears exactly once in the text. The fraction is
the mean of the gaps' fractions; a gap left empty scores 0. For SCORM the question is one
fill-in interaction whose values are the gaps in order (a choice gap by its option's text).
"""

from __future__ import annotations

import random
import re
from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _

from . import _scorm
from ._common import (
    MSG_MIN_ITEMS,
    answer_choice,
    answer_error,
    answer_field,
    answer_text,
    check_unique,
    clean_bool,
    clean_enum,
    clean_identifier,
    clean_options,
    clean_reference,
    clean_text,
    clean_text_answers,
    definition_error,
    ids_of,
    join_feedback,
    option_feedback,
    public_options,
    require_dict,
    require_list,
)
from ._text import display_answer
from .base import Grade, QuestionType, ScormInteraction, ScormVersion, round_fraction
from .short_answer import grade_text, scorm_patterns, text_options

#: Longest text a trainee may type into one gap.
MAX_GAP_LENGTH = 1000
#: Anything between double braces; its content must then be a gap id.
_PLACEHOLDER_RE = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)


def placeholders(text: str) -> list[str]:
    """Gap ids in the order they appear in the text (stripped of spaces)."""
    return [content.strip() for content in _PLACEHOLDER_RE.findall(text)]


class TextGap:
    """A gap the trainee types into: accepted answers as in a short answer."""

    kind: ClassVar[str] = "text"

    def clean(self, data: dict[str, Any], where: str) -> dict[str, Any]:
        answers = clean_text_answers(data.get("answers"), f"{where}.answers")
        return {"answers": answers, **text_options(data, f"{where}.")}

    def clean_answer(self, gap: dict[str, Any], value: Any, field: str) -> str:
        return answer_text(value, field, max_length=MAX_GAP_LENGTH)

    def grade(self, gap: dict[str, Any], value: str) -> Grade:
        return grade_text(gap, value)

    def public(
        self, gap: dict[str, Any], rng: random.Random | None, shuffle: bool
    ) -> dict[str, Any]:
        return {}

    def right_answer(self, gap: dict[str, Any]) -> str:
        return display_answer(gap["answers"])

    def scorm_value(self, gap: dict[str, Any], value: str) -> str:
        return value

    def scorm_pattern(self, gap: dict[str, Any]) -> str | None:
        """A full-mark text SCORM can express, or None if they all use wildcards."""
        patterns = scorm_patterns(gap)
        return patterns[0] if patterns else None

    def grader_data(self, gap: dict[str, Any]) -> dict[str, Any]:
        return {key: gap[key] for key in ("answers", "case_sensitive", "ignore_diacritics")}


class ChoiceGap:
    """A drop-down gap: one right option out of several."""

    kind: ClassVar[str] = "choice"

    def clean(self, data: dict[str, Any], where: str) -> dict[str, Any]:
        options = clean_options(data.get("options"), f"{where}.options")
        correct = clean_reference(data.get("correct"), f"{where}.correct", ids_of(options))
        return {"options": options, "correct": correct}

    def clean_answer(self, gap: dict[str, Any], value: Any, field: str) -> str:
        if value is None or value == "":
            return ""
        return answer_choice(value, field, ids_of(gap["options"]))

    def grade(self, gap: dict[str, Any], value: str) -> Grade:
        fraction = 1.0 if value == gap["correct"] else 0.0
        return Grade(fraction=fraction, feedback=option_feedback(gap["options"], [value]))

    def public(
        self, gap: dict[str, Any], rng: random.Random | None, shuffle: bool
    ) -> dict[str, Any]:
        return {"options": public_options(gap["options"], rng, shuffle=shuffle)}

    def right_answer(self, gap: dict[str, Any]) -> str:
        return gap["correct"]

    def scorm_value(self, gap: dict[str, Any], value: str) -> str:
        texts = {option["id"]: option["text"] for option in gap["options"]}
        return texts.get(value, "")

    def scorm_pattern(self, gap: dict[str, Any]) -> str | None:
        return self.scorm_value(gap, gap["correct"])

    def grader_data(self, gap: dict[str, Any]) -> dict[str, Any]:
        return {
            "correct": gap["correct"],
            "feedback": {option["id"]: option["feedback"] for option in gap["options"]},
        }


GAP_KINDS = {gap.kind: gap for gap in (TextGap(), ChoiceGap())}


class Cloze(QuestionType):
    """Definition ``{"text": "... {{g1}} ...", "gaps": [{"id", "kind", ...}], "shuffle"}``,
    answer ``{"gaps": {gap_id: text or option id}}`` (missing gaps count as empty)."""

    name = "cloze"
    label = _("Fill in the blanks (cloze)")
    shuffles = True

    def clean_definition(self, definition: Any) -> dict[str, Any]:
        data = require_dict(definition, "definition")
        # Placeholders are stored without inner spaces: "{{ g1 }}" becomes "{{g1}}".
        text = _PLACEHOLDER_RE.sub(
            lambda match: "{{" + match[1].strip() + "}}", clean_text(data.get("text"), "text")
        )
        raw_gaps = require_list(data.get("gaps"), "gaps")
        if not raw_gaps:
            raise definition_error("gaps", MSG_MIN_ITEMS, count=1)
        gaps = []
        for index, item in enumerate(raw_gaps):
            where = f"gaps.{index}"
            item = require_dict(item, where)
            gap_id = clean_identifier(item.get("id"), f"{where}.id")
            kind = clean_enum(item.get("kind"), f"{where}.kind", list(GAP_KINDS), default="text")
            gaps.append({"id": gap_id, "kind": kind, **GAP_KINDS[kind].clean(item, where)})
        check_unique(ids_of(gaps), "gaps.{}.id")
        self._check_placeholders(text, ids_of(gaps))
        return {
            "text": text,
            "gaps": gaps,
            "shuffle": clean_bool(data.get("shuffle"), "shuffle", default=True),
        }

    @staticmethod
    def _check_placeholders(text: str, gap_ids: list[str]) -> None:
        found = placeholders(text)
        for gap_id in found:
            if gap_id not in gap_ids:
                raise definition_error(
                    "text", _("The text names a gap “%(id)s” that is not defined."), id=gap_id[:64]
                )
        check_unique(found, "text")
        for index, gap_id in enumerate(gap_ids):
            if gap_id not in found:
                raise definition_error(
                    f"gaps.{index}.id",
                    _("Put {{%(id)s}} in the text where this gap goes."),
                    id=gap_id,
                )

    def clean_answer(self, definition: dict[str, Any], answer: Any) -> dict[str, dict[str, str]]:
        values = answer_field(answer, "gaps")
        if not isinstance(values, dict):
            raise answer_error("gaps", _("Expected an object."))
        gaps = {gap["id"]: gap for gap in definition["gaps"]}
        for key in values:
            if key not in gaps:
                raise answer_error(f"gaps.{str(key)[:64]}", _("Unknown gap."))
        return {
            "gaps": {
                gap_id: GAP_KINDS[gap["kind"]].clean_answer(
                    gap, values.get(gap_id), f"gaps.{gap_id}"
                )
                for gap_id, gap in gaps.items()
            }
        }

    def _gap_grades(self, definition: dict[str, Any], answer: dict[str, Any]) -> list[Grade]:
        return [
            GAP_KINDS[gap["kind"]].grade(gap, answer["gaps"].get(gap["id"], ""))
            for gap in definition["gaps"]
        ]

    def grade(self, definition: dict[str, Any], answer: dict[str, Any]) -> Grade:
        grades = self._gap_grades(definition, answer)
        return Grade(
            fraction=round_fraction(sum(grade.fraction for grade in grades) / len(grades)),
            feedback=join_feedback(grade.feedback for grade in grades),
        )

    def player_data(self, definition: dict[str, Any], rng: random.Random | None) -> dict[str, Any]:
        shuffle = definition["shuffle"]
        return {
            "text": definition["text"],
            "gaps": [
                {
                    "id": gap["id"],
                    "kind": gap["kind"],
                    **GAP_KINDS[gap["kind"]].public(gap, rng, shuffle),
                }
                for gap in definition["gaps"]
            ],
        }

    def right_answer(self, definition: dict[str, Any]) -> dict[str, dict[str, str]]:
        return {
            "gaps": {
                gap["id"]: GAP_KINDS[gap["kind"]].right_answer(gap) for gap in definition["gaps"]
            }
        }

    def scorm_interaction(
        self, definition: dict[str, Any], version: ScormVersion
    ) -> ScormInteraction:
        values = [GAP_KINDS[gap["kind"]].scorm_pattern(gap) for gap in definition["gaps"]]
        if any(value is None for value in values):
            return ScormInteraction("fill-in", [])
        case_sensitive = any(gap.get("case_sensitive", False) for gap in definition["gaps"])
        pattern = _scorm.fill_in_pattern(values, version, case_sensitive=case_sensitive)
        return ScormInteraction("fill-in", [pattern])

    def scorm_response(
        self, definition: dict[str, Any], answer: dict[str, Any], version: ScormVersion
    ) -> str:
        values = [
            GAP_KINDS[gap["kind"]].scorm_value(gap, answer["gaps"].get(gap["id"], ""))
            for gap in definition["gaps"]
        ]
        return _scorm.fill_in(values, version)

    def offline_grader_data(self, definition: dict[str, Any]) -> dict[str, Any]:
        return {
            "gaps": [
                {"id": gap["id"], "kind": gap["kind"], **GAP_KINDS[gap["kind"]].grader_data(gap)}
                for gap in definition["gaps"]
            ]
        }
