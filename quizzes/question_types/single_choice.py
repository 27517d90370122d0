"""One right option out of several (Moodle's multichoice with a single answer)."""

from __future__ import annotations

import random
from typing import Any

from django.utils.translation import gettext_lazy as _

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
from .base import Grade, QuestionType, ScormInteraction, ScormVersion, round_fraction


class SingleChoice(QuestionType):
    """Definition ``{"options": [{"id", "text", "feedback"}], "correct": id, "shuffle"}``,
    answer ``{"option": id}``."""

    name = "single_choice"
    label = _("Single choice")
    shuffles = True

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
