"""A free-text answer graded by a person.

Word limits are shown to the trainee but not enforced when saving: an attempt submitted
when time runs out must still be accepted. Graders see the word count themselves.
"""

from __future__ import annotations

import random
from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from . import _scorm
from ._common import (
    answer_field,
    answer_text,
    clean_count,
    clean_text,
    definition_error,
    require_dict,
)
from ._editor import editor_struct
from .base import Grade, HiddenKey, QuestionType, ScormInteraction, ScormVersion


def word_count(text: str) -> int:
    return len(text.split())


class Essay(QuestionType):
    """Definition ``{"min_words", "max_words" (0 = no limit), "grader_info"}``,
    answer ``{"text": str}``. `grader_info` is for graders only, never for the player."""

    name = "essay"
    label = _("Essay")
    manually_graded = True
    editor_icon = "doc-full"

    def clean_definition(self, definition: Any) -> dict[str, Any]:
        data = require_dict(definition, "definition")
        min_words = clean_count(data.get("min_words"), "min_words")
        max_words = clean_count(data.get("max_words"), "max_words")
        if max_words and min_words > max_words:
            raise definition_error(
                "max_words", _("The maximum cannot be below the minimum (%(min)d)."), min=min_words
            )
        return {
            "min_words": min_words,
            "max_words": max_words,
            "grader_info": clean_text(data.get("grader_info"), "grader_info", required=False),
        }

    def clean_answer(self, definition: dict[str, Any], answer: Any) -> dict[str, str]:
        return {"text": answer_text(answer_field(answer, "text"), "text")}

    def grade(self, definition: dict[str, Any], answer: dict[str, str]) -> Grade:
        return Grade(fraction=0.0, needs_manual_grading=True)

    def player_data(self, definition: dict[str, Any], rng: random.Random | None) -> dict[str, Any]:
        return {"min_words": definition["min_words"], "max_words": definition["max_words"]}

    def right_answer(self, definition: dict[str, Any]) -> None:
        """An essay has no right answer to show."""
        return None

    def scorm_interaction(
        self, definition: dict[str, Any], version: ScormVersion
    ) -> ScormInteraction:
        return ScormInteraction("fill-in" if version == "1.2" else "long-fill-in", [])

    def scorm_response(
        self, definition: dict[str, Any], answer: dict[str, str], version: ScormVersion
    ) -> str:
        return _scorm.long_fill_in(answer["text"], version)

    def offline_grader_data(self, definition: dict[str, Any]) -> dict[str, Any]:
        return {"manually_graded": True}

    def hide_key(self, definition: dict[str, Any], salt: str) -> HiddenKey:
        """An essay has no key to hide."""
        return HiddenKey(self.offline_grader_data(definition))

    def editor_block(self) -> blocks.StructBlock:
        def word_limit(label: Any, help_text: Any) -> blocks.IntegerBlock:
            return blocks.IntegerBlock(
                required=False, min_value=0, default=0, label=label, help_text=help_text
            )

        return blocks.StructBlock(
            [
                (
                    "min_words",
                    word_limit(
                        _("Minimum number of words"),
                        _("0 for no minimum. Shown to the trainee, who may still submit less."),
                    ),
                ),
                (
                    "max_words",
                    word_limit(
                        _("Maximum number of words"),
                        _("0 for no limit. Shown to the trainee, who may still submit more."),
                    ),
                ),
                (
                    "grader_info",
                    blocks.TextBlock(
                        required=False,
                        rows=3,
                        label=_("Information for graders"),
                        help_text=_(
                            "What a good answer contains, how to mark it. Trainees never see it."
                        ),
                    ),
                ),
            ],
            label=self.label,
            icon=self.editor_icon,
        )

    def definition_from_editor(self, value: Any) -> dict[str, Any]:
        value = editor_struct(self, value)
        return {
            "min_words": value.get("min_words") or 0,
            "max_words": value.get("max_words") or 0,
            "grader_info": value.get("grader_info") or "",
        }

    def editor_value(self, definition: dict[str, Any]) -> dict[str, Any]:
        return dict(self.clean_definition(definition))
