"""Reads for an export: the page in the requested language, its modules, their quizzes.

A course's modules and every quiz they show are read together, block type by block
type and step by step: the number of queries of an export depends on neither the
number of modules nor of quizzes, slots or questions in a random slot's pool.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail.blocks import StreamValue
from wagtail.models import Locale, Page
from wagtail.rich_text import RichText
from wagtail.rich_text.rewriters import LinkRewriter

from courses.models import CoursePage, ModulePage
from courses.selectors import course_modules
from quizzes.models import Question, QuestionVersion, Quiz, QuizSlot
from quizzes.selectors import (
    keys_to_translate,
    load_latest_versions,
    question_translations,
    random_slot_candidates,
)

# The quiz engine's own helpers, so that a package offers exactly the questions an
# online attempt could draw (same versions and marks, same refusals).
from quizzes.services import QuizError, random_pool, version_and_mark

from .errors import ExportError
from .render import leaf_values


def find_exportable_page(slug: str) -> Page:
    """The course or module page with this slug, in any language; ExportError when no page
    or pages of different courses/modules have it."""
    pages = list(
        Page.objects.filter(slug=slug)
        .filter(Q(content_type__model="coursepage") | Q(content_type__model="modulepage"))
        .filter(content_type__app_label="courses")
        .order_by("path")
    )
    if not pages:
        raise ExportError(_("No course or module has the slug %(slug)s.") % {"slug": slug})
    if len({page.translation_key for page in pages}) > 1:
        where = ", ".join(page.url_path for page in pages)
        raise ExportError(
            _("The slug %(slug)s is ambiguous: several pages have it (%(pages)s).")
            % {"slug": slug, "pages": where}
        )
    return pages[0].specific


def page_in_locale(page: Page, language: str) -> CoursePage | ModulePage:
    """The published translation of a course or module page in `language`."""
    page = page.specific
    if not isinstance(page, CoursePage | ModulePage):
        raise ExportError(
            _("Only courses and modules can be exported; %(title)s is neither.")
            % {"title": page.title}
        )
    locale = Locale.objects.filter(language_code=language).first()
    translation = page.get_translation_or_none(locale) if locale else None
    if translation is None:
        raise ExportError(
            _("%(title)s has no translation in the language %(language)s.")
            % {"title": page.title, "language": language}
        )
    translation = translation.specific
    if not translation.live:
        raise ExportError(
            _("%(title)s (%(language)s) is not published.")
            % {"title": translation.title, "language": language}
        )
    return translation


def modules_of(course: CoursePage) -> list[ModulePage]:
    """The course's published modules in order, their bodies read together: each block
    type's values (images with their renditions, quizzes…) in one lookup for all the
    modules, and their rich text's page links resolved in one."""
    modules = course_modules(course)
    _load_block_values([module.body for module in modules])
    _resolve_page_links([module.body for module in modules], course.locale)
    return modules


def _load_block_values(bodies: list[StreamValue]) -> None:
    """Converts the blocks of all `bodies` one block type at a time (`bulk_to_python`
    over every body), where each body alone would repeat the type's queries."""
    raw_by_type: dict[str, list[tuple[StreamValue, int, dict[str, Any]]]] = defaultdict(list)
    for body in bodies:
        for index, raw in enumerate(body.raw_data):
            raw_by_type[raw["type"]].append((body, index, raw))
    for type_name, items in raw_by_type.items():
        block = items[0][0].stream_block.child_blocks[type_name]
        values = block.bulk_to_python([raw["value"] for _body, _index, raw in items])
        for (body, index, raw), value in zip(items, values, strict=True):
            body[index] = (type_name, value, raw.get("id"))


class _PageLinks(LinkRewriter):
    """Expands rich text's page links (`<a linktype="page" id="…">`) as Wagtail's
    PageLinkHandler does, from pages read beforehand; leaves every other tag alone for
    Wagtail's expansion at rendering."""

    def __init__(self, urls: dict[str, str | None]) -> None:
        super().__init__()
        self.urls = urls  # page id (as written in a link) → its URL; no entry: no such page

    def get_tag_replacements(self, tag_type: str | None, attrs_list: list[dict]) -> list[str]:
        if tag_type != "page":
            return []
        ids = [str(attrs.get("id")) for attrs in attrs_list]
        return [f'<a href="{escape(self.urls[i])}">' if i in self.urls else "<a>" for i in ids]


def _resolve_page_links(bodies: list[StreamValue], locale: Locale) -> None:
    """Writes the URL of every page link of the bodies' rich text into its source, in
    a fixed number of queries (Wagtail reads each text's linked pages when rendering
    it). The URL is the one Wagtail renders in the package's language (`locale`): that
    of the page's live translation, else of the page."""
    texts = [value for body in bodies for value in leaf_values(body) if isinstance(value, RichText)]
    finder = _PageLinks({})
    ids = {
        attrs.get("id")
        for text in texts
        for tag_type, matches in finder.extract_tags(text.source).items()
        if tag_type == "page"
        for attrs in (match.attrs for match in matches)
    }
    if not ids:
        return
    pages = list(
        Page.objects.filter(id__in=[i for i in ids if str(i or "").isdigit()])
        .defer_streamfields()
        .specific()
    )
    translations = {}
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        others = {page.translation_key for page in pages if page.locale_id != locale.pk}
        if others:
            translations = {
                page.translation_key: page
                for page in Page.objects.filter(translation_key__in=others, locale=locale)
                .defer_streamfields()
                .specific()
            }
    urls: dict[str, str | None] = {}
    for page in pages:
        shown = page
        translation = translations.get(page.translation_key)
        # Like Page.localized: the translation of the same type, when published.
        if translation is not None and type(translation) is type(page) and translation.live:
            shown = translation
        urls[str(page.pk)] = shown.url
    rewrite = _PageLinks(urls)
    for text in texts:
        text.source = rewrite(text.source)


@dataclass(frozen=True)
class SlotQuestions:
    """One slot of a quiz: `count` questions drawn from `questions` (version, mark)."""

    slot: QuizSlot
    count: int
    questions: tuple[tuple[QuestionVersion, Decimal], ...]


@dataclass(frozen=True)
class ExportQuiz:
    """A quiz as a package shows it: `texts`, its translation into the package's language
    (title, intro, overall feedback; the quiz itself when untranslated); `source`, the
    translation that holds the settings and slots; `slots`, each with every question a
    learner can get, in the package's language when translated."""

    texts: Quiz
    source: Quiz
    slots: tuple[SlotQuestions, ...]


class PackageQuizzes:
    """Every quiz the modules' quiz blocks show, read on the first `get` for all of them
    at once, each step in one query: the quizzes with their translations and locales,
    the source quizzes' slots, the random slots' categories and candidates, the
    questions' translations and latest versions.

    The same reads as `quizzes.selectors.quiz_in_language` and `source_quiz` and the
    quiz engine's draw (`quizzes.services.draw_questions`), batched: a package offers
    exactly the questions an online attempt could draw.
    """

    def __init__(self, modules: list[ModulePage], language: str) -> None:
        self.modules = modules
        self.language = language
        self._quizzes: dict[int, ExportQuiz | ExportError] | None = None

    def get(self, quiz: Quiz) -> ExportQuiz:
        """The quiz of a block of the modules; raises ExportError when it cannot be
        exported (a random slot's category has too few questions)."""
        if self._quizzes is None:
            self._quizzes = self._load()
        loaded = self._quizzes[quiz.pk]
        if isinstance(loaded, ExportError):
            raise loaded
        return loaded

    def _load(self) -> dict[int, ExportQuiz | ExportError]:
        ids = list(
            dict.fromkeys(
                child.value["quiz"].pk
                for module in self.modules
                for child in module.body
                if child.block_type == "quiz" and child.value["quiz"] is not None
            )
        )
        if not ids:
            return {}
        keys = Quiz.objects.filter(pk__in=ids).values("translation_key")
        family = list(
            Quiz.objects.filter(translation_key__in=keys)
            .select_related("locale")
            .annotate(has_slots=Exists(QuizSlot.objects.filter(quiz=OuterRef("pk"))))
            .order_by("pk")
        )
        by_pk = {quiz.pk: quiz for quiz in family}
        texts, sources = {}, {}
        for pk in ids:
            quiz = by_pk[pk]
            others = [other for other in family if other.translation_key == quiz.translation_key]
            texts[pk] = (
                quiz
                if quiz.locale.language_code == self.language
                else next((o for o in others if o.locale.language_code == self.language), quiz)
            )
            sources[pk] = next((other for other in others if other.has_slots), quiz)
        slots = self._slots(list({source.pk: source for source in sources.values()}.values()))
        pools, errors = self._pools(slots)
        questions = {
            pk: [q for slot in slots[sources[pk].pk] for q in pools.get(slot.pk, ())]
            for pk in ids
            if sources[pk].pk not in errors
        }
        translations = self._translations(
            {pk: (sources[pk], pool) for pk, pool in questions.items()}
        )
        load_latest_versions(
            [
                question
                for pk, pool in questions.items()
                for question in pool
                if question.translation_key not in translations[pk]
            ]
        )
        loaded: dict[int, ExportQuiz | ExportError] = {}
        for pk in ids:
            source = sources[pk]
            if source.pk in errors:
                loaded[pk] = errors[source.pk]
                continue
            loaded[pk] = ExportQuiz(
                texts=texts[pk],
                source=source,
                slots=tuple(
                    SlotQuestions(
                        slot,
                        1 if slot.question else slot.random_count,
                        tuple(
                            version_and_mark(slot, question, translations[pk])
                            for question in pools[slot.pk]
                        ),
                    )
                    for slot in slots[source.pk]
                ),
            )
        return loaded

    @staticmethod
    def _slots(sources: list[Quiz]) -> dict[int, list[QuizSlot]]:
        """Each source quiz's slots by position."""
        by_quiz: dict[int, list[QuizSlot]] = {source.pk: [] for source in sources}
        quizzes = {source.pk: source for source in sources}
        for slot in (
            QuizSlot.objects.filter(quiz__in=sources)
            .select_related(
                "question__latest_version", "pinned_version__question", "random_category"
            )
            .order_by("quiz_id", "position")
        ):
            slot.quiz = quizzes[slot.quiz_id]  # with its locale, which the draw reads
            by_quiz[slot.quiz_id].append(slot)
        return by_quiz

    def _pools(
        self, slots: dict[int, list[QuizSlot]]
    ) -> tuple[dict[int, list[Question]], dict[int, ExportError]]:
        """Each slot's questions (by slot id): its fixed question, or every question a
        random slot may draw (the engine's own candidates and pool, sorted by id), which
        the package then draws from. Source quizzes with a slot of too few candidates get
        the engine's error instead (by quiz id)."""
        every_slot = [slot for quiz_slots in slots.values() for slot in quiz_slots]
        candidates = random_slot_candidates(every_slot)
        pools: dict[int, list[Question]] = {}
        errors: dict[int, ExportError] = {}
        for slot in every_slot:
            if slot.question:
                pools[slot.pk] = [slot.question]
                continue
            fixed = {s.question.translation_key for s in slots[slot.quiz_id] if s.question}
            try:
                pools[slot.pk] = random_pool(slot, candidates[slot.pk], fixed)
            except QuizError as error:
                pools[slot.pk] = []
                errors.setdefault(
                    slot.quiz_id,
                    ExportError(
                        _("The quiz %(quiz)s cannot be exported: %(error)s")
                        % {"quiz": slot.quiz.title, "error": error}
                    ),
                )
        return pools, errors

    def _translations(
        self, quizzes: dict[int, tuple[Quiz, list[Question]]]
    ) -> dict[int, dict[str, Question]]:
        """Per quiz, its questions' translations into the package's language (by
        translation key) with their latest versions, as an attempt looks them up: one
        query for all the quizzes."""
        wanted = {
            pk: keys_to_translate(self.language, questions, source)
            for pk, (source, questions) in quizzes.items()
        }
        found = question_translations(self.language, set().union(*wanted.values()))
        return {
            pk: {key: found[key] for key in keys if key in found} for pk, keys in wanted.items()
        }
