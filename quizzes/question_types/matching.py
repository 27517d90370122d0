"""Match each prompt with its answer; extra answers act as distractors.

Several prompts may share one answer (same `answer_id` and text). Like Moodle, the list of
answers is always shuffled when an `rng` is given (listed in pair order it would give the
key away) and sorted alphabetically without one; `shuffle` shuffles the prompts.
A prompt left unmatched counts as wrong; fraction = right matches / number of pairs.
"""

from __future__ import annotations

import random
from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from . import _scorm
from ._common import (
    answer_choice,
    answer_error,
    answer_field,
    check_unique,
    clean_bool,
    clean_identifier,
    clean_options,
    clean_text,
    definition_error,
    ids_of,
    require_dict,
    require_list,
    shuffled,
)
from ._editor import (
    assign_ids,
    editor_struct,
    first,
    list_items,
    numbered,
    raw_item,
    shuffle_block,
    text_block,
    text_of,
)
from .base import Grade, HiddenKey, QuestionType, ScormInteraction, ScormVersion, round_fraction


def answer_choices(definition: dict[str, Any]) -> list[dict[str, str]]:
    """Every answer a prompt can be matched with: the pairs' (once each), then extras."""
    choices: dict[str, str] = {}
    for pair in definition["pairs"]:
        choices.setdefault(pair["answer_id"], pair["answer"])
    for extra in definition["extra_answers"]:
        choices[extra["id"]] = extra["text"]
    return [{"id": choice_id, "text": text} for choice_id, text in choices.items()]


def _clean_pair(item: Any, where: str) -> dict[str, str]:
    item = require_dict(item, where)
    return {
        "id": clean_identifier(item.get("id"), f"{where}.id"),
        "prompt": clean_text(item.get("prompt"), f"{where}.prompt"),
        "answer_id": clean_identifier(item.get("answer_id"), f"{where}.answer_id"),
        "answer": clean_text(item.get("answer"), f"{where}.answer"),
    }


def _answer_ids(
    pair_answers: list[tuple[str | None, str]], extras: list[tuple[str | None, str]]
) -> tuple[list[str], list[str]]:
    """Answer ids for the pairs' answers and the extra answers written in the editor, each
    given as ``(id carried, text)``.

    An answer keeps the id it carried unless another text took it first; pairs whose answers
    read the same share an id; new answers get c1, c2… (see `_editor`)."""
    text_of_id: dict[str, str] = {}

    def claim(carried: str | None, text: str) -> str | None:
        return carried if carried and text_of_id.setdefault(carried, text) == text else None

    pairs_kept = [claim(carried, text) for carried, text in pair_answers]
    extras_kept = [claim(carried, text) for carried, text in extras]
    id_of_text: dict[str, str] = {}
    for kept, (_carried, text) in zip(pairs_kept, pair_answers, strict=True):
        if kept:
            id_of_text.setdefault(text, kept)
    fresh = (candidate for candidate in numbered("c") if candidate not in text_of_id)
    pair_ids = []
    for kept, (_carried, text) in zip(pairs_kept, pair_answers, strict=True):
        if not kept and text not in id_of_text:
            id_of_text[text] = next(fresh)
        pair_ids.append(kept or id_of_text[text])
    return pair_ids, [kept or next(fresh) for kept in extras_kept]


class Matching(QuestionType):
    """Definition ``{"pairs": [{"id", "prompt", "answer_id", "answer"}],
    "extra_answers": [{"id", "text"}], "shuffle"}``, answer ``{"matches": {pair: answer}}``."""

    name = "matching"
    label = _("Matching")
    shuffles = True
    editor_icon = "link"

    def clean_definition(self, definition: Any) -> dict[str, Any]:
        data = require_dict(definition, "definition")
        raw_pairs = require_list(data.get("pairs"), "pairs", min_count=2)
        pairs = [_clean_pair(item, f"pairs.{index}") for index, item in enumerate(raw_pairs)]
        check_unique(ids_of(pairs), "pairs.{}.id")
        answers: dict[str, str] = {}
        for index, pair in enumerate(pairs):
            known = answers.setdefault(pair["answer_id"], pair["answer"])
            if known != pair["answer"]:
                raise definition_error(
                    f"pairs.{index}.answer_id",
                    _("The answer id “%(id)s” is already used for another text."),
                    id=pair["answer_id"],
                )
        raw_extra = data.get("extra_answers")
        extra = clean_options([] if raw_extra is None else raw_extra, "extra_answers", min_count=0)
        for index, item in enumerate(extra):
            if item["id"] in answers:
                raise definition_error(
                    f"extra_answers.{index}.id",
                    _("The id “%(id)s” is already an answer of a pair."),
                    id=item["id"],
                )
        return {
            "pairs": pairs,
            "extra_answers": [{"id": item["id"], "text": item["text"]} for item in extra],
            "shuffle": clean_bool(data.get("shuffle"), "shuffle", default=True),
        }

    def clean_answer(self, definition: dict[str, Any], answer: Any) -> dict[str, dict[str, str]]:
        matches = answer_field(answer, "matches")
        if not isinstance(matches, dict):
            raise answer_error("matches", _("Expected an object."))
        pair_ids = ids_of(definition["pairs"])
        choice_ids = ids_of(answer_choices(definition))
        for key, value in matches.items():
            if key not in pair_ids:
                raise answer_error(f"matches.{str(key)[:64]}", _("Unknown prompt."))
            if value is not None:
                answer_choice(value, f"matches.{key}", choice_ids)
        return {
            "matches": {
                pair_id: matches[pair_id]
                for pair_id in pair_ids
                if matches.get(pair_id) is not None
            }
        }

    def grade(self, definition: dict[str, Any], answer: dict[str, dict[str, str]]) -> Grade:
        pairs = definition["pairs"]
        right = sum(1 for pair in pairs if answer["matches"].get(pair["id"]) == pair["answer_id"])
        return Grade(fraction=round_fraction(right / len(pairs)))

    def player_data(self, definition: dict[str, Any], rng: random.Random | None) -> dict[str, Any]:
        prompts = [{"id": pair["id"], "text": pair["prompt"]} for pair in definition["pairs"]]
        answers = answer_choices(definition)
        if rng is None:
            answers.sort(key=lambda choice: (choice["text"].lower(), choice["id"]))
        return {
            "prompts": shuffled(prompts, rng if definition["shuffle"] else None),
            "answers": shuffled(answers, rng),
        }

    def right_answer(self, definition: dict[str, Any]) -> dict[str, dict[str, str]]:
        return {"matches": {pair["id"]: pair["answer_id"] for pair in definition["pairs"]}}

    def scorm_interaction(
        self, definition: dict[str, Any], version: ScormVersion
    ) -> ScormInteraction:
        return ScormInteraction(
            "matching", [self.scorm_response(definition, self.right_answer(definition), version)]
        )

    def scorm_response(
        self, definition: dict[str, Any], answer: dict[str, dict[str, str]], version: ScormVersion
    ) -> str:
        return _scorm.join(
            (_scorm.pair(source, target, version) for source, target in answer["matches"].items()),
            version,
        )

    def offline_grader_data(self, definition: dict[str, Any]) -> dict[str, Any]:
        return {"key": self.right_answer(definition)["matches"]}

    def hide_key(self, definition: dict[str, Any], salt: str) -> HiddenKey:
        # Hashed with the prompt's id: prompts sharing an answer get different hashes.
        key = {
            pair["id"]: _scorm.key_hash(salt, pair["answer_id"], pair["id"])
            for pair in definition["pairs"]
        }
        return HiddenKey({"key": key, "salt": salt})

    def editor_block(self) -> blocks.StructBlock:
        pair = blocks.StructBlock(
            [("prompt", text_block(_("Prompt"))), ("answer", text_block(_("Its answer")))],
            label=_("Pair"),
            icon="link",
        )
        return blocks.StructBlock(
            [
                (
                    "pairs",
                    blocks.ListBlock(
                        pair,
                        min_num=2,
                        default=lambda: [pair.get_default(), pair.get_default()],
                        label=_("Pairs"),
                        help_text=_(
                            "Each prompt with its correct answer. Prompts that share an answer "
                            "repeat the same answer text, letter for letter."
                        ),
                    ),
                ),
                (
                    "extra_answers",
                    blocks.ListBlock(
                        text_block(_("Extra answer")),
                        default=[],
                        label=_("Extra wrong answers"),
                        help_text=_(
                            "Optional: answers that match no prompt, to make guessing harder."
                        ),
                    ),
                ),
                (
                    "shuffle",
                    shuffle_block(_("Shuffle the prompts"), _("The answers are always shuffled.")),
                ),
            ],
            label=self.label,
            icon=self.editor_icon,
        )

    def definition_from_editor(self, value: Any) -> dict[str, Any]:
        value = editor_struct(self, value)
        pairs = list_items(value.get("pairs"))
        extras = list_items(value.get("extra_answers"))
        pair_ids = assign_ids([first(carried) for carried, _pair in pairs], numbered("p"))
        answer_ids, extra_ids = _answer_ids(
            [(first(carried, 1), text_of(pair.get("answer"))) for carried, pair in pairs],
            [(first(carried), text_of(text)) for carried, text in extras],
        )
        listed = {text_of(pair.get("answer")) for _carried, pair in pairs}
        for index, (_carried, text) in enumerate(extras):
            if text_of(text) in listed:
                raise definition_error(
                    f"extra_answers.{index}",
                    _("This answer is already listed; each answer appears once."),
                )
            listed.add(text_of(text))
        return {
            "pairs": [
                {
                    "id": pair_id,
                    "prompt": pair.get("prompt"),
                    "answer_id": answer_id,
                    "answer": pair.get("answer"),
                }
                for pair_id, answer_id, (_carried, pair) in zip(
                    pair_ids, answer_ids, pairs, strict=True
                )
            ],
            "extra_answers": [
                {"id": extra_id, "text": text}
                for extra_id, (_carried, text) in zip(extra_ids, extras, strict=True)
            ],
            "shuffle": value.get("shuffle"),
        }

    def editor_value(self, definition: dict[str, Any]) -> dict[str, Any]:
        definition = self.clean_definition(definition)
        return {
            "pairs": [
                raw_item(
                    {"prompt": pair["prompt"], "answer": pair["answer"]},
                    pair["id"],
                    pair["answer_id"],
                )
                for pair in definition["pairs"]
            ],
            "extra_answers": [
                raw_item(extra["text"], extra["id"]) for extra in definition["extra_answers"]
            ],
            "shuffle": definition["shuffle"],
        }
