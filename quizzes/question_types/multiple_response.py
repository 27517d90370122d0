"""Several right options (Moodle's multichoice with multiple answers).

Scoring:

* ``all_or_nothing`` — full marks only for exactly the right set of options;
* ``partial`` — ``max(0, right_picked / len(correct) - wrong_picked / len(wrong options))``.
  Each right option earns its share and each wrong pick costs its share of the wrong
  options, so ticking every box scores 0, as does guessing at random on average; the
  result never goes below 0. With no wrong options at all there is no penalty.
"""

from __future__ import annotations

import random
from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from . import _scorm
from ._common import (
    MSG_MIN_ITEMS,
    answer_field,
    answer_id_list,
    check_unique,
    clean_bool,
    clean_enum,
    clean_options,
    clean_reference,
    definition_error,
    ids_of,
    option_feedback,
    public_options,
    require_dict,
    require_list,
)
from ._editor import (
    choice_block,
    choice_options_block,
    editor_struct,
    options_from_editor,
    options_to_editor,
    shuffle_block,
)
from .base import Grade, HiddenKey, QuestionType, ScormInteraction, ScormVersion, round_fraction

SCORING = ("all_or_nothing", "partial")
SCORING_LABELS = {
    "all_or_nothing": _("All or nothing: full marks only for exactly the correct options"),
    "partial": _(
        "Partial credit: each correct option ticked earns its share, each wrong one "
        "costs its share (never below 0)"
    ),
}


def partial_fraction(picked: set[str], correct: set[str], option_ids: list[str]) -> float:
    """The ``partial`` rule of this module's docstring, unrounded."""
    wrong_options = len(option_ids) - len(correct)
    right_share = len(picked & correct) / len(correct)
    wrong_share = len(picked - correct) / wrong_options if wrong_options else 0.0
    return max(0.0, right_share - wrong_share)


class MultipleResponse(QuestionType):
    """Definition ``{"options", "correct": [ids], "scoring", "shuffle"}``,
    answer ``{"options": [ids]}`` (an empty list is a valid, wrong answer)."""

    name = "multiple_response"
    label = _("Multiple response")
    shuffles = True
    editor_icon = "tasks"

    def clean_definition(self, definition: Any) -> dict[str, Any]:
        data = require_dict(definition, "definition")
        options = clean_options(data.get("options"))
        option_ids = ids_of(options)
        raw_correct = require_list(data.get("correct"), "correct")
        if not raw_correct:
            raise definition_error("correct", MSG_MIN_ITEMS, count=1)
        correct = [
            clean_reference(value, f"correct.{index}", option_ids)
            for index, value in enumerate(raw_correct)
        ]
        check_unique(correct, "correct.{}")
        return {
            "options": options,
            "correct": [option_id for option_id in option_ids if option_id in correct],
            "scoring": clean_enum(data.get("scoring"), "scoring", SCORING, default=SCORING[0]),
            "shuffle": clean_bool(data.get("shuffle"), "shuffle", default=True),
        }

    def clean_answer(self, definition: dict[str, Any], answer: Any) -> dict[str, list[str]]:
        picked = answer_field(answer, "options")
        return {"options": answer_id_list(picked, "options", ids_of(definition["options"]))}

    def grade(self, definition: dict[str, Any], answer: dict[str, list[str]]) -> Grade:
        picked, correct = set(answer["options"]), set(definition["correct"])
        if definition["scoring"] == "partial":
            fraction = partial_fraction(picked, correct, ids_of(definition["options"]))
        else:
            fraction = 1.0 if picked == correct else 0.0
        return Grade(
            fraction=round_fraction(fraction),
            feedback=option_feedback(definition["options"], picked),
        )

    def player_data(self, definition: dict[str, Any], rng: random.Random | None) -> dict[str, Any]:
        return {
            "options": public_options(definition["options"], rng, shuffle=definition["shuffle"])
        }

    def right_answer(self, definition: dict[str, Any]) -> dict[str, list[str]]:
        return {"options": list(definition["correct"])}

    def scorm_interaction(
        self, definition: dict[str, Any], version: ScormVersion
    ) -> ScormInteraction:
        return ScormInteraction("choice", [_scorm.join(definition["correct"], version)])

    def scorm_response(
        self, definition: dict[str, Any], answer: dict[str, list[str]], version: ScormVersion
    ) -> str:
        return _scorm.join(answer["options"], version)

    def offline_grader_data(self, definition: dict[str, Any]) -> dict[str, Any]:
        return {
            "options": ids_of(definition["options"]),
            "correct": list(definition["correct"]),
            "scoring": definition["scoring"],
            "feedback": {option["id"]: option["feedback"] for option in definition["options"]},
        }

    def hide_key(self, definition: dict[str, Any], salt: str) -> HiddenKey:
        """One hash per right option, sorted: partial credit needs each option's
        correctness (and how many are right), not which hash is whose."""
        correct = sorted(_scorm.key_hash(salt, option_id) for option_id in definition["correct"])
        return HiddenKey({**self.offline_grader_data(definition), "salt": salt, "correct": correct})

    def editor_block(self) -> blocks.StructBlock:
        return blocks.StructBlock(
            [
                (
                    "options",
                    choice_options_block(
                        _(
                            "Tick every correct option. Feedback is shown to a trainee who "
                            "picked the option."
                        )
                    ),
                ),
                ("scoring", choice_block(SCORING_LABELS, _("Scoring"), SCORING[0])),
                ("shuffle", shuffle_block(_("Shuffle the options"))),
            ],
            label=self.label,
            icon=self.editor_icon,
        )

    def definition_from_editor(self, value: Any) -> dict[str, Any]:
        value = editor_struct(self, value)
        options, correct = options_from_editor(value.get("options"))
        if not correct:
            raise definition_error("options", _("Tick at least one correct option."))
        return {
            "options": options,
            "correct": correct,
            "scoring": value.get("scoring"),
            "shuffle": value.get("shuffle"),
        }

    def editor_value(self, definition: dict[str, Any]) -> dict[str, Any]:
        definition = self.clean_definition(definition)
        return {
            "options": options_to_editor(definition["options"], definition["correct"]),
            "scoring": definition["scoring"],
            "shuffle": definition["shuffle"],
        }
