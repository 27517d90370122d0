"""Put items in the right order.

Scoring: ``all_or_nothing`` (the whole order right) or ``absolute_position`` (fraction =
items in their right position / number of items). The player always gets the items in
an order that is not the right one: shuffled with the attempt's `rng` (rotated by one if
the shuffle happens to give the key), or sorted by text without an `rng`.
"""

from __future__ import annotations

import random
from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from . import _scorm
from ._common import (
    MSG_LIST,
    answer_error,
    answer_field,
    clean_enum,
    clean_options,
    ids_of,
    require_dict,
    shuffled,
)
from ._editor import (
    assign_ids,
    choice_block,
    editor_struct,
    first,
    list_items,
    numbered,
    raw_item,
    text_block,
)
from .base import Grade, HiddenKey, QuestionType, ScormInteraction, ScormVersion, round_fraction

SCORING = ("all_or_nothing", "absolute_position")
SCORING_LABELS = {
    "all_or_nothing": _("All or nothing: full marks only for the whole order right"),
    "absolute_position": _("Partial credit: each item in its right place earns its share"),
}


def presented_order(items: list[dict[str, str]], rng: random.Random | None) -> list[dict[str, str]]:
    """The items in an order that differs from the key (see the module docstring)."""
    if rng is None:
        order = sorted(items, key=lambda item: (item["text"].lower(), item["id"]))
    else:
        order = shuffled(items, rng)
    if ids_of(order) == ids_of(items):
        order = order[1:] + order[:1]
    return order


class Ordering(QuestionType):
    """Definition ``{"items": [{"id", "text"}] (in the right order), "scoring"}``,
    answer ``{"order": [ids]}``, a permutation of every id."""

    name = "ordering"
    label = _("Ordering")
    shuffles = True
    editor_icon = "order"

    def clean_definition(self, definition: Any) -> dict[str, Any]:
        data = require_dict(definition, "definition")
        items = clean_options(data.get("items"), "items")
        return {
            "items": [{"id": item["id"], "text": item["text"]} for item in items],
            "scoring": clean_enum(data.get("scoring"), "scoring", SCORING, default=SCORING[0]),
        }

    def clean_answer(self, definition: dict[str, Any], answer: Any) -> dict[str, list[str]]:
        order = answer_field(answer, "order")
        if not isinstance(order, list):
            raise answer_error("order", MSG_LIST)
        expected = ids_of(definition["items"])
        if not all(isinstance(item, str) for item in order) or sorted(order) != sorted(expected):
            raise answer_error("order", _("Give every item exactly once."))
        return {"order": list(order)}

    def grade(self, definition: dict[str, Any], answer: dict[str, list[str]]) -> Grade:
        expected = ids_of(definition["items"])
        in_place = sum(
            1 for got, want in zip(answer["order"], expected, strict=True) if got == want
        )
        if definition["scoring"] == "absolute_position":
            fraction = in_place / len(expected)
        else:
            fraction = 1.0 if in_place == len(expected) else 0.0
        return Grade(fraction=round_fraction(fraction))

    def player_data(self, definition: dict[str, Any], rng: random.Random | None) -> dict[str, Any]:
        return {"items": presented_order(definition["items"], rng)}

    def right_answer(self, definition: dict[str, Any]) -> dict[str, list[str]]:
        return {"order": ids_of(definition["items"])}

    def scorm_interaction(
        self, definition: dict[str, Any], version: ScormVersion
    ) -> ScormInteraction:
        return ScormInteraction("sequencing", [_scorm.join(ids_of(definition["items"]), version)])

    def scorm_response(
        self, definition: dict[str, Any], answer: dict[str, list[str]], version: ScormVersion
    ) -> str:
        return _scorm.join(answer["order"], version)

    def offline_grader_data(self, definition: dict[str, Any]) -> dict[str, Any]:
        return {"order": ids_of(definition["items"]), "scoring": definition["scoring"]}

    def hide_key(self, definition: dict[str, Any], salt: str) -> HiddenKey:
        """One hash per position (the item there, with the position): both scorings count
        the items in their place; the whole order is right when every position is."""
        order = [
            _scorm.key_hash(salt, item_id, str(position))
            for position, item_id in enumerate(ids_of(definition["items"]))
        ]
        return HiddenKey({"order": order, "scoring": definition["scoring"], "salt": salt})

    def editor_block(self) -> blocks.StructBlock:
        item = text_block(_("Item"))
        return blocks.StructBlock(
            [
                (
                    "items",
                    blocks.ListBlock(
                        item,
                        min_num=2,
                        default=lambda: [item.get_default(), item.get_default()],
                        label=_("Items in the correct order"),
                        help_text=_(
                            "List the items in their right order, first to last. Trainees get "
                            "them in a different order."
                        ),
                    ),
                ),
                ("scoring", choice_block(SCORING_LABELS, _("Scoring"), SCORING[0])),
            ],
            label=self.label,
            icon=self.editor_icon,
        )

    def definition_from_editor(self, value: Any) -> dict[str, Any]:
        value = editor_struct(self, value)
        items = list_items(value.get("items"))
        ids = assign_ids([first(carried) for carried, _text in items], numbered("i"))
        return {
            "items": [
                {"id": item_id, "text": text}
                for item_id, (_carried, text) in zip(ids, items, strict=True)
            ],
            "scoring": value.get("scoring"),
        }

    def editor_value(self, definition: dict[str, Any]) -> dict[str, Any]:
        definition = self.clean_definition(definition)
        return {
            "items": [raw_item(item["text"], item["id"]) for item in definition["items"]],
            "scoring": definition["scoring"],
        }
