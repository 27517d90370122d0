"""The demo site as a whole: course pages, then the question bank with a quiz on
every module (the glue between courses and quizzes lives here, in the site), then the
demo trainee's profile and a course they have started."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Locale

from courses.demo.seed import SeedReport, seed_demo
from courses.models import CoursePage, ModulePage
from quizzes import question_types
from quizzes import services as quiz_services
from quizzes.demo import seed_question_bank, stable_key
from quizzes.models import Question, Quiz, QuizSlot

from . import services
from .accounts import TRAINEES_GROUP
from .models import Enrolment, TraineeProfile, Unit

DEMO_TRAINEE = "trainee"
#: The demo trainee's unit and where it sits: (code, name, kind), from the top.
DEMO_UNITS = (
    ("kgp", "Komenda Główna Policji", Unit.Kind.NATIONAL),
    ("kwp-lublin", "Komenda Wojewódzka Policji w Lublinie", Unit.Kind.VOIVODESHIP),
    ("kmp-chelm", "Komenda Miejska Policji w Chełmie", Unit.Kind.DISTRICT),
)
#: The course the demo trainee has started: its first module done, the second opened.
DEMO_STARTED_COURSE = "international-fugitive-searches"


def seed_demo_site() -> SeedReport:
    report = seed_demo()
    with transaction.atomic():
        questions = seed_question_bank()
        for slug, module_questions in questions.items():
            _attach_quiz(slug, module_questions, report)
        _seed_demo_trainee(report)
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


def _seed_demo_trainee(report: SeedReport) -> None:
    trainee = get_user_model().objects.get(username=DEMO_TRAINEE)
    trainee.groups.add(Group.objects.get(name=TRAINEES_GROUP))  # no-op once in it
    _, created = TraineeProfile.objects.get_or_create(
        user=trainee,
        defaults={"unit": _demo_unit(report), "rank": "sierżant sztabowy"},
    )
    if created:
        report.count("trainee profiles")
    # Once the trainee has any course, what they do is theirs: the seed adds nothing.
    if not Enrolment.objects.filter(user=trainee).exists():
        _start_demo_course(trainee)
        report.count("started courses")


def _demo_unit(report: SeedReport) -> Unit:
    parent = None
    for code, name, kind in DEMO_UNITS:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            fields = {"code": code, "name": name, "kind": kind}
            unit = Unit.add_root(**fields) if parent is None else parent.add_child(**fields)
            report.count("units")
        parent = unit
    return parent


def _start_demo_course(trainee) -> None:
    course = CoursePage.objects.get(slug=DEMO_STARTED_COURSE, locale=Locale.get_default())
    first, second = ModulePage.objects.child_of(course).live()[:2]
    services.record_module_viewed(trainee, first)
    quiz = next(block.value["quiz"] for block in first.body if block.block_type == "quiz")
    attempt = quiz_services.start_attempt(quiz, trainee).attempt
    for question in attempt.questions.select_related("version__question"):
        answer = question_types.get(question.version.question.type).right_answer(
            question.version.definition
        )
        quiz_services.save_answer(attempt, question.position, answer)
    attempt = quiz_services.submit_attempt(attempt)
    if not attempt.passed:
        raise ValueError(f"The right answers do not pass the demo quiz {quiz}")
    # The grading signal arrives once the seed's transaction commits; record the pass now
    # so the seed is complete within it (recording it again changes nothing).
    services.record_quiz_passed(trainee, attempt.quiz)
    services.record_module_viewed(trainee, second)
