"""A statement that is either true or false."""

from __future__ import annotations

import random
from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from . import _scorm
from ._common import (
    MSG_BOOL,
    MSG_REQUIRED,
    answer_error,
    answer_field,
    clean_text,
    definition_error,
    require_dict,
)
from ._editor import editor_struct, feedback_block
from .base import Grade, HiddenKey, QuestionType, ScormInteraction, ScormVersion, round_fraction

#: The editor's choice values for the right answer.
_EDITOR_VALUES = {"true": True, "false": False}


class TrueFalse(QuestionType):
    """Definition ``{"correct": bool, "feedback_true", "feedback_false"}``,
    answer ``{"value": bool}``. The feedback shown is the one of the value chosen."""

    name = "true_false"
    label = _("True or false")
    editor_icon = "circle-check"

    def clean_definition(self, definition: Any) -> dict[str, Any]:
        data = require_dict(definition, "definition")
        correct = data.get("correct")
        if correct is None:
            raise definition_error("correct", MSG_REQUIRED)
        if not isinstance(correct, bool):
            raise definition_error("correct", MSG_BOOL)
        return {
            "correct": correct,
            "feedback_true": clean_text(data.get("feedback_true"), "feedback_true", required=False),
            "feedback_false": clean_text(
                data.get("feedback_false"), "feedback_false", required=False
            ),
        }

    def clean_answer(self, definition: dict[str, Any], answer: Any) -> dict[str, bool]:
        value = answer_field(answer, "value")
        if not isinstance(value, bool):
            raise answer_error("value", MSG_BOOL)
        return {"value": value}

    def grade(self, definition: dict[str, Any], answer: dict[str, bool]) -> Grade:
        value = answer["value"]
        return Grade(
            fraction=round_fraction(1.0 if value == definition["correct"] else 0.0),
            feedback=definition["feedback_true" if value else "feedback_false"],
        )

    def player_data(self, definition: dict[str, Any], rng: random.Random | None) -> dict[str, Any]:
        return {"values": [True, False]}

    def right_answer(self, definition: dict[str, Any]) -> dict[str, bool]:
        return {"value": definition["correct"]}

    def scorm_interaction(
        self, definition: dict[str, Any], version: ScormVersion
    ) -> ScormInteraction:
        return ScormInteraction("true-false", [_scorm.true_false(definition["correct"], version)])

    def scorm_response(
        self, definition: dict[str, Any], answer: dict[str, bool], version: ScormVersion
    ) -> str:
        return _scorm.true_false(answer["value"], version)

    def offline_grader_data(self, definition: dict[str, Any]) -> dict[str, Any]:
        return dict(definition)

    def hide_key(self, definition: dict[str, Any], salt: str) -> HiddenKey:
        # The grader hashes the learner's value as JavaScript's String(value) writes it.
        correct = "true" if definition["correct"] else "false"
        return HiddenKey({**definition, "salt": salt, "correct": _scorm.key_hash(salt, correct)})

    def editor_block(self) -> blocks.StructBlock:
        return blocks.StructBlock(
            [
                (
                    "correct",
                    blocks.ChoiceBlock(
                        choices=[("true", _("True")), ("false", _("False"))],
                        label=_("The statement is"),
                        help_text=_("The question text is the statement to judge."),
                    ),
                ),
                (
                    "feedback_true",
                    feedback_block(label=_("Feedback for a trainee who answers “true”")),
                ),
                (
                    "feedback_false",
                    feedback_block(label=_("Feedback for a trainee who answers “false”")),
                ),
            ],
            label=self.label,
            icon=self.editor_icon,
        )

    def definition_from_editor(self, value: Any) -> dict[str, Any]:
        value = editor_struct(self, value)
        return {
            "correct": _EDITOR_VALUES.get(value.get("correct")),
            "feedback_true": value.get("feedback_true") or "",
            "feedback_false": value.get("feedback_false") or "",
        }

    def editor_value(self, definition: dict[str, Any]) -> dict[str, Any]:
        definition = self.clean_definition(definition)
        return {
            "correct": "true" if definition["correct"] else "false",
            "feedback_true": definition["feedback_true"],
            "feedback_false": definition["feedback_false"],
        }
