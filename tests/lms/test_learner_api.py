"""The learner API (/api/v1/me/..., /api/v1/reports/...): each role reads only its own data,
bad filters are 400s with a message per field, query counts are fixed, the schema is whole."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS, reset_generator_stats
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from lms.models import ModuleProgress, SessionRegistration, TrainingSession
from tests.factories import make_catalogue, make_course, make_home
from tests.lms.learning import make_course_with_modules
from tests.lms.trainer_scope_data import certify, enrol, make_two_voivodeships, trainee_in

pytestmark = pytest.mark.django_db

ME = ["/api/v1/me/courses/", "/api/v1/me/certificates/"]
REPORTS = {
    "course-completion": "/api/v1/reports/course-completion/",
    "unit-completion": "/api/v1/reports/unit-completion/",
    "score-distribution": "/api/v1/reports/score-distribution/",
    "overdue": "/api/v1/reports/overdue/",
    "session-participants": "/api/v1/reports/session-participants/",
}
NO_UNIT = "Your account has no unit; ask an administrator."


@pytest.fixture
def data():
    return make_two_voivodeships()


def client_for(user=None) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_authenticate(user)
    return client


def get(user, path: str, **query):
    return client_for(user).get(path, query)


def report(user, name: str, data: dict, **query):
    if name == "score-distribution":
        query.setdefault("quiz", data["quiz"].pk)
    return get(user, REPORTS[name], **query)


# --------------------------------------------------------------------------- a trainee's own


def test_a_trainee_reads_their_own_courses_with_progress(data):
    anna = data["trainees"]["anna"]
    course, modules = make_course_with_modules(2, with_quiz=False, title="Kontrola graniczna")
    enrolment = enrol(anna, course, overdue_days=3)
    ModuleProgress.objects.create(
        user=anna, module=modules[0], viewed_at=timezone.now(), completed_at=timezone.now()
    )

    response = get(anna, ME[0])

    assert response.status_code == 200
    rows = {row["title"]: row for row in response.data["results"]}
    assert set(rows) == {"Kontrola graniczna", "Poszukiwania", "Przemyt"}
    assert response.data["count"] == 3
    border = rows["Kontrola graniczna"]
    assert border == {
        "course": course.pk,
        "title": "Kontrola graniczna",
        "url": border["url"],
        "stage": "in_progress",
        "source": "self",
        "percent": 50,
        "modules_done": 1,
        "modules_total": 2,
        "enrolled_at": border["enrolled_at"],
        "due_date": enrolment.due_date.isoformat(),
        "is_overdue": True,
        "completed_at": None,
        "certificate_code": None,
    }
    assert border["url"].startswith("http") and border["url"].endswith(f"/{course.slug}/")
    searches = rows["Poszukiwania"]
    assert searches["stage"] == "completed" and searches["completed_at"] is not None
    assert searches["certificate_code"] == anna.certificates.get().code


def test_a_trainee_never_sees_another_trainees_courses_or_certificates(data):
    anna, bartek, ewa = (data["trainees"][name] for name in ("anna", "bartek", "ewa"))

    courses = {user.username: get(user, ME[0]).data["results"] for user in (anna, bartek)}
    certificates = {user.username: get(user, ME[1]).data["results"] for user in (anna, ewa)}

    assert [row["title"] for row in courses["bartek"]] == ["Poszukiwania"]
    assert sorted(row["title"] for row in courses["anna"]) == ["Poszukiwania", "Przemyt"]
    assert [c["code"] for c in certificates["anna"]] == [anna.certificates.get().code]
    assert [c["code"] for c in certificates["ewa"]] == [ewa.certificates.get().code]
    assert get(bartek, ME[1]).data["results"] == []


def test_certificates_link_their_pdf_and_public_verification(data, client):
    anna = data["trainees"]["anna"]
    certificate = anna.certificates.get()

    (row,) = get(anna, ME[1]).data["results"]

    assert row["course"] == data["searches"].pk and row["course_title"] == "Poszukiwania"
    assert row["holder_name"] == "Anna Nowak" and row["language"] == "pl"
    assert row["download_url"].endswith(f"/my-courses/certificates/{certificate.code}.pdf")
    assert row["verification_url"] == f"http://testserver/pl/certificates/{certificate.code}/"
    pdf_path = row["download_url"].removeprefix("http://testserver")
    client.force_login(data["trainees"]["bartek"])
    assert client.get(pdf_path).status_code == 404  # the PDF is its holder's only
    client.force_login(anna)
    assert client.get(pdf_path)["Content-Type"] == "application/pdf"
    assert client.get(row["verification_url"]).status_code == 200


# --------------------------------------------------------------------------- who may call what


def test_anonymous_callers_are_refused_everywhere(data):
    for path in [*ME, *REPORTS.values()]:
        assert client_for().get(path).status_code in (401, 403), path


def test_trainees_may_not_read_reports(data):
    anna = data["trainees"]["anna"]
    for name in REPORTS:
        response = report(anna, name, data)
        assert response.status_code == 403, name
        assert "results" not in response.data


@pytest.mark.parametrize("trainer", ["trainer_without_profile", "trainer_without_unit"])
def test_a_trainer_without_a_unit_reads_no_report_and_is_told_why(data, trainer):
    for name in REPORTS:
        response = report(data[trainer], name, data)
        assert response.status_code == 403, name
        assert response.data["detail"] == NO_UNIT


# --------------------------------------------------------------------------- the trainer scope


def course_figures(response) -> dict[str, tuple]:
    return {
        row["title"]: (row["enrolled"], row["completed"], row["certified"])
        for row in response.data["results"]
    }


def unit_figures(response) -> list[tuple]:
    return [(row["name"], row["enrolled"], row["completed"]) for row in response.data["results"]]


def overdue_trainees(response) -> list[str]:
    return [row["username"] for row in response.data["results"]]


def test_a_lublin_trainer_never_sees_bialystok_figures(data):
    trainer = data["lublin_trainer"]

    assert course_figures(report(trainer, "course-completion", data)) == {
        "Poszukiwania": (3, 2, 1),
        "Przemyt": (1, 0, 0),  # anna's; ewa of Białystok completed it
    }
    assert unit_figures(report(trainer, "unit-completion", data)) == [
        ("KWP Lublin", 4, 2),
        ("KMP Biała", 1, 0),
        ("KMP Chełm", 2, 1),
    ]
    scores = report(trainer, "score-distribution", data).data
    assert (scores["attempts"], scores["passed"]) == (2, 1)  # anna 95, bartek 45
    assert scores["pass_rate"] == 50.0 and scores["average_percent"] == 70.0
    assert {band["low"]: band["attempts"] for band in scores["bands"] if band["attempts"]} == {
        40: 1,
        90: 1,
    }
    overdue = report(trainer, "overdue", data)
    assert overdue_trainees(overdue) == ["anna"]
    assert overdue.data["results"][0]["unit"] == "KMP Chełm"
    assert overdue.data["results"][0]["days_overdue"] == 5

    chelm = {"unit": data["units"]["kmp-chelm"].pk}
    assert unit_figures(report(trainer, "unit-completion", data, **chelm)) == [("KMP Chełm", 2, 1)]
    assert report(trainer, "score-distribution", data, **chelm).data["attempts"] == 1


def session_figures(response) -> dict[str, tuple]:
    return {
        row["kind"]: (row["sessions"], row["registered"], row["waitlisted"], row["present"])
        for row in response.data
        if row["sessions"]
    }


def test_session_participants_are_counted_within_the_trainers_units(data):
    trainees = data["trainees"]
    starts = timezone.now() - timedelta(days=3)
    workshop = TrainingSession.objects.create(
        course=data["searches"],
        kind=TrainingSession.Kind.WORKSHOP,
        title="Warsztaty",
        starts_at=starts,
        ends_at=starts + timedelta(hours=6),
        place="Lublin",
        capacity=2,
    )
    status = SessionRegistration.Status
    for name, state, attended in (
        ("anna", status.REGISTERED, True),
        ("darek", status.REGISTERED, True),
        ("bartek", status.WAITLISTED, None),
    ):
        SessionRegistration.objects.create(
            session=workshop, user=trainees[name], status=state, attended=attended
        )

    lublin = report(data["lublin_trainer"], "session-participants", data)
    assert session_figures(lublin) == {"workshop": (1, 1, 1, 1)}
    assert lublin.data[0]["label"] == "Workshop"
    national = report(data["national_trainer"], "session-participants", data)
    assert session_figures(national) == {"workshop": (1, 2, 1, 2)}
    later = {"date_from": timezone.localdate().isoformat()}
    upcoming = report(data["national_trainer"], "session-participants", data, **later)
    assert session_figures(upcoming) == {}


def test_a_national_trainer_and_a_superuser_see_every_unit(data):
    superuser = get_user_model().objects.create_superuser("root", password="x-Password-1")
    for user in (data["national_trainer"], superuser):
        assert course_figures(report(user, "course-completion", data)) == {
            "Poszukiwania": (5, 2, 1),
            "Przemyt": (2, 1, 1),
        }
        assert unit_figures(report(user, "unit-completion", data))[:3] == [
            ("Komenda Główna Policji", 6, 3),
            ("KWP Białystok", 2, 1),
            ("KMP Suwałki", 1, 0),
        ]
        assert report(user, "score-distribution", data).data["attempts"] == 4
        assert overdue_trainees(report(user, "overdue", data)) == ["franek", "darek", "anna"]
        bialystok = {"unit": data["units"]["kwp-bialystok"].pk}
        assert overdue_trainees(report(user, "overdue", data, **bialystok)) == ["darek"]


def test_filters_narrow_the_reports(data):
    trainer = data["national_trainer"]
    smuggling = {"course": data["smuggling"].pk}
    assert course_figures(report(trainer, "course-completion", data, **smuggling)) == {
        "Przemyt": (2, 1, 1)
    }
    assert overdue_trainees(report(trainer, "overdue", data, **smuggling)) == ["anna"]
    april = {"date_from": "2026-04-01", "date_to": "2026-04-30"}  # everyone enrolled in March
    assert course_figures(report(trainer, "course-completion", data, **april)) == {
        "Poszukiwania": (0, 0, 0),
        "Przemyt": (0, 0, 0),
    }
    assert report(trainer, "score-distribution", data, **april).data["attempts"] == 0


# --------------------------------------------------------------------------- bad filters


@pytest.mark.parametrize("name", list(REPORTS))
def test_bad_filters_are_400s_with_a_message_per_field(data, name):
    trainer = data["lublin_trainer"]
    cases = [
        ({"unit": 999999}, "unit", "Select a valid choice"),  # no such unit
        ({"unit": data["units"]["kwp-bialystok"].pk}, "unit", "Select a valid choice"),
        ({"unit": data["units"]["kgp"].pk}, "unit", "Select a valid choice"),  # above theirs
        ({"date_from": "2026-05-01", "date_to": "2026-04-01"}, "date_to", "before its start"),
        ({"date_from": "1 May"}, "date_from", "Enter a valid date"),
    ]
    if name == "score-distribution":
        cases.append(({"quiz": ""}, "quiz", "This field is required"))
        cases.append(({"quiz": 999999}, "quiz", "Select a valid choice"))
    else:
        cases.append(({"course": 999999}, "course", "Select a valid choice"))
    for query, field, message in cases:
        response = report(trainer, name, data, **query)
        assert response.status_code == 400, (query, response.data)
        assert list(response.data) == [field], query
        assert message in str(response.data[field][0]), query


# --------------------------------------------------------------------------- query counts


def own_courses(trainee, count: int) -> None:
    catalogue = make_catalogue(make_home())
    for n in range(count):
        course = make_course(catalogue, title=f"Kurs {n}")
        enrol(trainee, course, completed=n % 2 == 0, overdue_days=None if n % 2 else n + 1)
        if n % 2 == 0:
            certify(trainee, course)


@pytest.mark.parametrize("count", [2, 20])
def test_a_trainees_own_data_takes_fixed_queries(django_assert_num_queries, count):
    trainee = trainee_in("kursant", None)
    own_courses(trainee, count)
    client = client_for(trainee)
    client.get(ME[0])  # warms Wagtail's cached site root paths

    # enrolments with courses, their modules, progress, certificates
    with django_assert_num_queries(4):
        courses = client.get(ME[0])
    # count, page
    with django_assert_num_queries(2):
        certificates = client.get(ME[1])

    assert courses.data["count"] == count and certificates.data["count"] == count // 2


@pytest.mark.parametrize("count", [2, 20])
def test_reports_take_fixed_queries(data, django_assert_num_queries, count):
    chelm = data["units"]["kmp-chelm"]
    for n in range(count):
        enrol(trainee_in(f"extra-{n}", chelm), data["smuggling"], overdue_days=n + 1)
    trainer = client_for(data["lublin_trainer"])
    trainer.get(REPORTS["overdue"])  # reads the trainer's permissions (cached on the user)
    expected = {
        # the trainer's unit; the grouped counts, certificates, the courses
        "course-completion": 4,
        # the trainer's unit; the counts per unit, the units
        "unit-completion": 3,
        # the trainer's unit; the quiz chosen, the translation holding its attempts, the
        # distribution
        "score-distribution": 4,
        # the trainer's unit; the count, the page with trainees, units and courses
        "overdue": 3,
        # the trainer's unit; the counts per kind of session
        "session-participants": 2,
    }
    for name, queries in expected.items():
        query = {"quiz": data["quiz"].pk} if name == "score-distribution" else {}
        with django_assert_num_queries(queries):
            response = trainer.get(REPORTS[name], query)
        assert response.status_code == 200, name
    assert trainer.get(REPORTS["overdue"]).data["count"] == count + 1  # and anna


# --------------------------------------------------------------------------- the schema


#: What the schema generator's messages about these endpoints name: the views' file (its
#: location), the view sets and the serializers.
OUR_NAMES = (
    "lms/api/",
    "MeViewSet",
    "TrainingReportViewSet",
    "CourseProgress",
    "Certificate",
    "Completion",
    "Score",
    "OverdueEnrolment",
    "SessionParticipants",
)


def test_the_schema_documents_every_endpoint_without_warnings():
    reset_generator_stats()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    problems = [
        message
        for message in [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
        if any(name in message for name in OUR_NAMES)
    ]
    assert problems == []
    validate_schema(schema)

    paths = schema["paths"]
    for path in [*ME, *REPORTS.values()]:
        assert "get" in paths[path], path
        assert paths[path]["get"]["responses"]["200"]["content"]["application/json"]
    report_parameters = {
        name: {parameter["name"] for parameter in paths[path]["get"]["parameters"]}
        for name, path in REPORTS.items()
    }
    assert report_parameters["course-completion"] == {
        "course", "unit", "date_from", "date_to", "page"
    }  # fmt: skip
    assert report_parameters["score-distribution"] == {"quiz", "unit", "date_from", "date_to"}
    components = schema["components"]["schemas"]
    assert {"code", "download_url", "verification_url"} <= set(
        components["Certificate"]["properties"]
    )
    assert "percent" in components["CourseProgress"]["properties"]
    assert "bands" in components["ScoreDistribution"]["properties"]
