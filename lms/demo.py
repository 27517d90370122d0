"""The demo site as a whole: course pages, then the question bank with a quiz on
every module (the glue between courses and quizzes lives here, in the site)."""

from __future__ import annotations

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Locale

from courses.demo.seed import SeedReport, seed_demo
from courses.models import CoursePage, ModulePage
from quizzes.demo import seed_question_bank, stable_key
from quizzes.models import Question, Quiz, QuizSlot


def seed_demo_site() -> SeedReport:
    report = seed_demo()
    with transaction.atomic():
        questions = seed_question_bank()
        for slug, module_questions in questions.items():
            _attach_quiz(slug, module_questions, report)
    return report


def _attach_quiz(module_slug: str, questions: list[Question], report: SeedReport) -> None:
    source_locale = Locale.get_default()
    module = ModulePage.objects.filter(slug=module_slug, locale=source_locale).first()
    if module is None:
        raise ValueError(f"Demo questions name an unknown module {module_slug!r}")
    course = CoursePage.objects.parent_of(module).first()
    key = stable_key("quiz", module_slug)
    for page in module.get_translations(inclusive=True).specific().select_related("locale"):
        quiz = Quiz.objects.filter(translation_key=key, locale=page.locale).first()
        if quiz is None:
            with translation.override(page.locale.language_code):
                title = _("Check yourself: %(module)s") % {"module": page.title}
            quiz = Quiz.objects.create(
                translation_key=key,
                locale=page.locale,
                title=title,
                pass_mark=course.pass_mark,
                shuffle_options=True,
            )
            report.count("quizzes")
            if page.locale == source_locale:
                QuizSlot.objects.bulk_create(
                    QuizSlot(quiz=quiz, position=position, question=question)
                    for position, question in enumerate(questions, start=1)
                )
        if not any(block.block_type == "quiz" for block in page.body):
            page.body.append(("quiz", {"quiz": quiz}))
            page.save_revision().publish()
            report.count("module quizzes")
