"""A word or phrase typed by the trainee, compared with accepted answers.

Matching rules (wildcards, case, diacritics, whitespace) are in `_text`; the accepted
answer with the highest fraction among those that match wins.
"""

from __future__ import annotations

import random
from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from . import _scorm
from ._common import (
    MAX_TEXT_LENGTH,
    answer_field,
    answer_text,
    clean_bool,
    clean_text_answers,
    require_dict,
)
from ._editor import (
    editor_struct,
    text_answers_block,
    text_answers_from_editor,
    text_answers_to_editor,
    text_setting_blocks,
    text_settings,
)
from ._text import best_text_answer, display_answer, has_wildcard, literal_text, normalise_text
from .base import Grade, HiddenKey, QuestionType, ScormInteraction, ScormVersion, round_fraction


def text_options(data: dict[str, Any], prefix: str = "") -> dict[str, bool]:
    """The comparison settings of a short answer or a cloze gap, with their defaults;
    `prefix` locates the gap in error keys ("gaps.0.")."""
    return {
        key: clean_bool(data.get(key), prefix + key, default=default)
        for key, default in (("case_sensitive", False), ("ignore_diacritics", True))
    }


def grade_text(settings: dict[str, Any], response: str) -> Grade:
    """Grade a typed text against ``settings["answers"]`` (short answer, cloze text gap)."""
    best = best_text_answer(
        settings["answers"],
        response,
        case_sensitive=settings["case_sensitive"],
        ignore_diacritics=settings["ignore_diacritics"],
    )
    if best is None:
        return Grade(fraction=0.0)
    return Grade(fraction=round_fraction(best["fraction"]), feedback=best["feedback"])


def scorm_patterns(settings: dict[str, Any]) -> list[str]:
    """Full-mark accepted texts SCORM can express (wildcard answers cannot be)."""
    return [
        literal_text(answer["text"])
        for answer in settings["answers"]
        if answer["fraction"] == 1.0 and not has_wildcard(answer["text"])
    ]


def hidden_text_answers(settings: dict[str, Any], salt: str, context: str = "") -> HiddenKey:
    """The grader data of a short answer or a cloze text gap (`context`: the gap's id) with
    hidden keys: an accepted text without wildcards becomes ``hash``, the hash of its
    comparable form (`_text.normalise_text`, as the grader compares); a wildcard pattern
    cannot be hashed and stays readable. The salt itself is left for the caller to add."""
    options = {
        "case_sensitive": settings["case_sensitive"],
        "ignore_diacritics": settings["ignore_diacritics"],
    }
    answers = []
    for answer in settings["answers"]:
        if has_wildcard(answer["text"]):
            answers.append(dict(answer))
            continue
        comparable = normalise_text(literal_text(answer["text"]), **options)
        answers.append(
            {
                "hash": _scorm.key_hash(salt, comparable, context),
                "fraction": answer["fraction"],
                "feedback": answer["feedback"],
            }
        )
    return HiddenKey(
        {"answers": answers, **options},
        readable=any("text" in answer for answer in answers),
    )


class ShortAnswer(QuestionType):
    """Definition ``{"answers": [{"text", "fraction", "feedback"}], "case_sensitive",
    "ignore_diacritics"}``, answer ``{"text": str}``."""

    name = "short_answer"
    label = _("Short answer")
    editor_icon = "edit"

    def clean_definition(self, definition: Any) -> dict[str, Any]:
        data = require_dict(definition, "definition")
        return {"answers": clean_text_answers(data.get("answers")), **text_options(data)}

    def clean_answer(self, definition: dict[str, Any], answer: Any) -> dict[str, str]:
        return {"text": answer_text(answer_field(answer, "text"), "text")}

    def grade(self, definition: dict[str, Any], answer: dict[str, str]) -> Grade:
        return grade_text(definition, answer["text"])

    def player_data(self, definition: dict[str, Any], rng: random.Random | None) -> dict[str, Any]:
        return {"max_length": MAX_TEXT_LENGTH}

    def right_answer(self, definition: dict[str, Any]) -> dict[str, str]:
        return {"text": display_answer(definition["answers"])}

    def scorm_interaction(
        self, definition: dict[str, Any], version: ScormVersion
    ) -> ScormInteraction:
        patterns = [
            _scorm.fill_in_pattern([text], version, case_sensitive=definition["case_sensitive"])
            for text in scorm_patterns(definition)
        ]
        if version == "2004":
            patterns = patterns[: _scorm.FILL_IN_2004_PATTERNS]
        return ScormInteraction("fill-in", patterns)

    def scorm_response(
        self, definition: dict[str, Any], answer: dict[str, str], version: ScormVersion
    ) -> str:
        return _scorm.fill_in([answer["text"]], version)

    def offline_grader_data(self, definition: dict[str, Any]) -> dict[str, Any]:
        return {
            "answers": [dict(answer) for answer in definition["answers"]],
            "case_sensitive": definition["case_sensitive"],
            "ignore_diacritics": definition["ignore_diacritics"],
        }

    def hide_key(self, definition: dict[str, Any], salt: str) -> HiddenKey:
        hidden = hidden_text_answers(definition, salt)
        return HiddenKey({**hidden.grader, "salt": salt}, readable=hidden.readable)

    def editor_block(self) -> blocks.StructBlock:
        return blocks.StructBlock(
            [("answers", text_answers_block()), *text_setting_blocks()],
            label=self.label,
            icon=self.editor_icon,
        )

    def definition_from_editor(self, value: Any) -> dict[str, Any]:
        value = editor_struct(self, value)
        return {"answers": text_answers_from_editor(value.get("answers")), **text_settings(value)}

    def editor_value(self, definition: dict[str, Any]) -> dict[str, Any]:
        definition = self.clean_definition(definition)
        return {
            "answers": text_answers_to_editor(definition["answers"]),
            **text_settings(definition),
        }
