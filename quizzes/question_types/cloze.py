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
from wagtail import blocks

from . import _scorm
from ._common import (
    MSG_MIN_ITEMS,
    MSG_REQUIRED,
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
from ._editor import (
    assign_ids,
    choice_options_block,
    editor_struct,
    first,
    numbered,
    one_correct,
    options_from_editor,
    options_to_editor,
    raw_stream_item,
    shuffle_block,
    stream_items,
    text_answers_block,
    text_answers_from_editor,
    text_answers_to_editor,
    text_setting_blocks,
    text_settings,
)
from ._text import display_answer
from .base import Grade, HiddenKey, QuestionType, ScormInteraction, ScormVersion, round_fraction
from .short_answer import grade_text, hidden_text_answers, scorm_patterns, text_options

#: Longest text a trainee may type into one gap.
MAX_GAP_LENGTH = 1000
#: Anything between double braces; its content must then be a gap id.
_PLACEHOLDER_RE = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
#: A gap in the editor's text: [[1]], [[2]]… (the gap's number; spaces allowed inside).
_MARKER_RE = re.compile(r"\[\[\s*(\d{1,3})\s*\]\]")


def placeholders(text: str) -> list[str]:
    """Gap ids in the order they appear in the text (stripped of spaces)."""
    return [content.strip() for content in _PLACEHOLDER_RE.findall(text)]


class TextGap:
    """A gap the trainee types into: accepted answers as in a short answer."""

    kind: ClassVar[str] = "text"
    label: ClassVar[Any] = _("Typed gap")
    icon: ClassVar[str] = "edit"

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

    def hide_key(self, gap: dict[str, Any], salt: str) -> HiddenKey:
        return hidden_text_answers(gap, salt, gap["id"])

    def editor_blocks(self) -> list[tuple[str, blocks.Block]]:
        return [("answers", text_answers_block()), *text_setting_blocks()]

    def from_editor(self, value: Any, where: str) -> dict[str, Any]:
        return {"answers": text_answers_from_editor(value.get("answers")), **text_settings(value)}

    def editor_value(self, gap: dict[str, Any]) -> dict[str, Any]:
        return {"answers": text_answers_to_editor(gap["answers"]), **text_settings(gap)}


class ChoiceGap:
    """A drop-down gap: one right option out of several."""

    kind: ClassVar[str] = "choice"
    label: ClassVar[Any] = _("Drop-down gap")
    icon: ClassVar[str] = "list-ul"

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

    def hide_key(self, gap: dict[str, Any], salt: str) -> HiddenKey:
        """The gap's grader data, its right option hashed (the question holds the salt)."""
        correct = _scorm.key_hash(salt, gap["correct"], gap["id"])
        return HiddenKey({**self.grader_data(gap), "correct": correct})

    def editor_blocks(self) -> list[tuple[str, blocks.Block]]:
        return [
            (
                "options",
                choice_options_block(
                    _("The options of the drop-down; tick the one correct option.")
                ),
            )
        ]

    def from_editor(self, value: Any, where: str) -> dict[str, Any]:
        options, correct = options_from_editor(value.get("options"))
        return {"options": options, "correct": one_correct(correct, f"{where}.options")}

    def editor_value(self, gap: dict[str, Any]) -> dict[str, Any]:
        return {"options": options_to_editor(gap["options"], [gap["correct"]])}


GAP_KINDS = {gap.kind: gap for gap in (TextGap(), ChoiceGap())}


def _gap_block(gap_kind: TextGap | ChoiceGap) -> blocks.StructBlock:
    number = blocks.IntegerBlock(
        min_value=1,
        max_value=999,
        label=_("Gap number"),
        help_text=_("1 for the gap written [[1]] in the text."),
    )
    return blocks.StructBlock(
        [("number", number), *gap_kind.editor_blocks()],
        label=gap_kind.label,
        icon=gap_kind.icon,
        label_format="[[{number}]]",
    )


def _gap_numbers(text: str, numbers: list[Any]) -> None:
    """Check that the markers in the editor's text and the gaps' numbers match one to one."""
    markers = [int(number) for number in _MARKER_RE.findall(text)]
    for number in markers:
        if markers.count(number) > 1:
            raise definition_error(
                "text",
                _("[[%(number)d]] is in the text twice; each gap goes in one place."),
                number=number,
            )
    for index, number in enumerate(numbers):
        where = f"gaps.{index}.number"
        if number is None:
            raise definition_error(where, MSG_REQUIRED)
        if numbers.index(number) < index:
            raise definition_error(
                where, _("Another gap has the number %(number)d."), number=number
            )
        if number not in markers:
            raise definition_error(
                where, _("Put [[%(number)d]] in the text where this gap goes."), number=number
            )
    for number in markers:
        if number not in numbers:
            raise definition_error(
                "text",
                _("The text has [[%(number)d]], but no gap below has the number %(number)d."),
                number=number,
            )


class Cloze(QuestionType):
    """Definition ``{"text": "... {{g1}} ...", "gaps": [{"id", "kind", ...}], "shuffle"}``,
    answer ``{"gaps": {gap_id: text or option id}}`` (missing gaps count as empty)."""

    name = "cloze"
    label = _("Fill in the blanks (cloze)")
    shuffles = True
    editor_icon = "placeholder"

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

    def hide_key(self, definition: dict[str, Any], salt: str) -> HiddenKey:
        """Each gap hidden by its kind, hashed with the gap's id; the key stays readable
        when a typed gap accepts a wildcard pattern."""
        gaps = [(gap, GAP_KINDS[gap["kind"]].hide_key(gap, salt)) for gap in definition["gaps"]]
        return HiddenKey(
            {
                "gaps": [
                    {"id": gap["id"], "kind": gap["kind"], **hidden.grader} for gap, hidden in gaps
                ],
                "salt": salt,
            },
            readable=any(hidden.readable for _gap, hidden in gaps),
        )

    def editor_block(self) -> blocks.StructBlock:
        return blocks.StructBlock(
            [
                (
                    "text",
                    blocks.TextBlock(
                        rows=4,
                        label=_("Text with gaps"),
                        help_text=_(
                            "Write [[1]] where the first gap goes, [[2]] where the second goes, "
                            "and so on. Every number is in the text once and belongs to the "
                            "gap below with that number."
                        ),
                    ),
                ),
                (
                    "gaps",
                    blocks.StreamBlock(
                        [(kind, _gap_block(gap_kind)) for kind, gap_kind in GAP_KINDS.items()],
                        min_num=1,
                        label=_("Gaps"),
                        help_text=_(
                            "A typed gap takes the trainee's text and grades it like a short "
                            "answer; a drop-down gap offers options to pick from. The question "
                            "earns the average of its gaps."
                        ),
                    ),
                ),
                ("shuffle", shuffle_block(_("Shuffle the options of drop-down gaps"))),
            ],
            label=self.label,
            icon=self.editor_icon,
        )

    def definition_from_editor(self, value: Any) -> dict[str, Any]:
        value = editor_struct(self, value)
        text = value.get("text") if isinstance(value.get("text"), str) else ""
        if _PLACEHOLDER_RE.search(text):
            raise definition_error(
                "text", _("Write gaps as [[1]], [[2]]…; double braces are not allowed.")
            )
        gaps = stream_items(value.get("gaps"))
        numbers = [gap.get("number") for _carried, _kind, gap in gaps]
        _gap_numbers(text, numbers)
        ids = assign_ids(
            [first(carried) for carried, _kind, _gap in gaps],
            numbered("g"),
            preferred=[f"g{number}" for number in numbers],
        )
        id_of_number = dict(zip(numbers, ids, strict=True))
        return {
            "text": _MARKER_RE.sub(lambda match: "{{" + id_of_number[int(match[1])] + "}}", text),
            "gaps": [
                {"id": gap_id, "kind": kind, **GAP_KINDS[kind].from_editor(gap, f"gaps.{index}")}
                for index, (gap_id, (_carried, kind, gap)) in enumerate(zip(ids, gaps, strict=True))
            ],
            "shuffle": value.get("shuffle"),
        }

    def editor_value(self, definition: dict[str, Any]) -> dict[str, Any]:
        definition = self.clean_definition(definition)
        number_of = {gap["id"]: number for number, gap in enumerate(definition["gaps"], start=1)}
        return {
            "text": _PLACEHOLDER_RE.sub(
                lambda match: f"[[{number_of[match[1].strip()]}]]", definition["text"]
            ),
            "gaps": [
                raw_stream_item(
                    gap["kind"],
                    {"number": number_of[gap["id"]], **GAP_KINDS[gap["kind"]].editor_value(gap)},
                    gap["id"],
                )
                for gap in definition["gaps"]
            ],
            "shuffle": definition["shuffle"],
        }
