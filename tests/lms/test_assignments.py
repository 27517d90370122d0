"""Courses assigned to units and groups: who gets enrolled, with which due date, the admin's
assignment pages and the trainee's dashboard."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lms import accounts, services
from lms.models import Assignment, Enrolment, TraineeProfile
from tests.factories import make_catalogue, make_home
from tests.lms.learning import make_course_with_modules, make_trainee
from tests.lms.units import make_units

pytestmark = pytest.mark.django_db


# Dates are read when a test runs, not when it is collected: a run crossing midnight
# would otherwise compare with yesterday's date.
def today() -> date:
    return timezone.localdate()


def next_month() -> date:
    return today() + timedelta(days=30)


@pytest.fixture
def units():
    return make_units()


@pytest.fixture
def course():
    course, _modules = make_course_with_modules(2, completion_rule="viewed")
    return course


def trainee_in(unit, username):
    user = make_trainee(username)
    TraineeProfile.objects.create(user=user, unit=unit)
    return user


def enrolment(user, course):
    return Enrolment.objects.get(user=user, course=course)


def enrolled(course):
    return set(Enrolment.objects.filter(course=course).values_list("user__username", flat=True))


def test_a_unit_with_its_subunits_or_without(units, course):
    trainee_in(units["kwp-lublin"], "lublin")
    trainee_in(units["kmp-chelm"], "chelm")
    trainee_in(units["kwp-rzeszow"], "rzeszow")
    other, _ = make_course_with_modules(1, catalogue=course.get_parent().specific)

    services.assign_course(course, unit=units["kwp-lublin"], due_date=next_month(), by=None)
    services.assign_course(
        other, unit=units["kwp-lublin"], include_subunits=False, due_date=next_month(), by=None
    )

    assert enrolled(course) == {"lublin", "chelm"}
    assert enrolled(other) == {"lublin"}
    row = Enrolment.objects.filter(course=course).first()
    assert row.source == Enrolment.Source.ASSIGNED and row.due_date == next_month()


def test_a_group(course):
    group = Group.objects.create(name="Grupa szkoleniowa")
    member, _outsider = make_trainee("member"), make_trainee("outsider")
    member.groups.add(group)

    assignment = services.assign_course(course, group=group, due_date=next_month(), by=None)

    assert enrolled(course) == {"member"} and assignment.unit is None


def test_a_self_enrolment_becomes_assigned_and_a_completion_stays(units, course):
    self_enrolled = trainee_in(units["kwp-lublin"], "self")
    finished = trainee_in(units["kwp-lublin"], "finished")
    services.enrol(self_enrolled, course)
    for module in course.get_children().specific():
        services.record_module_viewed(finished, module)
    completed_at = enrolment(finished, course).completed_at

    services.assign_course(course, unit=units["kwp-lublin"], due_date=next_month(), by=None)

    row = enrolment(self_enrolled, course)
    assert row.source == Enrolment.Source.ASSIGNED and row.due_date == next_month()
    row = enrolment(finished, course)
    assert row.completed_at == completed_at and row.due_date is None


def test_the_earlier_due_date_wins_when_assignments_overlap(units, course):
    trainee = trainee_in(units["kmp-chelm"], "chelm")
    sooner = today() + timedelta(days=7)

    services.assign_course(course, unit=units["kmp-chelm"], due_date=sooner, by=None)
    services.assign_course(course, unit=units["kgp"], due_date=next_month(), by=None)
    assert enrolment(trainee, course).due_date == sooner

    services.assign_course(course, unit=units["kwp-lublin"], due_date=today(), by=None)
    assert enrolment(trainee, course).due_date == today()


def test_the_assignment_stores_the_source_language_course(course):
    group = Group.objects.create(name="Grupa")
    assignment = services.assign_course(course, group=group, due_date=next_month(), by=None)
    assert assignment.course_id == course.pk


def test_trainees_who_join_later_get_the_assignment(units, course):
    group = Group.objects.create(name="Grupa")
    services.assign_course(course, unit=units["kwp-lublin"], due_date=next_month(), by=None)
    other, _ = make_course_with_modules(1, catalogue=course.get_parent().specific)
    services.assign_course(other, group=group, due_date=next_month(), by=None)

    created = accounts.create_trainee(
        accounts.TraineeData("nowy", "Jan", "Nowak", "jan@example.com", units["kmp-chelm"])
    )
    moved = trainee_in(units["kwp-rzeszow"], "moved")
    accounts._save_trainee(
        moved, accounts.TraineeData("moved", "Ewa", "Kowal", "e@example.com", units["kwp-lublin"])
    )
    joined = make_trainee("joined")
    group.user_set.add(joined)  # from the group's side of the relation

    assert enrolled(course) == {"nowy", "moved"}
    assert enrolment(created, course).due_date == next_month()
    assert enrolled(other) == {"joined"}


def test_moving_a_trainee_in_the_admin_applies_the_assignments(admin_client, units, course):
    services.assign_course(course, unit=units["kwp-rzeszow"], due_date=next_month(), by=None)
    trainee = trainee_in(units["kmp-chelm"], "chelm")

    response = admin_client.post(
        f"/admin/trainees/edit/{trainee.trainee_profile.pk}/",
        {"unit": units["kwp-rzeszow"].pk, "rank": "", "preferred_language": "pl"},
    )

    assert response.status_code == 302 and enrolled(course) == {"chelm"}


def test_assigning_takes_the_same_queries_for_3_or_30_trainees(units, course):
    def queries_for(count: int) -> int:
        unit = units["kwp-lublin"].add_child(code=f"u{count}", name=f"U{count}", kind="district")
        for number in range(count):
            trainee_in(unit, f"t{count}-{number}")
        with CaptureQueriesContext(connection) as queries:
            services.assign_course(course, unit=unit, due_date=next_month(), by=None)
        assert Enrolment.objects.filter(user__trainee_profile__unit=unit).count() == count
        return len(queries)

    queries_for(1)  # warm per-process caches (content types for the reference index)
    assert queries_for(3) == queries_for(30)


# --- admin ---------------------------------------------------------------------------


def test_administrators_assign_a_course(admin_client, admin_user, units, course):
    trainee_in(units["kmp-chelm"], "chelm")
    assert admin_client.get("/admin/assignments/").status_code == 200

    response = admin_client.post(
        "/admin/assignments/new/",
        {
            "course": course.pk,
            "unit": units["kwp-lublin"].pk,
            "include_subunits": "on",
            "due_date": next_month().isoformat(),
        },
    )

    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert assignment.created_by == admin_user and enrolled(course) == {"chelm"}
    listing = admin_client.get("/admin/assignments/").content.decode()
    assert "zapisani: 1, ukończyli: 0" in listing
    assert admin_client.get(f"/admin/assignments/inspect/{assignment.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "unit"),
        ({"unit": "lublin", "group": "group"}, "group"),
        ({"unit": "lublin", "due_date": -1}, "due_date"),  # days from today,
    ],
)
def test_the_form_wants_a_unit_or_a_group_and_a_date_to_come(
    admin_client, units, course, data, field
):
    group = Group.objects.create(name="Grupa")
    resolved = {
        "unit": units["kwp-lublin"].pk,
        "group": group.pk,
        "due_date": (today() + timedelta(days=data.get("due_date", 0))).isoformat(),
    }
    post = {"course": course.pk, "due_date": next_month().isoformat()}
    post |= {name: resolved.get(name, value) for name, value in data.items()}

    response = admin_client.post("/admin/assignments/new/", post)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert not Assignment.objects.exists()


def test_only_live_courses_are_offered(admin_client, course):
    withdrawn, _ = make_course_with_modules(1, catalogue=course.get_parent().specific)
    withdrawn.unpublish()
    form = admin_client.get("/admin/assignments/new/").context["form"]
    assert list(form.fields["course"].queryset) == [course]


def test_assignments_need_their_permissions(client, django_user_model):
    editor = django_user_model.objects.create_user("editor")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)

    assert client.get("/admin/assignments/").status_code == 302
    assert client.get("/admin/assignments/new/").status_code == 302


# --- the trainee's dashboard ---------------------------------------------------------


def test_the_dashboard_lists_assigned_courses_with_due_dates_overdue_first(client, units):
    catalogue = make_catalogue(make_home())
    trainee = trainee_in(units["kmp-chelm"], "chelm")
    client.force_login(trainee)
    courses = {
        title: make_course_with_modules(1, catalogue=catalogue, title=title)[0]
        for title in ("Przemyt", "Dokumenty", "Wizy", "Azyl")
    }
    services.assign_course(
        courses["Przemyt"], unit=units["kmp-chelm"], due_date=next_month(), by=None
    )
    services.assign_course(
        courses["Dokumenty"], unit=units["kmp-chelm"], due_date=next_month(), by=None
    )
    services.assign_course(courses["Wizy"], unit=units["kmp-chelm"], due_date=next_month(), by=None)
    services.enrol(trainee, courses["Azyl"])  # self-enrolled: no due date
    Enrolment.objects.filter(course=courses["Dokumenty"]).update(due_date=date(2020, 3, 3))
    services.record_module_viewed(trainee, courses["Wizy"].get_children().first().specific)

    html = client.get("/pl/my-courses/").content.decode()

    assigned, in_progress = html.split('id="in-progress"')
    assert assigned.index("Dokumenty") < assigned.index("Przemyt")
    assert "Zaległy: termin minął 3 marca 2020" in assigned
    assert f"Termin: {next_month().day}" in assigned
    cards = {card.split("</a>")[0].rsplit(">")[-1]: card for card in in_progress.split("<li")[1:]}
    assert "Termin:" in cards["Wizy"]  # assigned and started
    assert "Termin" not in cards["Azyl"]  # self-enrolled
