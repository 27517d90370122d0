from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction, Revision

from courses.choices import Topic
from courses.models import CoursePage, GoodPracticePage, ModulePage
from lms.models import Assignment, Certificate, Enrolment, ModuleProgress, TraineeProfile, Unit
from lms.selectors import report_scope
from quizzes import question_types
from quizzes.models import Attempt, Question, Quiz
from quizzes.selectors import source_quiz

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "users": get_user_model().objects.count(),
        "restrictions": PageViewRestriction.objects.count(),
        "units": Unit.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "progress": ModuleProgress.objects.count(),
        "certificates": Certificate.objects.count(),
        "attempts": Attempt.objects.count(),
    }


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """Seed once for this module (it takes a while) and roll it all back afterwards."""
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(DEBUG=True, MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        output = StringIO()
        call_command("seed_demo", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def media_in_tmp():
    """Overrides the suite's per-test media folder: the seeded files live in the module's."""


def test_seed_demo_builds_the_demo_and_a_second_run_changes_nothing(seeded, client):
    assert "trainee" in seeded and "demo-trainee-2026" in seeded
    before = snapshot()

    output = StringIO()
    call_command("seed_demo", stdout=output)

    assert snapshot() == before
    assert "nothing changed" in output.getvalue()


def test_demo_content_users_and_catalogue(seeded, client):
    english = Locale.objects.get(language_code="en")
    polish_courses = CoursePage.objects.live().filter(locale__language_code="pl")
    assert sorted(polish_courses.values_list("topic", flat=True)) == sorted(Topic.values)
    for course in polish_courses:
        modules = ModulePage.objects.child_of(course).live()
        assert modules.count() >= 3
        for module in modules:
            assert len(module.body) >= 8
            assert module.get_translation_or_none(english)
    assert CoursePage.objects.live().filter(locale__language_code="en").count() == 6
    assert CoursePage.objects.live().filter(locale__language_code="uk").count() >= 1
    assert GoodPracticePage.objects.live().filter(locale__language_code="pl").count() >= 10

    response = client.get("/pl/kursy/")
    assert response.status_code == 200
    assert len(response.context["catalogue"].courses) == 6
    assert "Katalog kursów" in response.content.decode()

    users = {user.username: user for user in get_user_model().objects.all()}
    assert users["editor"].groups.filter(name="Editors").exists()
    assert users["reviewer"].groups.filter(name="Reviewers").exists()
    assert list(users["trainee"].groups.values_list("name", flat=True)) == ["Trainees"]
    assert users["trainee"].check_password("demo-trainee-2026")


def test_every_demo_module_ends_with_a_quiz_from_a_bank_of_every_type(seeded, client):
    polish = Locale.objects.get(language_code="pl")
    bank = Question.objects.filter(locale=polish)
    assert bank.count() >= 60
    assert set(bank.values_list("type", flat=True)) == set(question_types.names())
    assert all(
        question.get_translation_or_none(Locale.objects.get(language_code="en"))
        for question in bank
    )
    for module in ModulePage.objects.live():
        quiz_blocks = [block for block in module.body if block.block_type == "quiz"]
        assert len(quiz_blocks) == 1, module
        quiz = quiz_blocks[0].value["quiz"]
        assert quiz.locale_id == module.locale_id
        assert source_quiz(quiz).slots.count() >= 3

    trainee = get_user_model().objects.get(username="trainee")
    client.force_login(trainee)
    english_module = ModulePage.objects.filter(locale__language_code="en").first()
    quiz = next(b.value["quiz"] for b in english_module.body if b.block_type == "quiz")
    response = client.post(f"/api/v1/quizzes/{quiz.pk}/attempts/", {"language": "en"})
    assert response.status_code == 201
    english_texts = {
        q.latest_version.text for q in Question.objects.filter(locale__language_code="en")
    }
    assert all(question["text"] in english_texts for question in response.data["questions"])


def test_seed_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("seed_demo")


def test_every_demo_quiz_can_be_taken_to_full_marks(seeded, client):
    """Each demo quiz in each language: start, give the right answers, submit."""
    client.force_login(get_user_model().objects.get(username="trainee"))
    quizzes = Quiz.objects.select_related("locale")
    assert quizzes.count() >= 36
    for quiz in quizzes:
        cache.clear()  # the write throttle is meant for one person's pace, not this loop
        language = quiz.locale.language_code
        started = client.post(
            f"/api/v1/quizzes/{quiz.pk}/attempts/", {"language": language}, "application/json"
        )
        assert started.status_code == 201, (quiz, started.content)
        attempt = Attempt.objects.get(pk=started.json()["id"])
        url = f"/api/v1/attempts/{attempt.pk}/"
        for question in attempt.questions.select_related("version__question"):
            question_type = question_types.get(question.version.question.type)
            answer = question_type.right_answer(question.version.definition)
            if answer is None:  # essays: a person grades them
                answer = {"text": "Analiza przypadku."}
            saved = client.put(
                url + f"answers/{question.position}/", {"answer": answer}, "application/json"
            )
            assert saved.status_code == 200, (quiz, question.position, saved.content)
        result = client.post(url + "submit/").json()
        assert result["state"] == "submitted"
        attempt.refresh_from_db()
        automatic = attempt.questions.exclude(version__question__type="essay")
        assert all(q.fraction == 1 for q in automatic), quiz


def test_the_demo_trainee_has_a_unit_and_a_course_under_way(seeded, client):
    profile = TraineeProfile.objects.select_related("unit", "user").get(user__username="trainee")
    assert profile.unit.code == "kmp-chelm" and profile.unit.get_parent().code == "kwp-lublin"
    client.force_login(profile.user)

    (course,) = client.get("/pl/my-courses/").context["dashboard"].in_progress

    assert course.modules_done == 1 and course.percent == 33
    assert course.next_module.slug == ModulePage.objects.child_of(course.course)[1].slug


def test_demo_units_are_the_eastern_border_headquarters_and_their_districts(seeded):
    (national,) = Unit.get_root_nodes()
    voivodeships = national.get_children()
    assert national.code == "kgp"
    assert sorted(voivodeships.values_list("code", flat=True)) == [
        "kwp-bialystok",
        "kwp-lublin",
        "kwp-olsztyn",
        "kwp-rzeszow",
    ]
    for voivodeship in voivodeships:
        assert voivodeship.kind == Unit.Kind.VOIVODESHIP
        districts = voivodeship.get_children()
        assert districts.count() >= 3
        assert set(districts.values_list("kind", flat=True)) == {Unit.Kind.DISTRICT}
    assert Unit.objects.get(code="kpp-sejny").get_parent().code == "kwp-bialystok"


def test_demo_trainees_fill_the_reports(seeded):
    from lms import reports

    demo_users = ["trainee", "reviewer", "trainer-lublin"]  # the trainers have profiles too
    profiles = TraineeProfile.objects.exclude(user__username__in=demo_users).select_related("user")
    assert profiles.count() == 40
    for profile in profiles:
        assert profile.unit.kind == Unit.Kind.DISTRICT and profile.rank
        assert not profile.user.has_usable_password()
        assert list(profile.user.groups.values_list("name", flat=True)) == ["Trainees"]
    assert profiles.filter(preferred_language="uk").count() >= 3

    trainees = Enrolment.objects.exclude(user__username="trainee")
    completed = trainees.filter(completed_at__isnull=False)
    assert completed.count() >= 5
    for enrolment in completed:
        certificate = Certificate.objects.get(user=enrolment.user, course=enrolment.course)
        assert certificate.issued_at == enrolment.completed_at > enrolment.enrolled_at
    assert trainees.filter(completed_at__isnull=True, user__module_progress__isnull=False).exists()
    assert profiles.filter(user__enrolments__isnull=True).exists()  # not started
    # Dates are spread over months, not all "now".
    assert len({enrolment.enrolled_at.date() for enrolment in trainees}) >= 20

    assigned = trainees.filter(source=Enrolment.Source.ASSIGNED, due_date__isnull=False)
    # Ten trainees assigned one by one, and everyone in the units of the three assignments.
    assert Assignment.objects.count() == 3
    in_lublin = profiles.filter(unit__path__startswith=Unit.objects.get(code="kwp-lublin").path)
    assert not in_lublin.exclude(
        user__enrolments__course__slug="trafficking-in-human-beings"
    ).exists()
    assert assigned.values("user").distinct().count() > 10
    filters = reports.ReportFilters()
    assert reports.overdue_enrolments(filters).count() >= 3
    lublin = next(u for u in reports.unit_completion(filters) if u.code == "kwp-lublin")
    assert lublin.enrolled > lublin.completed > 0
    assert Attempt.objects.filter(user__in=profiles.values("user"), passed=False).exists()


def test_demo_sessions_fill_the_session_report(seeded):
    from lms import reports
    from lms.models import SessionRegistration, TrainingSession

    assert TrainingSession.objects.count() == 8
    waiting = SessionRegistration.objects.filter(status=SessionRegistration.Status.WAITLISTED)
    assert waiting.filter(session__place__contains="Chełm").exists()
    assert SessionRegistration.objects.filter(
        user__username="trainee", status=SessionRegistration.Status.REGISTERED
    ).exists()
    for code in ("kwp-lublin", "kwp-rzeszow", "kwp-bialystok", "kwp-olsztyn"):
        filters = reports.ReportFilters(unit=Unit.objects.get(code=code))
        assert sum(row.present for row in reports.session_participants(filters)) > 0, code
    rows = reports.session_participants(reports.ReportFilters())
    assert all(row.present > 0 for row in rows)
    assert sum(row.absent for row in rows) > 0


def test_demo_trainers_read_the_reports_of_their_units(seeded):
    users = get_user_model().objects
    reviewer, trainer = users.get(username="reviewer"), users.get(username="trainer-lublin")
    assert report_scope(reviewer).everything
    assert report_scope(trainer).unit.code == "kwp-lublin"
    assert trainer.check_password("demo-trainer-2026")
    assert trainer.groups.filter(name="Reviewers").exists()
