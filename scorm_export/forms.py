"""The admin's "Export SCORM" form, modelled on Articulate's publish dialogue."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from .errors import ExportError
from .exports import is_module, published_languages
from .options import ExportOptions

LANGUAGE_NAMES = {"pl": _("Polish"), "en": _("English"), "uk": _("Ukrainian")}

VERSION_CHOICES = [
    ("1.2", _("SCORM 1.2 (the most widely supported: Moodle, ILIAS and most LMSs)")),
    ("2004", _("SCORM 2004 4th Edition (sequencing, separate completion and success)")),
]

SCOPE_CHOICES = [
    ("modules", _("One SCO per module (the LMS tracks each module)")),
    ("course", _("The whole course as one SCO (one score and status for the course)")),
]

REPORTING_CHOICES = [
    (
        "passed-incomplete",
        _("Passed / Incomplete: “passed” once the quizzes are passed, “incomplete” until then"),
    ),
    (
        "passed-failed",
        _("Passed / Failed: “passed” when the quizzes are passed, “failed” when one is failed"),
    ),
    (
        "completed-incomplete",
        _(
            "Completed / Incomplete: “completed” once the quizzes are passed, “incomplete” "
            "until then (no pass or fail)"
        ),
    ),
    (
        "completed-failed",
        _(
            "Completed / Failed: “completed” when the quizzes are passed, “failed” when one "
            "is failed"
        ),
    ),
]


class ExportForm(forms.Form):
    """Options of one export of `page`. Only the languages the page is published in are
    offered; the scope is asked for courses only (a module is always one SCO)."""

    version = forms.ChoiceField(
        label=_("SCORM version"),
        choices=VERSION_CHOICES,
        initial="1.2",
        widget=forms.RadioSelect,
        help_text=_("Ask the LMS administrator which version their LMS imports best."),
    )
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=SCOPE_CHOICES,
        initial="modules",
        widget=forms.RadioSelect,
    )
    locale = forms.ChoiceField(
        label=_("Language"),
        help_text=_(
            "The language of the pages, the quizzes and the package's own interface. Only "
            "the languages this page is published in are offered."
        ),
    )
    reporting = forms.ChoiceField(
        label=_("Reporting to the LMS"),
        choices=REPORTING_CHOICES,
        initial="passed-incomplete",
        widget=forms.RadioSelect,
        help_text=_(
            "The status the package reports to the LMS. A SCO without a quiz counts as "
            "passed once every page has been seen. “Passed / Incomplete” is the usual "
            "choice: learners can retry until they pass. Choose a “Completed” mode when the "
            "LMS only records completion, and a “… / Failed” mode when a failed quiz must be "
            "recorded as a failure. The LMS never sees a status lowered."
        ),
    )
    mastery_score = forms.IntegerField(
        label=_("Mastery score (optional)"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_(
            "0–100, written to the package's manifest. Leave it empty unless the LMS "
            "administrator asks for it: with it, LMSs such as Moodle decide pass or fail "
            "themselves by comparing the score, overriding the quiz's own pass mark."
        ),
    )

    hide_keys = forms.BooleanField(
        label=_("Hide answer keys"),
        required=False,
        help_text=_(
            "Keeps the right answers out of plain sight in the package's files: they are "
            "stored as salted hashes, so learners cannot read them in the page source. The "
            "review then never shows the right answer, and the LMS gets no correct-response "
            "patterns. Keys of numerical questions and answers with wildcards (*) stay "
            "readable. It deters casual reading, not a determined learner: see the README."
        ),
    )

    def __init__(self, *args: Any, page: Page, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.page = page
        self.languages = published_languages(page)
        self.fields["locale"].choices = [
            (code, LANGUAGE_NAMES.get(code, code)) for code in self.languages
        ]
        if page.locale.language_code in self.languages:
            self.fields["locale"].initial = page.locale.language_code
        if is_module(page):
            del self.fields["scope"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        try:
            data["options"] = ExportOptions(
                version=data["version"],
                locale=data["locale"],
                single_sco=data.get("scope") == "course",
                reporting=data["reporting"],
                mastery_score=data.get("mastery_score"),
                hide_keys=data.get("hide_keys", False),
            )
        except ExportError as error:
            raise forms.ValidationError(str(error)) from error
        return data
