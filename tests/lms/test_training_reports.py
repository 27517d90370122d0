"""Training reports for trainers (lms.reports, lms.report_views): the figures on a small
hand-built data set, fixed query counts, exports, permissions and pagination."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.users.models import UserProfile

from lms import reports
from lms.models import Certificate, Enrolment, TraineeProfile, Unit
from lms.report_views import spreadsheet_cell
from lms.reports import ReportFilters
from quizzes.models import Attempt, AttemptState
from tests.factories import make_catalogue, make_course, make_home
from tests.lms.learning import make_trainee
from tests.quizzes.factories import make_question, make_quiz

pytestmark = pytest.mark.django_db


def at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def trainee_in(username: str, unit: Unit | None):
    user = make_trainee(username, first_name=username.title(), last_name="Nowak")
    if unit is not None:
        TraineeProfile.objects.create(user=user, unit=unit)
    return user


def enrol(user, course, enrolled: date, completed: date | None = None, **fields) -> Enrolment:
    return Enrolment.objects.create(
        user=user,
        course=course,
        enrolled_at=at(enrolled),
        completed_at=at(completed) if completed else None,
        **fields,
    )


def certify(user, course) -> Certificate:
    return Certificate.objects.create(
        user=user, course=course, holder_name=user.get_full_name(), course_title=course.title
    )


def attempt(quiz, user, percent: str, number: int = 1, submitted: date = date(2026, 3, 20)):
    return Attempt.objects.create(
        quiz=quiz,
        user=user,
        number=number,
        state=AttemptState.SUBMITTED,
        seed=1,
        started_at=at(submitted, 10),
        submitted_at=at(submitted, 11),
        percent=Decimal(percent),
        passed=Decimal(percent) >= quiz.pass_mark,
    )


@pytest.fixture
def data():
    """Three levels of units; trainees in different units (one without any);
    enrolments completed or not, certificates, overdue ones; attempts with percents.
    Due dates count from `today`, read now: the reports compare with the date when they run."""
    today = timezone.localdate()
    national = Unit.add_root(name="Komenda Główna Policji", code="kgp", kind="national")
    lublin = national.add_child(name="KWP Lublin", code="kwp-lublin", kind="voivodeship")
    rzeszow = national.add_child(name="KWP Rzeszów", code="kwp-rzeszow", kind="voivodeship")
    chelm = lublin.add_child(name="KMP Chełm", code="kmp-chelm", kind="district")
    biala = lublin.add_child(name="KMP Biała Podlaska", code="kmp-biala", kind="district")
    catalogue = make_catalogue(make_home())
    searches = make_course(catalogue, title="Poszukiwania")
    smuggling = make_course(catalogue, title="Przemyt")

    anna = trainee_in("anna", chelm)
    bartek = trainee_in("bartek", biala)
    celina = trainee_in("celina", lublin)
    darek = trainee_in("darek", rzeszow)
    ewa = trainee_in("ewa", None)

    enrol(anna, searches, date(2026, 3, 1), date(2026, 3, 5))
    certify(anna, searches)
    enrol(anna, smuggling, date(2026, 3, 2), due_date=today - timedelta(days=5))
    enrol(bartek, searches, date(2026, 3, 10), due_date=today + timedelta(days=3))
    enrol(celina, searches, date(2026, 4, 2), date(2026, 4, 12))
    enrol(darek, smuggling, date(2026, 3, 15), date(2026, 3, 17), due_date=today - timedelta(1))
    certify(darek, smuggling)
    enrol(ewa, searches, date(2026, 5, 1), due_date=today - timedelta(days=30))

    quiz = make_quiz([make_question()], title="Sprawdzian")  # highest attempt counts
    attempt(quiz, anna, "95.00")
    attempt(quiz, bartek, "45.00")
    attempt(quiz, bartek, "85.00", number=2)
    attempt(quiz, celina, "100.00")
    attempt(quiz, darek, "10.00", submitted=date(2026, 4, 3))
    Attempt.objects.create(
        quiz=quiz, user=ewa, number=1, seed=1, started_at=at(date(2026, 3, 20))
    )  # in progress: does not count
    return {
        # Fresh from the database: adding a sibling sorted before a unit moves its path.
        "units": {unit.code: unit for unit in Unit.objects.all()},
        "searches": searches,
        "smuggling": smuggling,
        "quiz": quiz,
        "today": today,
    }


# --------------------------------------------------------------------------- the figures


def course_rows(filters: ReportFilters) -> dict[str, tuple]:
    return {
        row.title: (
            row.enrolled,
            row.completed,
            row.certified,
            row.average_time and row.average_time.days,
        )
        for row in reports.course_completion(filters)
    }


def unit_rows(filters: ReportFilters) -> list[tuple]:
    return [(u.name, u.depth, u.enrolled, u.completed) for u in reports.unit_completion(filters)]


def test_completion_per_course(data):
    assert course_rows(ReportFilters()) == {
        "Poszukiwania": (4, 2, 1, 7),  # 4 and 10 days
        "Przemyt": (2, 1, 1, 2),
    }


def test_completion_per_course_for_a_unit_subtree_period_and_course(data):
    lublin = data["units"]["kwp-lublin"]
    assert course_rows(ReportFilters(unit=lublin)) == {
        "Poszukiwania": (3, 2, 1, 7),
        "Przemyt": (1, 0, 0, None),
    }
    march = ReportFilters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
    assert course_rows(march) == {"Poszukiwania": (2, 1, 1, 4), "Przemyt": (2, 1, 1, 2)}
    only = ReportFilters(course=data["smuggling"], unit=data["units"]["kwp-rzeszow"])
    assert course_rows(only) == {"Przemyt": (1, 1, 1, 2)}


def test_completion_per_unit_rolls_up_the_tree(data):
    assert unit_rows(ReportFilters()) == [
        ("Komenda Główna Policji", 1, 5, 3),  # everyone with a unit (not ewa)
        ("KWP Lublin", 2, 4, 2),  # celina, and anna (2 courses) and bartek below
        ("KMP Biała Podlaska", 3, 1, 0),
        ("KMP Chełm", 3, 2, 1),
        ("KWP Rzeszów", 2, 1, 1),
    ]


def test_completion_per_unit_for_a_subtree_course_and_period(data):
    searches_in_march = ReportFilters(
        unit=data["units"]["kwp-lublin"],
        course=data["searches"],
        date_from=date(2026, 3, 1),
        date_to=date(2026, 3, 31),
    )
    assert unit_rows(searches_in_march) == [
        ("KWP Lublin", 2, 2, 1),  # anna and bartek; celina enrolled in April
        ("KMP Biała Podlaska", 3, 1, 0),
        ("KMP Chełm", 3, 1, 1),
    ]


def test_score_distribution_counts_the_attempts_that_count(data):
    figures = reports.score_distribution(data["quiz"], ReportFilters())

    # bartek's best attempt (85) counts, not his 45; ewa's attempt is in progress.
    assert (figures.attempts, figures.passed, figures.average_percent) == (4, 3, 72.5)
    assert {band.low: band.attempts for band in figures.bands if band.attempts} == {
        10: 1,
        80: 1,
        90: 2,  # 95 and 100: the last band takes 100
    }
    assert [(band.low, band.high) for band in figures.bands][-1] == (90, 100)
    assert len(figures.bands) == 10


def test_score_distribution_for_a_unit_subtree_and_period(data):
    lublin = ReportFilters(unit=data["units"]["kwp-lublin"])
    assert reports.score_distribution(data["quiz"], lublin).attempts == 3
    march = ReportFilters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
    figures = reports.score_distribution(data["quiz"], march)
    assert (figures.attempts, figures.passed) == (3, 3)  # darek submitted in April


def test_overdue_enrolments(data):
    rows = [(e.user.username, e.course.title) for e in reports.overdue_enrolments(ReportFilters())]
    # Most overdue first; darek's is completed, bartek's is not due yet.
    assert rows == [("ewa", "Poszukiwania"), ("anna", "Przemyt")]
    chelm = ReportFilters(unit=data["units"]["kmp-chelm"])
    assert [e.user.username for e in reports.overdue_enrolments(chelm)] == ["anna"]
    due_lately = ReportFilters(date_from=data["today"] - timedelta(days=10))
    assert [e.user.username for e in reports.overdue_enrolments(due_lately)] == ["anna"]


# --------------------------------------------------------------------------- query counts


def build(count: int) -> dict:
    """`count` units under a root, courses, trainees (one per unit) and attempts."""
    root = Unit.add_root(name="Komenda", code=f"root-{count}", kind="national")
    catalogue = make_catalogue(make_home())
    courses = [make_course(catalogue, title=f"Kurs {n}") for n in range(count)]
    quiz = make_quiz([make_question()])
    for n in range(count):
        unit = root.add_child(name=f"Jednostka {n}", code=f"j-{count}-{n}", kind="voivodeship")
        user = trainee_in(f"t{count}-{n}", unit)
        for course in courses:
            enrol(user, course, date(2026, 3, 1), date(2026, 3, 2) if n % 2 else None)
        certify(user, courses[0])
        attempt(quiz, user, f"{n * 9}.00")
    Enrolment.objects.update(due_date=timezone.localdate() - timedelta(days=1))
    return {"quiz": quiz, "unit": root}


READS = {
    "course": lambda built: list(reports.course_completion(ReportFilters(unit=built["unit"]))),
    "unit": lambda built: list(reports.unit_completion(ReportFilters())),
    "quiz": lambda built: reports.score_distribution(built["quiz"], ReportFilters()),
    "overdue": lambda built: [
        e.user.trainee_profile.unit.name
        for e in reports.overdue_enrolments(ReportFilters(unit=built["unit"]))
    ],
}


#: Queries of each read: its grouped counts and the rows (courses, units) they go on.
QUERIES = {"course": 3, "unit": 2, "quiz": 1, "overdue": 1}


def test_each_report_takes_a_fixed_number_of_queries_however_many_rows():
    for count in (2, 10):
        built = build(count)
        for name, read in READS.items():
            with CaptureQueriesContext(connection) as queries:
                read(built)
            assert len(queries) == QUERIES[name], (name, count, [q["sql"] for q in queries])


REPORT_URLS = ["completion_per_course", "completion_per_unit", "quiz_scores", "overdue"]


@pytest.fixture
def reviewer(django_user_model):
    """A trainer at national headquarters: every unit is in their scope."""
    user = django_user_model.objects.create_user("recenzent", password="x-Password-1")
    user.groups.add(Group.objects.get(name="Reviewers"))
    headquarters = Unit.add_root(name="Biuro Szkolenia", code="kgp-bs", kind="national")
    TraineeProfile.objects.create(user=user, unit=headquarters)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"  # the admin in English: assertions read the msgids
    profile.save()
    return user


def url(name: str, **query) -> str:
    base = reverse(f"lms_reports:{name}")
    return f"{base}?{urlencode(query)}" if query else base


def test_each_page_and_export_runs_the_same_queries_for_2_and_10(client, reviewer):
    """The second data set comes on top of the first: 12 rows of each kind against 2."""
    client.force_login(reviewer)
    counts: dict[tuple[str, str], list[int]] = {}
    for count in (2, 10):
        built = build(count)
        for name in REPORT_URLS:
            for export in ("", "csv", "xlsx"):
                query = {"date_from": "2026-01-01", "date_to": "2026-12-31", "export": export}
                query["quiz" if name == "quiz_scores" else "unit"] = (
                    built["quiz"].pk if name == "quiz_scores" else built["unit"].pk
                )
                client.get(url(name, **query))  # warms the admin's per-process caches
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url(name, **query))
                assert response.status_code == 200
                counts.setdefault((name, export), []).append(len(queries))
    assert {key: pair for key, pair in counts.items() if pair[0] != pair[1]} == {}


# --------------------------------------------------------------------------- pages and exports


def test_reports_are_for_reviewers_only(client, django_user_model, data):
    editor = django_user_model.objects.create_user("redaktor", password="x-Password-1")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    for name in ["index", *REPORT_URLS]:
        response = client.get(url(name))
        assert response.status_code == 403, name
    response = client.get(url("completion_per_unit", export="csv"))
    assert response.status_code == 403 and "text/csv" not in response["Content-Type"]
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "training-reports" not in menu


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get(url("completion_per_unit"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_unit_report_page_has_the_chart_the_table_and_the_exports(client, reviewer, data):
    client.force_login(reviewer)

    response = client.get(url("completion_per_unit", course=data["searches"].pk))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="img"' in html and '<title id="unit-completion-chart-title">' in html
    assert "<caption" in html and "KMP Biała Podlaska" in html
    assert f"?course={data['searches'].pk}&amp;export=csv" in html
    assert f"?course={data['searches'].pk}&amp;export=xlsx" in html
    assert "training-reports" in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_index_lists_the_reports(client, reviewer):
    client.force_login(reviewer)
    html = client.get(url("index")).content.decode()
    for name in REPORT_URLS:
        assert url(name) in html


def test_invalid_filters_show_errors_instead_of_a_report(client, reviewer, data):
    client.force_login(reviewer)
    response = client.get(
        url("completion_per_course", date_from="2026-05-01", date_to="2026-04-01")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="img"' not in html and "export=csv" not in html
    csv_response = client.get(
        url("completion_per_course", date_from="2026-05-01", date_to="2026-04-01", export="csv")
    )
    assert "text/csv" not in csv_response["Content-Type"]


def read_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads the Polish letters right
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_export_respects_the_filters(client, reviewer, data):
    client.force_login(reviewer)

    response = client.get(
        url("completion_per_unit", unit=data["units"]["kwp-lublin"].pk, export="csv")
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="completion-per-unit-')
    assert read_csv(response) == [
        ["Unit", "Enrolled", "Completed", "Completion rate (%)"],
        ["KWP Lublin", "4", "2", "50.0"],
        ["KMP Biała Podlaska", "1", "0", "0.0"],
        ["KMP Chełm", "2", "1", "50.0"],
    ]


def test_xlsx_export_keeps_numbers_as_numbers(client, reviewer, data):
    client.force_login(reviewer)

    response = client.get(url("completion_per_course", export="xlsx"))

    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        [
            "Course",
            "Enrolled",
            "Completed",
            "Completion rate (%)",
            "Certificates",
            "Average days to complete",
        ],
        ["Poszukiwania", 4, 2, 50, 1, 7],
        ["Przemyt", 2, 1, 50, 1, 2],
    ]


def test_quiz_scores_export_and_overdue_export(client, reviewer, data):
    client.force_login(reviewer)

    scores = read_csv(client.get(url("quiz_scores", quiz=data["quiz"].pk, export="csv")))
    assert scores[0] == ["Score band (%)", "Attempts", "Share of attempts (%)"]
    assert scores[1] == ["0–10", "0", "0.0"]
    assert scores[-1] == ["90–100", "2", "50.0"]
    page = client.get(url("quiz_scores", quiz=data["quiz"].pk)).content.decode()
    assert "72.5" in page and 'id="score-distribution-chart-title"' in page

    overdue = read_csv(client.get(url("overdue", export="csv")))
    assert overdue[1:] == [
        ["Ewa Nowak (ewa)", "", "Poszukiwania", str(data["today"] - timedelta(days=30)), "30"],
        ["Anna Nowak (anna)", "KMP Chełm", "Przemyt", str(data["today"] - timedelta(days=5)), "5"],
    ]


def test_spreadsheet_cells_cannot_smuggle_formulas():
    assert spreadsheet_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert spreadsheet_cell("-5") == "-5"  # a plain number stays one
    assert spreadsheet_cell(None) == "" and spreadsheet_cell(3) == 3


def test_large_tables_paginate_by_50(client, reviewer):
    root = Unit.add_root(name="Komenda", code="kgp", kind="national")
    for n in range(60):
        root.add_child(name=f"Jednostka {n:02}", code=f"j-{n}", kind="district")
    client.force_login(reviewer)

    first = client.get(url("completion_per_unit")).content.decode()
    second = client.get(url("completion_per_unit", p=2)).content.decode()

    row = '<th scope="row" style='  # Wagtail's shortcuts dialog has row headers too
    assert first.count(row) == 50 and second.count(row) == 12  # with the reviewer's unit
    assert 'aria-label="Pagination"' in first
    csv_rows = read_csv(client.get(url("completion_per_unit", p=2, export="csv")))
    assert len(csv_rows) == 63  # the export has every row, whatever the page
