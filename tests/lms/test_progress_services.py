"""Enrolment, module progress, course completion and certificates (lms.services)."""

import pytest
from django.utils import translation
from wagtail.models import Locale

from courses.models import CompletionRule
from lms import selectors, services
from lms.models import Certificate, Enrolment, ModuleProgress, TraineeProfile
from tests.lms.learning import make_course_with_modules, make_trainee, quiz_of, take_quiz
from tests.quizzes.factories import make_question, make_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainee():
    return make_trainee()


@pytest.fixture
def submit(django_capture_on_commit_callbacks):
    """Pass (or fail) a module's quiz through the quiz engine; the grading signal, sent on
    commit, reaches the learner side."""

    def take(module, user, *, correct=True):
        with django_capture_on_commit_callbacks(execute=True):
            return take_quiz(quiz_of(module), user, correct=correct)

    return take


def test_enrolling_twice_keeps_one_enrolment(trainee):
    course, _ = make_course_with_modules(1)
    first = services.enrol(trainee, course)
    assert services.enrol(trainee, course) == first
    assert Enrolment.objects.get().source == Enrolment.Source.SELF


def test_the_first_view_of_a_module_enrols_and_records_it(trainee):
    course, (module, _) = make_course_with_modules(2)

    progress = services.record_module_viewed(trainee, module)
    viewed_at = progress.viewed_at
    again = services.record_module_viewed(trainee, module)

    assert Enrolment.objects.get(user=trainee).course == course
    assert again.viewed_at == viewed_at and ModuleProgress.objects.count() == 1
    assert progress.completed_at is None  # the default rule also wants the quiz passed


def test_a_passed_quiz_completes_a_viewed_module(trainee, submit):
    _, (module, _) = make_course_with_modules(2)
    services.record_module_viewed(trainee, module)

    attempt = submit(module, trainee)

    assert attempt.passed
    progress = ModuleProgress.objects.get(user=trainee, module=module)
    assert progress.quiz_passed_at is not None and progress.completed_at is not None


def test_the_modules_of_a_quiz_take_one_query_for_a_quiz_on_its_own(
    django_assert_num_queries,
):
    _, (module, _) = make_course_with_modules(2)
    alone = make_quiz([make_question()], title="Samodzielny")
    quiz = quiz_of(module)
    selectors.modules_with_quiz(quiz)  # Wagtail caches its content types

    with django_assert_num_queries(1):  # nothing holds it: no page is read
        assert selectors.modules_with_quiz(alone) == []
    with django_assert_num_queries(3):  # the index, the live modules, their sources
        assert selectors.modules_with_quiz(quiz) == [module]


def test_a_quiz_passed_right_after_its_module_is_published_counts(trainee, submit, settings):
    # Background tasks queued and never run, as with the database backend and no worker:
    # Wagtail's own reference indexing waits; the module's entry is written on publish.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    _, (module,) = make_course_with_modules(1)
    services.record_module_viewed(trainee, module)

    submit(module, trainee)

    assert ModuleProgress.objects.get(user=trainee, module=module).completed_at is not None


def test_a_failed_quiz_records_nothing(trainee, submit):
    _, (module,) = make_course_with_modules(1)
    services.record_module_viewed(trainee, module)
    assert submit(module, trainee, correct=False).passed is False
    assert ModuleProgress.objects.get().quiz_passed_at is None


def test_completing_every_module_issues_one_certificate(trainee, submit):
    TraineeProfile.objects.create(user=trainee, preferred_language="pl")
    course, modules = make_course_with_modules(2)
    for module in modules:
        services.record_module_viewed(trainee, module)
        submit(module, trainee)
    services.record_module_viewed(trainee, modules[0])  # coming back changes nothing

    enrolment = Enrolment.objects.get(user=trainee, course=course)
    assert enrolment.completed_at is not None
    certificate = Certificate.objects.get()
    assert (certificate.user, certificate.course) == (trainee, course)
    assert certificate.holder_name == "Zażółć Gęślą-Jaźń"
    assert certificate.course_title == "Poszukiwania" and certificate.language == "pl"
    assert services.issue_certificate(trainee, course) == certificate


@pytest.mark.parametrize(
    ("rule", "view", "pass_quiz", "complete"),
    [
        (CompletionRule.VIEWED, True, False, True),
        (CompletionRule.QUIZ_PASSED, False, True, True),
        (CompletionRule.QUIZ_PASSED, True, False, False),
        (CompletionRule.VIEWED_AND_QUIZ, True, False, False),
        (CompletionRule.VIEWED_AND_QUIZ, False, True, False),
        (CompletionRule.VIEWED_AND_QUIZ, True, True, True),
    ],
)
def test_completion_rules(trainee, submit, rule, view, pass_quiz, complete):
    course, (module,) = make_course_with_modules(1, completion_rule=rule)
    if view:
        services.record_module_viewed(trainee, module)
    if pass_quiz:
        submit(module, trainee)
    assert (ModuleProgress.objects.get().completed_at is not None) == complete
    assert Certificate.objects.filter(course=course).exists() == complete


@pytest.mark.parametrize("rule", [CompletionRule.QUIZ_PASSED, CompletionRule.VIEWED_AND_QUIZ])
def test_a_module_without_a_quiz_counts_once_viewed(trainee, rule):
    course, (module,) = make_course_with_modules(1, with_quiz=False, completion_rule=rule)
    services.record_module_viewed(trainee, module)
    assert ModuleProgress.objects.get().completed_at is not None
    assert Certificate.objects.get().course == course


def test_progress_in_a_translation_counts_for_the_course(trainee, submit):
    """A trainee reading in English: progress, enrolment and certificate go to the Polish
    (source) pages, and the English quiz counts as its Polish original."""
    course, (module,) = make_course_with_modules(1)
    english = Locale.objects.create(language_code="en")
    catalogue_en = course.get_parent().specific.copy_for_translation(english, copy_parents=True)
    catalogue_en.save_revision().publish()
    course_en = course.copy_for_translation(english)
    course_en.save_revision().publish()
    quiz_en = quiz_of(module).copy_for_translation(english)
    quiz_en.save()
    module_en = module.copy_for_translation(english)
    module_en.body = [("quiz", {"quiz": quiz_en})]
    module_en.save_revision().publish()

    services.record_module_viewed(trainee, module_en)
    submit(module_en, trainee)

    progress = ModuleProgress.objects.get()
    assert progress.module_id == module.pk and progress.completed_at is not None
    assert Enrolment.objects.get().course_id == course.pk
    standing = selectors.course_standing(trainee, course_en, [module_en])
    assert standing.module_state(module_en) == "done" and standing.certificate is not None
    with translation.override("en"):
        (shown,) = selectors.dashboard(trainee).completed
    assert shown.course.pk == course_en.pk and shown.percent == 100
