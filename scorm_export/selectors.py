"""Reads for an export: the page in the requested language, its modules, the quiz slots.

Query counts depend on the number of pages, quizzes and slots, never on the number
of questions in a random slot's pool.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from courses.models import CoursePage, ModulePage
from courses.selectors import course_modules
from quizzes.models import Question, QuestionVersion, Quiz, QuizSlot
from quizzes.selectors import source_quiz

# The quiz engine's own helpers, so that a package offers exactly the questions an
# online attempt could draw (same candidates, same translations).
from quizzes.services import QuizError, _random_pick, _translations_into, version_and_mark

from .errors import ExportError


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
    """The course's published modules in order."""
    return course_modules(course)


@dataclass(frozen=True)
class SlotQuestions:
    """One slot of a quiz: `count` questions drawn from `questions` (version, mark)."""

    slot: QuizSlot
    count: int
    questions: tuple[tuple[QuestionVersion, Decimal], ...]


class _WholePool:
    """Stands in for the random generator of `quizzes.services._random_pick`: "drawing"
    returns the whole candidate pool (sorted by id), which the package then draws from."""

    def sample(self, population: list[Any], k: int) -> list[Any]:
        return list(population)


def quiz_slots(quiz: Quiz, language: str) -> tuple[Quiz, list[SlotQuestions]]:
    """The source quiz (settings and slots) and its slots with every question a learner can
    get, each question in `language` when translated (as `services.draw_questions` does)."""
    source = source_quiz(quiz)
    slots = list(
        QuizSlot.objects.filter(quiz=source)
        .select_related(
            "quiz__locale",
            "question__latest_version",
            "pinned_version__question",
            "random_category",
        )
        .order_by("position")
    )
    fixed = {slot.question.translation_key for slot in slots if slot.question}
    pools: list[list[Question]] = []
    for slot in slots:
        if slot.question:
            pools.append([slot.question])
            continue
        try:
            pools.append(_random_pick(slot, _WholePool(), set(fixed)))
        except QuizError as error:
            raise ExportError(
                _("The quiz %(quiz)s cannot be exported: %(error)s")
                % {"quiz": source.title, "error": error}
            ) from error
    questions = [question for pool in pools for question in pool]
    translations = _translations_into(language, questions, source)
    _load_latest_versions([q for q in questions if q.translation_key not in translations])
    result = []
    for slot, pool in zip(slots, pools, strict=True):
        drawn = [version_and_mark(slot, question, translations) for question in pool]
        count = 1 if slot.question else slot.random_count
        result.append(SlotQuestions(slot, count, tuple(drawn)))
    return source, result


def _load_latest_versions(questions: list[Question]) -> None:
    """Latest versions of questions picked from a pool, in one query."""
    missing = [
        q for q in questions if q.latest_version_id and not Question.latest_version.is_cached(q)
    ]
    if not missing:
        return
    versions = QuestionVersion.objects.in_bulk([q.latest_version_id for q in missing])
    for question in missing:
        question.latest_version = versions[question.latest_version_id]
