"""A trainee's personal data on request (lms.privacy): the export, the erasure keeping every
report's figures, the admin's actions and the management command."""

from __future__ import annotations

import io
import json
from dataclasses import asdict
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.authtoken.models import Token
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from lms import privacy, reports
from lms.models import (
    Certificate,
    Enrolment,
    ModuleProgress,
    SessionRegistration,
    TraineeProfile,
    TrainingSession,
)
from lms.reports import ReportFilters
from quizzes import reports as quiz_reports
from quizzes import services as quiz_services
from quizzes.models import AttemptQuestion
from tests.lms.learning import make_course_with_modules, make_trainee
from tests.lms.units import make_units
from tests.quizzes.factories import essay, make_question, make_quiz, short_answer

pytestmark = pytest.mark.django_db

PASSWORD = "x-Password-1"  # make_trainee's
ESSAY = "Ja, Jan Kowalski z KMP w Chełmie, najpierw zabezpieczam miejsce zdarzenia taśmą."
TYPED = "Kowalski"
COMMENT = "Dobrze, Janie; brakuje notatki służbowej."


def _at(days_ago: int) -> datetime:
    return timezone.now() - timedelta(days=days_ago)


@pytest.fixture
def course_and_quiz():
    course, modules = make_course_with_modules(2, with_quiz=False)
    quiz = make_quiz(
        [
            make_question(),  # single choice, "b" is right
            make_question(type="short_answer", definition=short_answer(), text="Skrót SIS?"),
            make_question(type="essay", definition=essay(), text="Opisz zabezpieczenie."),
        ]
    )
    return course, modules, quiz


def give_trainee_history(user, unit, course, modules, quiz, *, attempts: int = 1, rank="sierż."):
    """A profile in `unit`, an enrolment completed with a certificate, progress in each
    module, `attempts` graded attempts (a chosen option, a typed answer and an essay with
    a grader's comment), a session, an API token, a Wagtail profile and sign-in records."""
    TraineeProfile.objects.create(user=user, unit=unit, rank=rank)
    Enrolment.objects.create(user=user, course=course, enrolled_at=_at(20), completed_at=_at(2))
    Certificate.objects.create(
        user=user, course=course, holder_name=user.get_full_name(), course_title=course.title
    )
    for module in modules:
        ModuleProgress.objects.create(user=user, module=module, viewed_at=_at(10))
    session, _created = TrainingSession.objects.get_or_create(
        course=course,
        title="Warsztaty poszukiwawcze",
        defaults={
            "kind": TrainingSession.Kind.WORKSHOP,
            "starts_at": _at(5),
            "ends_at": _at(5) + timedelta(hours=6),
            "place": "KWP w Lublinie, sala 12",
            "capacity": 10,
        },
    )
    SessionRegistration.objects.create(
        session=session, user=user, status=SessionRegistration.Status.REGISTERED, attended=True
    )
    for _ in range(attempts):
        attempt = quiz_services.start_attempt(quiz, user).attempt
        quiz_services.save_answer(attempt, 1, {"option": "b"})
        quiz_services.save_answer(attempt, 2, {"text": TYPED})
        quiz_services.save_answer(attempt, 3, {"text": ESSAY})
        quiz_services.submit_attempt(attempt)
        quiz_services.grade_manually(
            attempt.questions.get(position=3),
            fraction=Decimal("0.5"),
            comment=COMMENT,
            grader=make_grader(),
        )
    Token.objects.create(user=user)
    UserProfile.get_for_user(user)
    record = {
        "username": user.username,
        "ip_address": "10.20.30.40",
        "user_agent": "Firefox",
        "http_accept": "text/html",
        "path_info": "/pl/accounts/login/",
    }
    AccessAttempt.objects.create(**record, get_data="", post_data="", failures_since_start=1)
    AccessFailureLog.objects.create(**record)
    AccessLog.objects.create(**record)


def make_grader():
    grader, created = get_user_model().objects.get_or_create(username="instruktor")
    if created:
        grader.groups.add(Group.objects.get(name="Reviewers"))
    return grader


@pytest.fixture
def units():
    return make_units()


@pytest.fixture
def world(units, course_and_quiz):
    """Jan (to be erased) and Anna, in two units, with the same kinds of history."""
    course, modules, quiz = course_and_quiz
    jan = make_trainee("jkowalski", first_name="Jan", last_name="Kowalski", email="jan@policja.pl")
    anna = make_trainee("anowak", first_name="Anna", last_name="Nowak", email="anna@policja.pl")
    give_trainee_history(jan, units["kmp-chelm"], course, modules, quiz)
    give_trainee_history(anna, units["kwp-rzeszow"], course, modules, quiz, rank="asp.")
    return {"jan": jan, "anna": anna, "course": course, "quiz": quiz, "units": units}


# ----------------------------------------------------------------------------------- export


def test_the_export_holds_every_section_of_the_trainee_and_nothing_of_another(world):
    jan = get_user_model().objects.get(pk=world["jan"].pk)

    document = privacy.export_trainee_data(jan)

    assert document["format"] == privacy.EXPORT_FORMAT
    assert [key for key, _section in privacy.EXPORT_SECTIONS] == [
        key for key in document if key not in ("format", "exported_at")
    ]
    assert document["account"] | {"date_joined": None, "last_login": None} == {
        "username": "jkowalski",
        "first_name": "Jan",
        "last_name": "Kowalski",
        "email": "jan@policja.pl",
        "date_joined": None,
        "last_login": None,
        "is_active": True,
        "groups": [],
    }
    assert document["profile"] == {
        "unit": ["Komenda Główna Policji", "KWP w Lublinie", "KMP w Chełmie"],
        "rank": "sierż.",
        "preferred_language": "pl",
    }
    [enrolment] = document["enrolments"]
    assert enrolment["course"] == world["course"].title and enrolment["source"] == "self"
    assert enrolment["completed_at"] is not None
    assert [row["module"] for row in document["module_progress"]] == ["Moduł 1", "Moduł 2"]
    [certificate] = document["certificates"]
    assert certificate["code"] == Certificate.objects.get(user=jan).code
    assert certificate["holder_name"] == "Jan Kowalski"
    [registration] = document["session_registrations"]
    assert registration["session"] == "Warsztaty poszukiwawcze"
    assert registration["status"] == "registered" and registration["attended"] is True
    [attempt] = document["quiz_attempts"]
    assert attempt["state"] == "submitted" and attempt["score"] == "1.50"
    assert [answer["answer"] for answer in attempt["answers"]] == [
        {"option": "b"},
        {"text": TYPED},
        {"text": ESSAY},
    ]
    assert attempt["answers"][2]["mark"] == "0.50"
    assert attempt["answers"][2]["grader_comment"] == COMMENT
    records = document["sign_in_records"]
    assert {kind: len(rows) for kind, rows in records.items()} == {
        "attempts": 1,
        "failures": 1,
        "log": 1,
    }
    assert records["log"][0]["ip_address"] == "10.20.30.40"
    text = json.dumps(document)  # JSON-serialisable as it is
    for other in ("anowak", "Anna", "Nowak", "anna@policja.pl", "Rzeszowie", "asp."):
        assert other not in text


def test_a_user_without_a_profile_or_history_exports_empty_sections():
    user = make_trainee("nowy")
    document = privacy.export_trainee_data(user)
    assert document["profile"] is None
    assert document["enrolments"] == document["quiz_attempts"] == []


@pytest.mark.parametrize("size", [1, 10])
def test_the_export_runs_a_fixed_number_of_queries(
    size, units, course_and_quiz, django_assert_num_queries
):
    course, modules, quiz = course_and_quiz
    user = make_trainee()
    give_trainee_history(user, units["kmp-chelm"], course, modules, quiz, attempts=size)
    for number in range(size - 1):
        extra, _modules = make_course_with_modules(1, with_quiz=False, title=f"Kurs {number}")
        Enrolment.objects.create(user=user, course=extra)
    user = get_user_model().objects.get(pk=user.pk)

    # account 1, profile 2, enrolments 1, progress 1, certificates 1, sessions 1,
    # attempts 2, axes 3
    with django_assert_num_queries(12):
        document = privacy.export_trainee_data(user)

    assert len(document["quiz_attempts"]) == len(document["enrolments"]) == size


# ---------------------------------------------------------------------------------- erasure


def figures(world) -> dict:
    """Every count the training reports and the quiz statistics show."""
    quiz = world["quiz"]
    statistics = quiz_reports.quiz_statistics(quiz)
    return {
        "courses": [
            (course.pk, course.enrolled, course.completed, course.certified, course.average_time)
            for course in reports.course_completion(ReportFilters())
        ],
        "units": [
            (unit.pk, unit.enrolled, unit.completed)
            for unit in reports.unit_completion(ReportFilters())
        ],
        "scores": asdict(reports.score_distribution(quiz, ReportFilters())),
        "chelm": asdict(
            reports.score_distribution(quiz, ReportFilters(unit=world["units"]["kmp-chelm"]))
        ),
        "quiz": asdict(statistics.statistics),
        "attempts_needing_grading": statistics.attempts_needing_grading,
        "positions": [
            (
                position.position,
                position.max_mark,
                position.statistics and asdict(position.statistics),
                [(question.count, question.no_response) for question in position.questions],
            )
            for position in statistics.positions
        ],
        "attempts_table": quiz_reports.attempts_table(quiz).count(),
        "sessions": [asdict(kind) for kind in reports.session_participants(ReportFilters())],
    }


def test_erasure_keeps_every_figure_of_the_reports_and_statistics(world, admin_user):
    before = figures(world)
    assert before["chelm"]["attempts"] == 1  # the erased trainee still counts in their unit
    workshops = next(kind for kind in before["sessions"] if kind["kind"] == "workshop")
    assert workshops["present"] == 2  # and in the participants of their session

    privacy.erase_trainee(world["jan"], by=admin_user)

    assert figures(world) == before
    # A regrade cannot grade the blanked typed answer again: it keeps its mark.
    quiz_services.regrade_quiz(world["quiz"])
    assert figures(world) == before


def test_a_regrade_after_an_erasure_keeps_the_mark_of_a_blanked_answer(admin_user):
    quiz = make_quiz([make_question(type="short_answer", definition=short_answer())])
    trainee = make_trainee("jnowak")
    attempt = quiz_services.start_attempt(quiz, trainee).attempt
    quiz_services.save_answer(attempt, 1, {"text": "sis"})  # right, in its own spelling
    quiz_services.submit_attempt(attempt)

    privacy.erase_trainee(trainee, by=admin_user)
    quiz_services.regrade_quiz(quiz)

    question = AttemptQuestion.objects.get(attempt=attempt)
    assert question.answer == {"text": ""} and question.answer_erased
    assert question.mark == Decimal("1.00")


def test_erasure_removes_the_person_everywhere(world, admin_user, client):
    jan = world["jan"]
    client.force_login(jan)
    identifying = ("jkowalski", "Jan", "Kowalski", "jan@policja.pl", TYPED, ESSAY, COMMENT)
    sign_in_models = (AccessAttempt, AccessFailureLog, AccessLog)
    sign_in_records = sum(
        model.objects.filter(username="jkowalski").count() for model in sign_in_models
    )
    assert sign_in_records == 4  # the fixture's three and the sign-in above

    report = privacy.erase_trainee(jan, by=admin_user)

    jan = get_user_model().objects.get(pk=jan.pk)
    assert jan.username == report.username and jan.username.startswith("erased-")
    assert (jan.first_name, jan.last_name, jan.email, jan.last_login) == ("", "", "", None)
    assert not jan.is_active and not jan.has_usable_password()
    assert not jan.groups.exists()
    profile = TraineeProfile.objects.get(user=jan)
    assert profile.unit == world["units"]["kmp-chelm"] and profile.rank == ""
    assert not UserProfile.objects.filter(user=jan).exists()
    assert not Token.objects.filter(user=jan).exists()
    assert report.sessions == 1 and client.get("/pl/my-courses/").status_code == 302
    assert report.sign_in_records == sign_in_records
    for model in sign_in_models:
        assert not model.objects.filter(username="jkowalski").exists()
    certificate = Certificate.objects.get(user=jan)
    assert certificate.holder_name == "" and certificate.course_title == world["course"].title
    answers = AttemptQuestion.objects.filter(attempt__user=jan).order_by("position")
    assert [answer.answer for answer in answers] == [{"option": "b"}, {"text": ""}, {"text": ""}]
    assert [answer.mark for answer in answers] == [
        Decimal("1.00"),
        Decimal("0.00"),
        Decimal("0.50"),
    ]
    assert answers[2].grader_comment == "" and answers[2].graded_by.username == "instruktor"
    assert report.answers_blanked == 2
    # Nothing left names the person: their own export, the audit log.
    remaining = json.dumps(privacy.export_trainee_data(jan)) + json.dumps(
        list(ModelLogEntry.objects.values_list("label", "data"))
    )
    for value in identifying:
        assert value not in remaining
    # Anna is untouched.
    anna = privacy.export_trainee_data(world["anna"])
    assert anna["account"]["email"] == "anna@policja.pl"
    assert anna["quiz_attempts"][0]["answers"][2]["answer"] == {"text": ESSAY}
    assert len(anna["sign_in_records"]["log"]) == 1


def test_the_erasure_is_in_the_audit_log_without_the_name(world, admin_user):
    report = privacy.erase_trainee(world["jan"], by=admin_user)

    entry = ModelLogEntry.objects.get(action=privacy.ERASURE_ACTION)
    assert entry.user == admin_user and entry.object_id == str(world["jan"].pk)
    assert entry.label == report.username
    assert entry.data["answers_blanked"] == 2
    with translation.override("en"):
        assert entry.message == "Personal data erased on request"


def test_the_verification_page_says_the_holders_data_was_erased(world, admin_user, client):
    code = Certificate.objects.get(user=world["jan"]).code
    assert "Jan Kowalski" in client.get(f"/en/certificates/{code}/").content.decode()

    privacy.erase_trainee(world["jan"], by=admin_user)

    response = client.get(f"/en/certificates/{code}/")
    page = response.content.decode()
    assert response.status_code == 200 and "This certificate is genuine." in page
    assert "The holder’s personal data was erased on request." in page
    assert "Kowalski" not in page


def test_an_erased_trainee_cannot_sign_in(world, admin_user, client):
    report = privacy.erase_trainee(world["jan"], by=admin_user)

    for username in ("jkowalski", report.username):
        client.post("/pl/accounts/login/", {"username": username, "password": PASSWORD})
        assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "privilege",
    [{"is_superuser": True}, {"is_staff": True}, {"group": "Reviewers"}, {"group": "Editors"}],
)
def test_admins_editors_and_trainers_are_never_erased(privilege, admin_user):
    user = make_trainee(
        "kadra",
        email="kadra@policja.pl",
        **{key: value for key, value in privilege.items() if key != "group"},
    )
    if "group" in privilege:
        user.groups.add(Group.objects.get(name=privilege["group"]))

    with (
        translation.override("en"),
        pytest.raises(privacy.ErasureRefused, match="“kadra” is an administrator"),
    ):
        privacy.erase_trainee(user, by=admin_user)

    user.refresh_from_db()
    assert user.username == "kadra" and user.email == "kadra@policja.pl"
    assert not ModelLogEntry.objects.filter(action=privacy.ERASURE_ACTION).exists()


def test_the_export_filename_names_the_user_and_the_day():
    user = make_trainee("jkowalski")
    assert privacy.export_filename(user, date(2026, 5, 4)) == "trainee-jkowalski-2026-05-04.json"


# ------------------------------------------------------------------------------ admin views


@pytest.fixture
def admin_client(admin_client, admin_user):
    """The admin in English: assertions read the msgids."""
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    return admin_client


def export_url(user) -> str:
    return reverse("trainees:export_data", args=[user.trainee_profile.pk])


def erase_url(user) -> str:
    return reverse("trainees:erase_data", args=[user.trainee_profile.pk])


def staff_member(username: str, *, group: str | None = None, permissions: tuple[str, ...] = ()):
    user = make_trainee(username)
    if group:
        user.groups.add(Group.objects.get(name=group))
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *(Permission.objects.get(codename=codename) for codename in permissions),
    )
    return user


def test_the_trainee_list_and_edit_page_offer_the_actions(world, admin_client):
    listing = admin_client.get(reverse("trainees:index")).content.decode()
    assert export_url(world["jan"]) in listing and erase_url(world["jan"]) in listing
    edit_url = reverse("trainees:edit", args=[world["jan"].trainee_profile.pk])
    page = admin_client.get(edit_url).content.decode()
    assert export_url(world["jan"]) in page and "Erase personal data" in page


def test_the_export_downloads_the_trainees_json(world, admin_client):
    response = admin_client.get(export_url(world["jan"]))

    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    filename = f"trainee-jkowalski-{timezone.localdate().isoformat()}.json"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    document = json.loads(response.content)
    assert document["format"] == privacy.EXPORT_FORMAT
    assert document["profile"]["unit"][-1] == "KMP w Chełmie"  # UTF-8, not escaped
    assert "Chełmie" in response.content.decode()


def test_the_confirmation_names_what_goes_and_what_stays(world, admin_client):
    page = admin_client.get(erase_url(world["jan"])).content.decode()
    assert "Jan Kowalski (jkowalski)" in page
    assert "Kept, anonymised" in page and 'name="username"' in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_erasure_needs_the_username_typed(world, admin_client):
    response = admin_client.post(erase_url(world["jan"]), {"username": "jkowalsk"})

    assert response.status_code == 400
    assert "This is not the trainee’s username; nothing was erased." in response.content.decode()
    assert get_user_model().objects.filter(username="jkowalski").exists()


def test_erasure_from_the_admin(world, admin_client, admin_user):
    response = admin_client.post(erase_url(world["jan"]), {"username": "jkowalski"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("trainees:index")
    jan = get_user_model().objects.get(pk=world["jan"].pk)
    assert jan.username.startswith("erased-")
    assert f"under the anonymous account {jan.username}" in response.content.decode()
    entry = ModelLogEntry.objects.get(action=privacy.ERASURE_ACTION)
    assert entry.user == admin_user


def test_the_erasure_page_refuses_a_trainers_account(world, admin_client):
    trainer = staff_member("instruktor2", group="Reviewers")
    TraineeProfile.objects.create(user=trainer)

    page = admin_client.get(erase_url(trainer)).content.decode()
    assert "“instruktor2” is an administrator, editor or trainer account." in page
    assert 'name="username"' not in page
    response = admin_client.post(erase_url(trainer), {"username": "instruktor2"})
    assert response.status_code == 400
    assert get_user_model().objects.filter(username="instruktor2", is_active=True).exists()


def is_denied(response) -> bool:
    """Wagtail turns a 403 in its admin into a redirect to the dashboard with a message."""
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_trainer_may_neither_export_nor_erase(world, client, method):
    client.force_login(staff_member("instruktor2", group="Reviewers"))

    for url in (export_url(world["jan"]), erase_url(world["jan"])):
        assert is_denied(getattr(client, method)(url, {"username": "jkowalski"}))
    assert get_user_model().objects.filter(username="jkowalski").exists()
    assert "Export data" not in client.get(reverse("trainees:index")).content.decode()


def test_a_trainee_may_neither_export_nor_erase(world, client):
    client.force_login(world["anna"])

    assert client.get(export_url(world["jan"])).status_code == 302  # to the admin's sign-in
    client.post(erase_url(world["jan"]), {"username": "jkowalski"})
    assert get_user_model().objects.filter(username="jkowalski").exists()


def test_an_administrator_with_the_permission_handles_trainees_only(world, client):
    officer = staff_member("iod", permissions=("delete_traineeprofile", "view_traineeprofile"))
    trainer = staff_member("instruktor2", group="Reviewers")
    TraineeProfile.objects.create(user=trainer)
    client.force_login(officer)

    assert client.get(export_url(world["jan"])).status_code == 200
    assert is_denied(client.get(export_url(trainer)))  # an account with admin access
    response = client.post(erase_url(world["jan"]), {"username": "jkowalski"})
    assert response.status_code == 302
    assert ModelLogEntry.objects.get(action=privacy.ERASURE_ACTION).user == officer


# -------------------------------------------------------------------------- management command


def test_the_command_exports_to_a_file_and_to_the_standard_output(world, tmp_path):
    target = tmp_path / "jan.json"
    out = io.StringIO()

    call_command("trainee_data", "export", "jkowalski", "--output", str(target), stdout=out)

    assert out.getvalue().strip() == f"jkowalski: data written to {target}."
    assert json.loads(target.read_text(encoding="utf-8"))["account"]["email"] == "jan@policja.pl"
    out = io.StringIO()
    call_command("trainee_data", "export", "jkowalski", stdout=out)
    assert json.loads(out.getvalue())["profile"]["rank"] == "sierż."


def test_the_command_erases_with_confirmation(world):
    with pytest.raises(CommandError, match="add --yes to confirm"):
        call_command("trainee_data", "erase", "jkowalski")
    assert get_user_model().objects.filter(username="jkowalski").exists()
    out = io.StringIO()

    call_command("trainee_data", "erase", "jkowalski", "--yes", stdout=out)

    jan = get_user_model().objects.get(pk=world["jan"].pk)
    assert out.getvalue().startswith(
        f"jkowalski: personal data erased; the results stay in the "
        f"reports under {jan.username} (2 answer(s) blanked"
    )
    entry = ModelLogEntry.objects.get(action=privacy.ERASURE_ACTION)
    assert entry.user is None  # the command line


@pytest.mark.parametrize("action", [["export"], ["erase", "--yes"]])
def test_the_command_names_an_unknown_user(action, world):
    with pytest.raises(CommandError, match=r"^No user with the username “nikt”\.$"):
        call_command("trainee_data", action[0], "nikt", *action[1:])


def test_the_command_refuses_an_administrator(admin_user):
    with pytest.raises(CommandError, match="“admin” is an administrator"):
        call_command("trainee_data", "erase", "admin", "--yes")


def test_the_command_line_error_has_no_traceback(world, capsys):
    with pytest.raises(SystemExit) as exit:
        ManagementUtility(["manage.py", "trainee_data", "export", "nikt"]).execute()

    assert exit.value.code == 1
    assert capsys.readouterr().err == "CommandError: No user with the username “nikt”.\n"
