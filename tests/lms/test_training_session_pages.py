"""Classroom sessions on the pages: the trainee registers and cancels from My courses, the
trainer manages sessions, the roster and attendance in the admin, and the "Session
participants" report."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.users.models import UserProfile

from lms import services
from lms.models import SessionRegistration, TraineeProfile, TrainingSession, Unit
from tests.lms.learning import make_course_with_modules, make_trainee
from tests.lms.test_training_sessions import make_session, make_session_admin, make_trainer

pytestmark = pytest.mark.django_db

Status = SessionRegistration.Status


def in_english(user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"  # the admin in English: assertions read the msgids
    profile.save()
    return user


@pytest.fixture
def course():
    course, _ = make_course_with_modules(1, title="Przemyt – seminarium")
    return course


@pytest.fixture
def trainee(client):
    user = make_trainee()
    client.force_login(user)
    return user


# --------------------------------------------------------------------------- trainee


def test_my_courses_links_to_open_sessions_and_lists_registrations(client, trainee, course):
    session = make_session(course, title="Warsztaty: poszukiwania", capacity=1)
    services.enrol(trainee, course)

    page = client.get(reverse("learner:my_courses"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    sessions_url = reverse("learner:course_sessions", args=[course.pk])
    assert sessions_url in page
    assert "Upcoming sessions" not in page

    services.register_for_session(make_trainee("inny"), session)
    services.register_for_session(trainee, session)
    page = client.get(reverse("learner:my_courses")).content.decode()

    assert "Warsztaty: poszukiwania" in page
    assert (
        reverse(
            "learner:cancel_session_registration", args=[session.registrations.get(user=trainee).pk]
        )
        in page
    )


def test_my_courses_runs_the_same_queries_for_1_and_4_registrations(client, trainee, course):
    services.enrol(trainee, course)
    counts = []
    for count in (1, 3):
        for _ in range(count):
            services.register_for_session(trainee, make_session(course))
        client.get(reverse("learner:my_courses"))  # warms per-process caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("learner:my_courses")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_registering_gives_a_seat_then_a_place_on_the_waiting_list(client, trainee, course):
    session = make_session(course, capacity=1)
    sessions_url = reverse("learner:course_sessions", args=[course.pk])
    page = client.get(sessions_url).content.decode()
    assert reverse("learner:register_for_session", args=[session.pk]) in page

    response = client.post(reverse("learner:register_for_session", args=[session.pk]), follow=True)

    assert response.redirect_chain == [(sessions_url, 302)]
    assert session.registrations.get(user=trainee).status == Status.REGISTERED
    assert trainee.enrolments.filter(course=course).exists()

    late = make_trainee("spozniony")
    client.force_login(late)
    response = client.post(
        reverse("learner:register_for_session", args=[session.pk]),
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    messages = [str(m) for m in response.context["messages"]]
    assert session.registrations.get(user=late).status == Status.WAITLISTED
    assert any("liście rezerwowej" in m and "pozycji 1" in m for m in messages), messages


def test_cancelling_from_my_courses_promotes_the_next_trainee(client, trainee, course):
    session = make_session(course, capacity=1)
    mine = services.register_for_session(trainee, session)
    waiting = services.register_for_session(make_trainee("czeka"), session)

    response = client.post(
        reverse("learner:cancel_session_registration", args=[mine.pk]),
        {"next": "https://evil.example.org/"},
    )

    assert response.url == reverse("learner:my_courses")  # not somewhere else
    waiting.refresh_from_db()
    assert waiting.status == Status.REGISTERED


def test_a_trainee_cannot_cancel_anyone_elses_registration(client, trainee, course):
    other = services.register_for_session(make_trainee("inny"), make_session(course))
    response = client.post(reverse("learner:cancel_session_registration", args=[other.pk]))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == Status.REGISTERED


def test_registering_for_a_started_session_is_refused_with_a_message(client, trainee, course):
    session = make_session(course, starts_in=-timedelta(minutes=5))
    response = client.post(
        reverse("learner:register_for_session", args=[session.pk]),
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "już się rozpoczęły" in str(next(iter(response.context["messages"])))
    assert not session.registrations.exists()


def test_registering_needs_post_and_a_session(client, trainee, course):
    session = make_session(course)
    assert client.get(reverse("learner:register_for_session", args=[session.pk])).status_code == 405
    assert client.post(reverse("learner:register_for_session", args=[999999])).status_code == 404
    assert client.get(reverse("learner:course_sessions", args=[999999])).status_code == 404


# --------------------------------------------------------------------------- admin


@pytest.fixture
def trainer(client):
    user = in_english(make_trainer())
    client.force_login(user)
    return user


def admin_url(name: str, *args) -> str:
    return reverse(f"training-sessions:{name}", args=args)


def test_a_trainer_lists_and_edits_only_the_sessions_they_lead(client, trainer, course):
    own = make_session(course, title="Moja sesja", trainer=trainer)
    other = make_session(course, title="Cudza sesja", trainer=make_trainer("inny-trener"))

    page = client.get(admin_url("index")).content.decode()
    found = client.get(admin_url("index"), {"q": "sesja"}).content.decode()

    assert "Moja sesja" in page and "Moja sesja" in found
    assert "Cudza sesja" not in page and "Cudza sesja" not in found
    for name in ("edit", "delete", "history", "usage", "roster"):
        assert client.get(admin_url(name, own.pk)).status_code == 200, name
    for name in ("edit", "delete", "history", "usage", "roster"):
        assert client.get(admin_url(name, other.pk)).status_code == 404


def test_a_session_administrator_sees_every_session(client, course):
    client.force_login(in_english(make_session_admin()))
    make_session(course, title="Cudza sesja", trainer=make_trainer("inny-trener"))
    assert "Cudza sesja" in client.get(admin_url("index")).content.decode()


def test_trainees_have_no_access(client, trainee, course):
    session = make_session(course)
    assert client.get(admin_url("index")).status_code in (302, 403)
    assert client.get(admin_url("roster", session.pk)).status_code in (302, 403)


def test_a_trainer_creates_a_session_they_lead(client, trainer, course):
    starts = timezone.localtime() + timedelta(days=3)
    data = {
        "course": course.pk,
        "kind": TrainingSession.Kind.LANGUAGE_COURSE,
        "title": "Język ukraiński w służbie",
        "description": "",
        "starts_at": starts.strftime("%Y-%m-%d %H:%M"),
        "ends_at": (starts - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
        "place": "KPP Sejny",
        "trainer": trainer.pk,
        "capacity": 12,
    }
    response = client.post(admin_url("add"), data)
    assert response.status_code == 200  # the end before the start: the field says so
    assert "The session must end after it starts." in response.content.decode()

    data["ends_at"] = (starts + timedelta(hours=4)).strftime("%Y-%m-%d %H:%M")
    response = client.post(admin_url("add"), data)

    assert response.status_code == 302
    assert TrainingSession.objects.get().trainer == trainer


def test_a_bigger_capacity_in_the_form_gives_seats_to_the_waiting(client, trainer, course):
    session = make_session(course, capacity=1, trainer=trainer)
    for name in ("a", "b"):
        services.register_for_session(make_trainee(name), session)
    starts, ends = (timezone.localtime(t) for t in (session.starts_at, session.ends_at))
    data = {
        "course": course.pk,
        "kind": session.kind,
        "title": session.title,
        "starts_at": starts.strftime("%Y-%m-%d %H:%M"),
        "ends_at": ends.strftime("%Y-%m-%d %H:%M"),
        "place": session.place,
        "trainer": trainer.pk,
        "capacity": 2,
    }
    assert client.post(admin_url("edit", session.pk), data).status_code == 302
    assert set(session.registrations.values_list("status", flat=True)) == {Status.REGISTERED}


def test_the_roster_assigns_a_trainee_and_saves_attendance_in_one_request(client, trainer, course):
    session = make_session(course, capacity=2, starts_in=-timedelta(hours=1), trainer=trainer)
    came, missed = make_trainee("przyszedl"), make_trainee("nie-przyszedl")
    services.register_for_session(came, session, by=trainer)
    roster_url = admin_url("roster", session.pk)

    response = client.post(roster_url, {"action": "assign", "username": "nikt"})
    assert response.status_code == 400
    assert "No active user has this username." in response.content.decode()
    response = client.post(roster_url, {"action": "assign", "username": missed.username})
    assert response.status_code == 302

    page = client.get(roster_url).content.decode()
    assert 'name="present"' in page
    response = client.post(roster_url, {"action": "attendance", "present": [came.pk]})

    assert response.status_code == 302
    marks = dict(session.registrations.values_list("user__username", "attended"))
    assert marks == {"przyszedl": True, "nie-przyszedl": False}


def test_attendance_before_the_session_is_refused_on_the_form(client, trainer, course):
    session = make_session(course, trainer=trainer)
    trainee = make_trainee()
    services.register_for_session(trainee, session)

    response = client.post(
        admin_url("roster", session.pk), {"action": "attendance", "present": [trainee.pk]}
    )

    assert response.status_code == 400
    assert "once the session has started" in response.content.decode()
    assert session.registrations.get().attended is None


def test_the_trainer_cancels_a_registration_from_the_roster(client, trainer, course):
    session = make_session(course, capacity=1, trainer=trainer)
    seat = services.register_for_session(make_trainee("a"), session)
    services.register_for_session(make_trainee("b"), session)

    response = client.post(
        admin_url("roster", session.pk), {"action": "cancel", "registration": seat.pk}
    )

    assert response.status_code == 302
    assert dict(session.registrations.values_list("user__username", "status")) == {
        "a": Status.CANCELLED,
        "b": Status.REGISTERED,
    }


# --------------------------------------------------------------------------- report


def build_report_data(course, trainer, count: int, unit: Unit) -> None:
    """`count` past seminars, each with `count` trainees of `unit` present and one waiting."""
    for number in range(count):
        session = make_session(
            course,
            capacity=count,
            kind=TrainingSession.Kind.SEMINAR,
            starts_in=-timedelta(days=2),
            trainer=trainer,
        )
        users = [make_trainee(f"u-{count}-{number}-{n}") for n in range(count + 1)]
        for user in users:
            TraineeProfile.objects.create(user=user, unit=unit)
            services.register_for_session(user, session, by=trainer)
        services.mark_attendance(session, [u.pk for u in users], by=trainer)


def test_the_session_participants_report_and_its_csv(client, course):
    national = Unit.add_root(name="Komenda Główna Policji", code="kgp", kind="national")
    lublin = national.add_child(name="KWP Lublin", code="kwp-lublin", kind="voivodeship")
    olsztyn = Unit.objects.get(pk=national.pk).add_child(
        name="KWP Olsztyn", code="kwp-olsztyn", kind="voivodeship"
    )
    trainer = in_english(make_trainer())
    TraineeProfile.objects.create(user=trainer, unit=national)
    client.force_login(trainer)
    url = reverse("lms_reports:session_participants")

    counts = []
    for count in (1, 3):
        build_report_data(course, trainer, count, lublin)
        query = f"?unit={lublin.pk}"
        client.get(url + query)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url + query).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]

    response = client.get(f"{url}?unit={lublin.pk}&export=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:6] == [
        "Kind of session",
        "Sessions",
        "Seats taken",
        "On the waiting list",
        "Present",
        "Absent",
    ]
    seminar = next(row for row in rows if row[0] == "Seminar")
    # 1 + 3 seminars; 1 + 9 seats, all present; the one left waiting at each is not marked.
    assert seminar[1:7] == ["4", "10", "4", "10", "0", "100.0"]

    response = client.get(f"{url}?unit={olsztyn.pk}&export=csv")
    seminar = next(
        row
        for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
        if row[0] == "Seminar"
    )
    assert seminar[1:6] == ["0", "0", "0", "0", "0"]

    page = client.get(reverse("lms_reports:index")).content.decode()
    assert url in page


def test_bad_roster_posts_are_400_not_500(client, trainer, course):
    session = make_session(course, starts_in=-timedelta(hours=1), trainer=trainer)
    services.register_for_session(make_trainee(), session, by=trainer)
    roster_url = admin_url("roster", session.pk)

    for data in (
        {"action": "cancel", "registration": "abc"},
        {"action": "attendance", "present": ["abc"]},
        {"action": "attendance", "present": [trainer.pk]},  # not on the roster
        {"action": "unknown"},
    ):
        assert client.post(roster_url, data).status_code == 400, data
    assert session.registrations.get().attended is None
