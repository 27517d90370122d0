"""What every question type provides. One module per type implements `QuestionType`.

A question version stores its type's *definition* (a JSON object: options, keys,
settings). Trainees send *answers* (JSON too). The type owns both shapes:
validation, grading, what the player may see (never the key), how the answer
maps to SCORM interactions, the data an offline grader needs, and the form editors
fill in Wagtail's admin (a block whose value converts to and from the definition).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    from wagtail.blocks import StructBlock

ScormVersion = Literal["1.2", "2004"]

# Fractions are rounded like Moodle's (7 decimal places) so that the Python and
# JavaScript graders can agree exactly.
FRACTION_PLACES = 7


def round_fraction(value: float) -> float:
    return round(min(1.0, max(0.0, value)) + 0.0, FRACTION_PLACES)


class AnswerError(ValidationError):
    """An answer of the wrong shape; `message_dict` maps a field to its messages."""


class DefinitionError(ValidationError):
    """A question definition an editor must fix; `message_dict` maps fields to messages."""


@dataclass(frozen=True)
class Grade:
    """The result of grading one answer.

    fraction: share of the question's mark earned, 0..1 (rounded, see above).
    feedback: feedback on this answer (per option, per accepted answer...).
    needs_manual_grading: a person must grade it (essays); fraction is then 0.
    """

    fraction: float
    feedback: str = ""
    needs_manual_grading: bool = False


@dataclass(frozen=True)
class ScormInteraction:
    """How a question is reported as a SCORM interaction in one SCORM version."""

    type: str  # choice, true-false, fill-in, long-fill-in, numeric, matching, sequencing
    correct_responses: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class HiddenKey:
    """The offline grader's data with the answer key hidden (see `QuestionType.hide_key`).

    grader: `offline_grader_data` plus ``"salt"``, each key value replaced by its
        `_scorm.key_hash` where the type allows it.
    readable: part of the key could not be hashed and stays readable in the package
        (numerical tolerance ranges, wildcard texts); the exporter warns about it.
    """

    grader: dict[str, Any]
    readable: bool = False


class QuestionType:
    """Base class: subclasses set `name`/`label` and implement every method."""

    name: ClassVar[str]
    label: ClassVar[Any]  # a lazy translatable string
    #: The player widget that renders it (a rendering hint); types may share one.
    widget: ClassVar[str] = ""
    #: True when the type can shuffle its options/items from a per-attempt seed.
    shuffles: ClassVar[bool] = False
    #: True when a person grades it (essays); automatic grading gives 0 meanwhile.
    manually_graded: ClassVar[bool] = False
    #: The Wagtail icon of the type in the admin's question editor.
    editor_icon: ClassVar[str] = "form"

    def clean_definition(self, definition: Any) -> dict[str, Any]:
        """Validate and normalise what an editor stored; raise DefinitionError."""
        raise NotImplementedError

    def clean_answer(self, definition: dict[str, Any], answer: Any) -> Any:
        """Validate and normalise a trainee's answer; raise AnswerError."""
        raise NotImplementedError

    def grade(self, definition: dict[str, Any], answer: Any) -> Grade:
        """Grade an answer already cleaned by `clean_answer`."""
        raise NotImplementedError

    def player_data(self, definition: dict[str, Any], rng: random.Random | None) -> dict[str, Any]:
        """What the player needs to render the question, without any key or
        per-option feedback. When `rng` is given and the definition allows it,
        options/items are shuffled with it (reproducible per attempt)."""
        raise NotImplementedError

    def right_answer(self, definition: dict[str, Any]) -> Any:
        """A correct answer in the answer shape, for review after an attempt."""
        raise NotImplementedError

    def scorm_interaction(
        self, definition: dict[str, Any], version: ScormVersion
    ) -> ScormInteraction:
        raise NotImplementedError

    def scorm_response(self, definition: dict[str, Any], answer: Any, version: ScormVersion) -> str:
        """The learner response in the SCORM version's syntax."""
        raise NotImplementedError

    def offline_grader_data(self, definition: dict[str, Any]) -> dict[str, Any]:
        """What the JavaScript grader inside a SCORM package needs to grade offline."""
        raise NotImplementedError

    def hide_key(self, definition: dict[str, Any], salt: str) -> HiddenKey:
        """`offline_grader_data` for a package exported with "hide answer keys": the same
        shape, every key value the grader compares with replaced by its salted hash, which
        the JavaScript grader compares with the hash of the learner's value. What cannot be
        compared by equality (ranges, wildcards) stays readable and says so."""
        raise NotImplementedError

    # --- the admin editor (see `_editor` for the shared blocks and the id rules) -----------

    def editor_block(self) -> StructBlock:
        """A new Wagtail block in which editors write this type's definition, no JSON."""
        raise NotImplementedError

    def definition_from_editor(self, value: Any) -> dict[str, Any]:
        """The definition written in the editor: `value` is the block's value (native, or
        raw as `editor_value` returns it). Options added in the editor get short ids; the
        ones loaded by `editor_value` keep theirs. Raises DefinitionError on what the editor
        cannot express (no option ticked as correct...); the result still needs
        `clean_definition`."""
        raise NotImplementedError

    def editor_value(self, definition: dict[str, Any]) -> dict[str, Any]:
        """The editor block's raw (JSON) value showing a stored definition."""
        raise NotImplementedError
