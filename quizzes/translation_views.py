"""Translating a question of the bank in Wagtail's admin.

A question's content lives in its versions, which wagtail-localize's generic "Translate" for
TranslatableMixin snippets knows nothing about: it would copy the model's own fields only,
giving a question without versions of its own (whose `latest_version` still points at the
original's). So for questions that action is hidden and its URL sends editors here, where
`services.translate_question` creates the translation with a copy of the latest version (same
option, item and gap ids), to be translated in the usual question editor.

A translation's versions record the original's version they correspond to
(`QuestionVersion.source_version`); the editor shows it, and warns when the original has
changed since (`TranslationPanel`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.admin.utils import quote
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, re_path, reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.panels import HelpPanel
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button
from wagtail.models import Locale
from wagtail.snippets.views.snippets import EditView

from . import services
from .models import Question, QuestionVersion

#: The URL name of `TranslateQuestionView` (registered by quizzes.wagtail_hooks).
TRANSLATE_URL_NAME = "quizzes_question_translate"


def can_translate_questions(user: AbstractBaseUser) -> bool:
    """Translating creates a question: whoever may add questions may translate them."""
    return user.is_authenticated and user.has_perm("quizzes.add_question")


def locales_to_translate(question: Question) -> QuerySet[Locale]:
    """The languages the question is not yet in: neither its own nor a translation's."""
    taken = Question.objects.filter(translation_key=question.translation_key).values("locale")
    return Locale.objects.exclude(pk__in=taken).order_by("language_code")


def translate_url(question: Question) -> str:
    return reverse(TRANSLATE_URL_NAME, args=[question.pk])


def edit_url(question: Question) -> str:
    return reverse("wagtailsnippets_quizzes_question:edit", args=[quote(question.pk)])


def translate_button(question: Question, user: AbstractBaseUser) -> Button | None:
    """The "Translate" action, for those allowed while a language is left to translate into."""
    if not can_translate_questions(user) or not locales_to_translate(question).exists():
        return None
    return Button(
        _("Translate"),
        url=translate_url(question),
        icon_name="globe",
        attrs={"aria-label": _("Translate '%(title)s'") % {"title": str(question)}},
        priority=40,
    )


# --- hooks (registered by quizzes.wagtail_hooks) --------------------------------------------


def listing_buttons(
    snippet: Any, user: AbstractBaseUser, next_url: str | None = None
) -> Iterator[Button]:
    """`register_snippet_listing_buttons`: "Translate" in a question's "More" menu."""
    if isinstance(snippet, Question) and (button := translate_button(snippet, user)):
        yield button


def _is_generic_translate_button(button: Any) -> bool:
    url = getattr(button, "url", None) or ""
    admin = reverse("wagtailadmin_home")
    # wagtail-localize's "Translate" and "Sync translated snippets", and Wagtail's own
    # simple_translation (not installed here, but it would do the same harm).
    return url.startswith(admin + "localize/") or "/submit/snippet/quizzes/question/" in url


def hide_generic_translate(buttons: list, snippet: Any, user: AbstractBaseUser) -> None:
    """`construct_snippet_listing_buttons`: no generic translate action on a question."""
    if isinstance(snippet, Question):
        buttons[:] = [button for button in buttons if not _is_generic_translate_button(button)]


def redirect_generic_translate(request: HttpRequest, pk: str) -> HttpResponse:
    """wagtail-localize's submit URL for a question (bookmarked, typed): our view instead."""
    return redirect(TRANSLATE_URL_NAME, pk=pk)


#: "question" in any case; an inline "(?i)" flag would break Django's reversing of every URL.
_ANY_CASE_QUESTION = "".join(f"[{letter}{letter.upper()}]" for letter in "question")


def admin_urls() -> list:
    """`register_admin_urls`, registered before wagtail-localize's so that its snippet
    translation URL for questions (app label exact, model name in any case, as
    wagtail-localize accepts it) lands on `redirect_generic_translate`."""
    return [
        path(
            "quizzes/questions/<int:pk>/translate/",
            TranslateQuestionView.as_view(),
            name=TRANSLATE_URL_NAME,
        ),
        re_path(
            rf"^localize/submit/snippet/quizzes/{_ANY_CASE_QUESTION}/(?P<pk>\d+)/$",
            redirect_generic_translate,
        ),
    ]


# --- the edit view: "Translate" in the header's "More" menu ---------------------------------


class QuestionEditView(EditView):
    @cached_property
    def header_more_buttons(self) -> list:
        buttons = list(super().header_more_buttons)
        if button := translate_button(self.object, self.request.user):
            buttons.append(button)
        return buttons


# --- where a translation stands ---------------------------------------------------------------


@dataclass(frozen=True)
class TranslationState:
    """A question and the original's version it corresponds to, against the original's latest."""

    question: Question
    original: Question
    from_number: int
    latest_number: int

    @property
    def outdated(self) -> bool:
        return self.latest_number > self.from_number

    @property
    def language(self) -> str:
        return services.language_name(self.question.locale)

    @property
    def original_language(self) -> str:
        return services.language_name(self.original.locale)


def translated_from(question: Question) -> TranslationState | None:
    """Where a translation stands against its original; None for a question that is not a
    translation made here (an original, or a translation whose original was deleted)."""
    if question.latest_version_id is None:
        return None
    source = (
        QuestionVersion.objects.filter(translated_versions=question.latest_version_id)
        .select_related("question__locale", "question__latest_version")
        .first()
    )
    if source is None:
        return None
    original = source.question
    latest = original.latest_version.number if original.latest_version else source.number
    return TranslationState(question, original, source.number, latest)


def translations_of(question: Question) -> list[TranslationState]:
    """The translations made from this question, each with where it stands."""
    if question.latest_version_id is None:
        return []
    translations = (
        Question.objects.filter(latest_version__source_version__question=question)
        .select_related("locale", "latest_version__source_version")
        .order_by("locale__language_code")
    )
    latest = question.latest_version.number
    return [
        TranslationState(
            translation, question, translation.latest_version.source_version.number, latest
        )
        for translation in translations
    ]


class TranslationPanel(HelpPanel):
    """On the question editor: the original a translation was made from and whether the
    original has changed since; on an original, its translations and theirs."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("template", "quizzes/admin/translate/translation_panel.html")
        super().__init__(**kwargs)

    class BoundPanel(HelpPanel.BoundPanel):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.state: TranslationState | None = None
            self.translations: list[TranslationState] = []
            if self._editing():
                self.state = translated_from(self.instance)
                self.translations = translations_of(self.instance)

        def _editing(self) -> bool:
            if self.instance is None or self.instance.pk is None:
                return False
            # The copy view shows the original's form for a new question: nothing to say there.
            match = getattr(self.request, "resolver_match", None)
            return getattr(match, "url_name", "") != "copy"

        def is_shown(self) -> bool:
            return self.state is not None or bool(self.translations)

        def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
            context = super().get_context_data(parent_context)
            context.update(
                state=self.state,
                translations=self.translations,
                original_url=edit_url(self.state.original) if self.state else "",
                links=[(state, edit_url(state.question)) for state in self.translations],
            )
            return context


# --- choosing the language and creating the translation -------------------------------------


class TranslateQuestionForm(forms.Form):
    locale = forms.ModelChoiceField(
        label=gettext_lazy("Translate into"),
        queryset=Locale.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )

    def __init__(self, *args: Any, question: Question, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Offered: the languages without a translation. Accepted: any other than the
        # question's, so that a translation made meanwhile gets the service's clear message
        # rather than "not one of the available choices".
        field = self.fields["locale"]
        if self.is_bound:
            field.queryset = Locale.objects.exclude(pk=question.locale_id)
        else:
            field.queryset = locales_to_translate(question)
        field.label_from_instance = services.language_name


class TranslateQuestionView(WagtailAdminTemplateMixin, FormView):
    """GET: the languages left to translate into; POST: create the translation and open it."""

    form_class = TranslateQuestionForm
    template_name = "quizzes/admin/translate/choose_locale.html"
    header_icon = "globe"
    page_title = gettext_lazy("Translate question")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Checked before the lookup so that the ids of questions are not disclosed.
        if not can_translate_questions(request.user):
            raise PermissionDenied
        self.question = get_object_or_404(
            Question.objects.select_related("locale", "latest_version"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self) -> str:
        return self.question.name

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("wagtailsnippets_quizzes_question:list"),
                "label": capfirst(Question._meta.verbose_name_plural),
            },
            {"url": edit_url(self.question), "label": self.question.name},
            {"url": "", "label": _("Translate"), "sublabel": self.question.name},
        ]

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "question": self.question}

    def get_initial(self) -> dict[str, Any]:
        offered = list(locales_to_translate(self.question))
        wanted = self.request.GET.get("locale")
        chosen = [locale for locale in offered if locale.language_code == wanted]
        if chosen or len(offered) == 1:
            return {"locale": (chosen or offered)[0]}
        return {}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        existing = (
            Question.objects.filter(translation_key=self.question.translation_key)
            .exclude(pk=self.question.pk)
            .select_related("locale")
            .order_by("locale__language_code")
        )
        context.update(
            question=self.question,
            source_language=services.language_name(self.question.locale),
            existing=[
                (services.language_name(other.locale), other, edit_url(other)) for other in existing
            ],
            edit_url=edit_url(self.question),
        )
        return context

    def form_valid(self, form: TranslateQuestionForm) -> HttpResponse:
        locale = form.cleaned_data["locale"]
        try:
            translation = services.translate_question(self.question, locale, self.request.user)
        except services.QuizError as error:
            existing = self.question.get_translation_or_none(locale)
            buttons = [messages.button(edit_url(existing), _("Edit it"))] if existing else None
            messages.error(self.request, error.message, buttons=buttons)
            return redirect(TRANSLATE_URL_NAME, pk=self.question.pk)
        messages.success(
            self.request,
            _(
                "The %(language)s translation was created as a copy of version %(number)d of "
                "the original. Translate the name, the question text, the answers and the "
                "feedback, then save."
            )
            % {
                "language": services.language_name(locale),
                "number": translation.latest_version.source_version.number,
            },
            buttons=[
                messages.button(edit_url(self.question), _("Open the original"), new_window=True)
            ],
        )
        return redirect(edit_url(translation))
