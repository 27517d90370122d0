"""The admin editor of definitions: Wagtail blocks and helpers shared by the question types.

Every type edits its definition as a `StructBlock` (`QuestionType.editor_block`), turns the
block's value into a definition (`definition_from_editor`) and a definition back into the
block's raw value (`editor_value`). What several types share lives here:

* **Ids.** Editors never type ids. `editor_value` keeps each id (option, pair, item, gap) in
  the id of the Wagtail list or stream item that shows it, as ``qid-<id>-<random>``. Wagtail
  keeps an item's id while the item exists, so an option keeps its id even when its text is
  corrected; an item added (or duplicated) in the editor gets a new random id from Wagtail
  and then the next free short id here (a, b, c… for options; p1, p2… for pairs). The
  random tail keeps item ids unique on the page, as Wagtail builds HTML ids from them.
* **Grades** of accepted answers are picked from Moodle's list (100 %, 90 %, 83.33333 %…).
* **Numbers** may be typed the Polish way or the English way ("3,5" or "3.5").
* **Errors.** `editor_error` shows a `DefinitionError` on the block its field path names
  (``options.2.text`` → the text of the third option). The editors use the definition's key
  names, so paths from `clean_definition` land on the right field; a path the editor has no
  block for is shown on the nearest block above it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from itertools import count, product
from string import ascii_lowercase
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.formats import get_format
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.list_block import ListBlockValidationError, ListValue
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError, StructValue

from ._common import IDENTIFIER_RE, MAX_TEXT_LENGTH, definition_error

if TYPE_CHECKING:
    from .base import QuestionType

# --- ids of list and stream items ---------------------------------------------------------

ITEM_ID_PREFIX = "qid-"


def item_id(*ids: str) -> str:
    """A Wagtail item id carrying definition ids (identifiers never contain "-")."""
    return "-".join((ITEM_ID_PREFIX.rstrip("-"), *ids, uuid.uuid4().hex[:8]))


def ids_of_item(value: Any) -> list[str]:
    """The definition ids `item_id` put in an item id; [] for an item added in the editor."""
    if not isinstance(value, str) or not value.startswith(ITEM_ID_PREFIX):
        return []
    ids = value[len(ITEM_ID_PREFIX) :].split("-")[:-1]
    return ids if all(IDENTIFIER_RE.match(part) for part in ids) else []


def raw_item(value: Any, *ids: str) -> dict[str, Any]:
    """A ListBlock item in raw form, carrying `ids`."""
    return {"type": "item", "value": value, "id": item_id(*ids) if ids else str(uuid.uuid4())}


def raw_stream_item(block_type: str, value: Any, *ids: str) -> dict[str, Any]:
    """A StreamBlock item in raw form, carrying `ids`."""
    return {"type": block_type, "value": value, "id": item_id(*ids)}


def list_items(value: Any) -> list[tuple[list[str], Any]]:
    """``(ids carried, value)`` of each item of a ListBlock value."""
    if isinstance(value, ListValue):
        return [(ids_of_item(child.id), child.value) for child in value.bound_blocks]
    return [([], item) for item in value or []]


def stream_items(value: Any) -> list[tuple[list[str], str, Any]]:
    """``(ids carried, block type, value)`` of each item of a StreamBlock value."""
    return [(ids_of_item(child.id), child.block_type, child.value) for child in value or []]


def first(ids: Sequence[str], index: int = 0) -> str | None:
    return ids[index] if len(ids) > index else None


def letters() -> Iterator[str]:
    """a, b, …, z, aa, ab, … like spreadsheet columns."""
    for length in count(1):
        for combination in product(ascii_lowercase, repeat=length):
            yield "".join(combination)


def numbered(prefix: str) -> Iterator[str]:
    """p1, p2, p3, …"""
    return (f"{prefix}{number}" for number in count(1))


def assign_ids(
    wanted: Sequence[str | None],
    fresh: Iterable[str],
    *,
    preferred: Sequence[str | None] | None = None,
) -> list[str]:
    """Unique ids for a list of items: each keeps the id it `wanted` (the one it carried)
    unless an item before took it; the others get their `preferred` id if free, else the next
    `fresh` one not in use."""
    used: set[str] = set()
    kept: list[str | None] = []
    for want in wanted:
        keep = want if want and want not in used else None
        if keep:
            used.add(keep)
        kept.append(keep)
    fresh_ids = (candidate for candidate in fresh if candidate not in used)
    result: list[str] = []
    for index, keep in enumerate(kept):
        wish = preferred[index] if preferred else None
        assigned = keep or (wish if wish and wish not in used else next(fresh_ids))
        used.add(assigned)
        result.append(assigned)
    return result


def editor_struct(question_type: QuestionType, value: Any) -> StructValue:
    """`value` as the native value of the type's editor block (it may come raw)."""
    if isinstance(value, StructValue):
        return value
    return question_type.editor_block().to_python(value)


def text_of(value: Any) -> str:
    """A block's text value, stripped ("" for nothing)."""
    return value.strip() if isinstance(value, str) else ""


# --- grades and numbers -----------------------------------------------------------------

#: Moodle's grades for an accepted answer, as fractions rounded like `round_fraction`.
GRADES = (
    1.0,
    0.9,
    0.8333333,
    0.8,
    0.75,
    0.7,
    0.6666667,
    0.6,
    0.5,
    0.4,
    0.3333333,
    0.3,
    0.25,
    0.2,
    0.1666667,
    0.1428571,
    0.125,
    0.1111111,
    0.1,
    0.05,
    0.0,
)


def grade_key(fraction: Any) -> str:
    """The choice value of a fraction ("1.0", "0.8333333")."""
    return repr(float(fraction))


def grade_fraction(key: Any) -> float | None:
    """The fraction of a choice value; None when there is none (reported as required)."""
    try:
        return float(key)
    except (TypeError, ValueError):
        return None


def _grade_label(fraction: float) -> str:
    text = f"{fraction * 100:.5f}".rstrip("0").rstrip(".")
    return text.replace(".", get_format("DECIMAL_SEPARATOR")) + " %"


grade_label = lazy(_grade_label, str)


class GradeBlock(blocks.ChoiceBlock):
    """The grade of an accepted answer, out of `GRADES`, 100 % for a new answer.

    A blank choice is always offered: a stored fraction that is not in the list then shows
    as not chosen and must be picked again, instead of silently becoming 100 %.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Grade"))
        super().__init__(
            choices=[(grade_key(fraction), grade_label(fraction)) for fraction in GRADES],
            default=grade_key(1.0),
            **kwargs,
        )

    def _get_callable_choices(self, choices: Any, blank_choice: Any = None) -> Any:
        return super()._get_callable_choices(choices, blank_choice=True)


class NumberField(forms.FloatField):
    """A float typed with a decimal comma or point, shown in the admin's language."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(localize=True, **kwargs)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = "".join(value.split())
            if "," in value and "." not in value:
                value = value.replace(",", get_format("DECIMAL_SEPARATOR"))
            elif "." in value and "," not in value:
                value = value.replace(".", get_format("DECIMAL_SEPARATOR"))
        return super().to_python(value)


class NumberBlock(blocks.FloatBlock):
    """A number ("3,5" and "3.5" are both 3.5)."""

    def __init__(
        self,
        required: bool = True,
        help_text: Any = None,
        min_value: float | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(required=required, help_text=help_text, min_value=min_value, **kwargs)
        self.field = NumberField(required=required, help_text=help_text, min_value=min_value)


def tidy_number(value: Any) -> Any:
    """A whole float as an int (60.0 → 60), so that definitions read as they were written."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


# --- blocks used by several types -----------------------------------------------------------


def text_block(label: Any, help_text: Any = None, **kwargs: Any) -> blocks.CharBlock:
    kwargs.setdefault("max_length", MAX_TEXT_LENGTH)
    return blocks.CharBlock(label=label, help_text=help_text, **kwargs)


def feedback_block(help_text: Any = None, **kwargs: Any) -> blocks.TextBlock:
    kwargs.setdefault("label", _("Feedback"))
    return blocks.TextBlock(
        required=False, rows=1, help_text=help_text, max_length=MAX_TEXT_LENGTH, **kwargs
    )


def shuffle_block(label: Any, help_text: Any = None) -> blocks.BooleanBlock:
    return blocks.BooleanBlock(required=False, default=True, label=label, help_text=help_text)


def choice_block(choices: dict[str, Any], label: Any, default: str) -> blocks.ChoiceBlock:
    """A required pick out of `choices` (value → label), `default` chosen at first."""
    return blocks.ChoiceBlock(choices=list(choices.items()), default=default, label=label)


def _option_block() -> blocks.StructBlock:
    return blocks.StructBlock(
        [
            ("text", text_block(_("Option"))),
            ("is_correct", blocks.BooleanBlock(required=False, label=_("Correct"))),
            ("feedback", feedback_block(_("Shown to a trainee who picked this option."))),
        ],
        label=_("Option"),
        icon="radio-full",
    )


def choice_options_block(help_text: Any) -> blocks.ListBlock:
    """Options of a choice, each with its text, a "correct" tick and its feedback."""
    option = _option_block()
    return blocks.ListBlock(
        option,
        min_num=2,
        default=lambda: [option.get_default(), option.get_default()],
        label=_("Options"),
        help_text=help_text,
    )


def options_to_editor(options: Iterable[dict[str, Any]], correct: Iterable[str]) -> list[Any]:
    right = set(correct)
    return [
        raw_item(
            {
                "text": option["text"],
                "is_correct": option["id"] in right,
                "feedback": option.get("feedback", ""),
            },
            option["id"],
        )
        for option in options
    ]


def options_from_editor(value: Any) -> tuple[list[dict[str, Any]], list[str]]:
    """``(options, ids of the options ticked as correct)``; new options get a, b, c…"""
    items = list_items(value)
    ids = assign_ids([first(carried) for carried, _item in items], letters())
    options = [
        {"id": option_id, "text": item.get("text"), "feedback": item.get("feedback") or ""}
        for option_id, (_carried, item) in zip(ids, items, strict=True)
    ]
    correct = [
        option_id
        for option_id, (_carried, item) in zip(ids, items, strict=True)
        if item.get("is_correct")
    ]
    return options, correct


def one_correct(correct: Sequence[str], field: str) -> str:
    """The only option ticked as correct, or a DefinitionError on `field`."""
    if not correct:
        raise definition_error(field, _("Tick the correct option."))
    if len(correct) > 1:
        raise definition_error(
            field,
            _(
                "Tick only one option as correct. For several right options use a "
                "multiple response question."
            ),
        )
    return correct[0]


WILDCARD_HELP = _(
    "An asterisk stands for any characters: “ENF*” accepts every answer starting with ENF. "
    "Write \\* for a real asterisk."
)


def text_answers_block() -> blocks.ListBlock:
    """Accepted answers of a typed text, each with a grade and feedback."""
    return blocks.ListBlock(
        blocks.StructBlock(
            [
                ("text", text_block(_("Accepted answer"), WILDCARD_HELP)),
                ("fraction", GradeBlock()),
                ("feedback", feedback_block(_("Shown to a trainee whose answer matches."))),
            ],
            label=_("Accepted answer"),
            icon="edit",
        ),
        min_num=1,
        label=_("Accepted answers"),
        help_text=_(
            "A trainee's answer earns the grade of the best accepted answer it matches, and "
            "nothing if it matches none. At least one accepted answer must be worth 100 %."
        ),
    )


def text_answers_to_editor(answers: Iterable[dict[str, Any]]) -> list[Any]:
    return [
        raw_item(
            {
                "text": answer["text"],
                "fraction": grade_key(answer["fraction"]),
                "feedback": answer.get("feedback", ""),
            }
        )
        for answer in answers
    ]


def text_answers_from_editor(value: Any) -> list[dict[str, Any]]:
    return [
        {
            "text": item.get("text"),
            "fraction": grade_fraction(item.get("fraction")),
            "feedback": item.get("feedback") or "",
        }
        for _carried, item in list_items(value)
    ]


def text_setting_blocks() -> list[tuple[str, blocks.Block]]:
    """How typed answers are compared (see `_text`): the short answer's and a text gap's."""
    return [
        (
            "case_sensitive",
            blocks.BooleanBlock(
                required=False,
                default=False,
                label=_("Upper and lower case matter"),
                help_text=_("Ticked, “Warsaw” does not accept “warsaw”."),
            ),
        ),
        (
            "ignore_diacritics",
            blocks.BooleanBlock(
                required=False,
                default=True,
                label=_("Ignore Latin diacritics"),
                help_text=_(
                    "Ticked, “Białystok” also accepts “Bialystok”. Cyrillic letters are "
                    "always compared as typed."
                ),
            ),
        ),
    ]


def text_settings(value: Any) -> dict[str, Any]:
    return {key: value.get(key) for key in ("case_sensitive", "ignore_diacritics")}


# --- errors -------------------------------------------------------------------------------


def editor_error(block: blocks.Block, value: Any, error: ValidationError) -> ValidationError:
    """`error` (keyed by dotted field paths, as a DefinitionError is) as the nested block
    errors Wagtail shows next to the fields of `block`, whose value is `value`."""
    tree: dict[Any, Any] = {}
    if hasattr(error, "error_dict"):
        error_dict = error.error_dict
    else:
        error_dict = {NON_FIELD_ERRORS: error.error_list}
    for path, errors in error_dict.items():
        node = tree
        for part in [] if path in ("", NON_FIELD_ERRORS) else path.split("."):
            node = node.setdefault(part, {})
        node.setdefault(None, []).extend(errors)
    return _block_error(block, value, tree)


def _messages(tree: dict[Any, Any]) -> list[ValidationError]:
    found = list(tree.get(None, []))
    for key, subtree in tree.items():
        if key is not None:
            found.extend(_messages(subtree))
    return found


def _child(block: blocks.Block, value: Any, key: str) -> tuple[Any, blocks.Block, Any] | None:
    """``(error key, child block, child value)`` of the child `key` names, if there is one."""
    if isinstance(block, blocks.BaseStructBlock) and key in block.child_blocks:
        return key, block.child_blocks[key], value.get(key) if value is not None else None
    if not key.isdigit() or value is None or int(key) >= len(value):
        return None
    index = int(key)
    if isinstance(block, blocks.ListBlock):
        return index, block.child_block, value[index]
    if isinstance(block, blocks.BaseStreamBlock):
        child = value[index]
        return index, child.block, child.value
    return None


def _block_error(block: blocks.Block, value: Any, tree: dict[Any, Any]) -> ValidationError:
    own = list(tree.get(None, []))
    children: dict[Any, ValidationError] = {}
    for key, subtree in tree.items():
        if key is None:
            continue
        child = _child(block, value, key)
        if child is None:
            own.extend(_messages(subtree))
        else:
            child_key, child_block, child_value = child
            children[child_key] = _block_error(child_block, child_value, subtree)
    if isinstance(block, blocks.BaseStructBlock):
        return StructBlockValidationError(block_errors=children, non_block_errors=own)
    if isinstance(block, blocks.ListBlock):
        return ListBlockValidationError(block_errors=children, non_block_errors=own)
    if isinstance(block, blocks.BaseStreamBlock):
        return StreamBlockValidationError(block_errors=children, non_block_errors=own)
    return ValidationError(own)
