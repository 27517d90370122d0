"""One right option out of several (Moodle's multichoice with a single answer)."""

from __future__ import annotations

import random
from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from . import _scorm
from ._common import (
    answer_choice,
    answer_field,
    clean_bool,
    clean_options,
    clean_reference,
    ids_of,
    option_feedback,
    public_options,
    require_dict,
)
from ._editor import (
    choice_options_block,
    editor_struct,
    one_correct,
    options_from_editor,
    options_to_editor,
    shuffle_block,
)
from .base import Grade, HiddenKey, QuestionType, ScormInteraction, ScormVersion, round_fraction


class SingleChoice(QuestionType):
    """Definition ``{"options": [{"id", "text", "feedback"}], "correct": id, "shuffle"}``,
    answer ``{"option": id}``."""

    name = "single_choice"
    label = _("Single choice")
    shuffles = True
    editor_icon = "radio-full"

    def clean_definition(self, definition: Any) -> dict[str, Any]:
        data = require_dict(definition, "definition")
        options = clean_options(data.get("options"))
        return {
            "options": options,
            "correct": clean_reference(data.get("correct"), "correct", ids_of(options)),
            "shuffle": clean_bool(data.get("shuffle"), "shuffle", default=True),
        }

    def clean_answer(self, definition: dict[str, Any], answer: Any) -> dict[str, str]:
        option = answer_field(answer, "option")
        return {"option": answer_choice(option, "option", ids_of(definition["options"]))}

    def grade(self, definition: dict[str, Any], answer: dict[str, str]) -> Grade:
        right = answer["option"] == definition["correct"]
        return Grade(
            fraction=round_fraction(1.0 if right else 0.0),
            feedback=option_feedback(definition["options"], [answer["option"]]),
        )

    def player_data(self, definition: dict[str, Any], rng: random.Random | None) -> dict[str, Any]:
        return {
            "options": public_options(definition["options"], rng, shuffle=definition["shuffle"])
        }

    def right_answer(self, definition: dict[str, Any]) -> dict[str, str]:
        return {"option": definition["correct"]}

    def scorm_interaction(
        self, definition: dict[str, Any], version: ScormVersion
    ) -> ScormInteraction:
        return ScormInteraction("choice", [_scorm.join([definition["correct"]], version)])

    def scorm_response(
        self, definition: dict[str, Any], answer: dict[str, str], version: ScormVersion
    ) -> str:
        return _scorm.join([answer["option"]], version)

    def offline_grader_data(self, definition: dict[str, Any]) -> dict[str, Any]:
        return {
            "correct": definition["correct"],
            "feedback": {option["id"]: option["feedback"] for option in definition["options"]},
        }

    def hide_key(self, definition: dict[str, Any], salt: str) -> HiddenKey:
        grader = self.offline_grader_data(definition)
        return HiddenKey(
            {**grader, "salt": salt, "correct": _scorm.key_hash(salt, grader["correct"])}
        )

    def editor_block(self) -> blocks.StructBlock:
        return blocks.StructBlock(
            [
                (
                    "options",
                    choice_options_block(
                        _(
                            "Tick the one correct option. Feedback is shown to a trainee who "
                            "picked the option."
                        )
                    ),
                ),
                ("shuffle", shuffle_block(_("Shuffle the options"))),
            ],
            label=self.label,
            icon=self.editor_icon,
        )

    def definition_from_editor(self, value: Any) -> dict[str, Any]:
        value = editor_struct(self, value)
        options, correct = options_from_editor(value.get("options"))
        return {
            "options": options,
            "correct": one_correct(correct, "options"),
            "shuffle": value.get("shuffle"),
        }

    def editor_value(self, definition: dict[str, Any]) -> dict[str, Any]:
        definition = self.clean_definition(definition)
        return {
            "options": options_to_editor(definition["options"], [definition["correct"]]),
            "shuffle": definition["shuffle"],
        }
