"""What an editor chooses when exporting a package."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.utils.translation import gettext as _

from .errors import ExportError

Version = Literal["1.2", "2004"]
VERSIONS: tuple[str, ...] = ("1.2", "2004")
LOCALES: tuple[str, ...] = ("pl", "en", "uk")
#: Status when the quiz is passed / when it is failed, as in Articulate's publish
#: dialogue; "completed-…" report completion only (no pass/fail).
REPORTING_MODES: tuple[str, ...] = (
    "passed-incomplete",
    "passed-failed",
    "completed-incomplete",
    "completed-failed",
)


@dataclass(frozen=True)
class ExportOptions:
    """The options of one export; invalid values raise `ExportError` with a clear message.

    version: "1.2" or "2004" (SCORM 2004 4th Edition).
    locale: the language of the package: pages, quizzes and interface strings.
    single_sco: for a course, the whole course as one SCO instead of one SCO per
        module (a module export is always one SCO).
    reporting: what the SCO reports to the LMS (see `REPORTING_MODES`).
    mastery_score: 0-100 written to the manifest (`adlcp:masteryscore` in 1.2,
        `imsss:minNormalizedMeasure` in 2004). None (the default) leaves it out: with it
        an LMS overrides the SCO's own pass/fail by comparing the score.
    hide_keys: keep answer keys out of plain sight in the package: salted hashes where
        the question type allows (`QuestionType.hide_key`), no right answers in the review,
        no correct-response patterns for the LMS. Keys that cannot be hashed stay readable
        and the plan lists their questions (`PackagePlan.readable_keys`).
    """

    version: Version
    locale: str = "pl"
    single_sco: bool = False
    reporting: str = "passed-incomplete"
    mastery_score: int | None = None
    hide_keys: bool = False

    def __post_init__(self) -> None:
        if self.version not in VERSIONS:
            raise ExportError(
                _("Unknown SCORM version %(version)s: choose 1.2 or 2004.")
                % {"version": self.version}
            )
        if self.locale not in LOCALES:
            raise ExportError(
                _("Unknown language %(locale)s: choose one of %(choices)s.")
                % {"locale": self.locale, "choices": ", ".join(LOCALES)}
            )
        if self.reporting not in REPORTING_MODES:
            raise ExportError(
                _("Unknown reporting mode %(mode)s: choose one of %(choices)s.")
                % {"mode": self.reporting, "choices": ", ".join(REPORTING_MODES)}
            )
        score = self.mastery_score
        if score is not None and (
            isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100
        ):
            raise ExportError(
                _("The mastery score must be a whole number from 0 to 100, not %(score)s.")
                % {"score": score}
            )
