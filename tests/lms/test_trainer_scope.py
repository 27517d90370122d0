"""A trainer reads the training reports of their own unit and the units under it; national
trainers and superusers read every unit's; a trainer without a unit reads none."""

from __future__ import annotations

import csv
import io
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lms.models import TraineeProfile, Unit
from lms.selectors import ReportScope, report_scope
from tests.lms.trainer_scope_data import enrol, make_two_voivodeships, trainee_in

pytestmark = pytest.mark.django_db

REPORTS = ["completion_per_course", "completion_per_unit", "quiz_scores", "overdue"]


@pytest.fixture
def data():
    return make_two_voivodeships()


def url(name: str, **query) -> str:
    base = reverse(f"lms_reports:{name}")
    return f"{base}?{urlencode(query)}" if query else base


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8")[1:])))


def exported(client, data, **query) -> dict[str, list[list[str]]]:
    """Every report's CSV rows (without the header) for these filters."""
    rows = {}
    for name in REPORTS:
        extra = {"quiz": data["quiz"].pk} if name == "quiz_scores" else {}
        rows[name] = read_csv(client.get(url(name, export="csv", **extra, **query)))[1:]
    return rows


def overdue_trainees(rows: list[list[str]]) -> list[str]:
    return [row[0] for row in rows]


def unit_select(html: str) -> str:
    start = html.index('name="unit"')
    return html[start : html.index("</select>", start)]


def band_attempts(rows: list[list[str]]) -> dict[str, str]:
    return {row[0]: row[1] for row in rows if row[1] != "0"}


# --------------------------------------------------------------------------- the rule


def test_the_scope_of_each_kind_of_trainer(data, django_assert_max_num_queries):
    units = data["units"]
    superuser = get_user_model().objects.create_superuser("root", password="x-Password-1")

    with django_assert_max_num_queries(0):
        assert report_scope(superuser) == ReportScope(everything=True)
    with django_assert_max_num_queries(1):
        assert report_scope(data["national_trainer"]) == ReportScope(everything=True)
    with django_assert_max_num_queries(1):
        lublin = report_scope(data["lublin_trainer"])
    assert lublin == ReportScope(unit=units["kwp-lublin"])
    assert [unit.code for unit in lublin.units()] == ["kwp-lublin", "kmp-biala", "kmp-chelm"]
    for trainer in (data["trainer_without_profile"], data["trainer_without_unit"]):
        scope = report_scope(trainer)
        assert scope.is_empty and list(scope.units()) == []
    assert report_scope(superuser).units().count() == Unit.objects.count()


# --------------------------------------------------------------------------- the reports


def test_a_lublin_trainer_sees_lublin_and_its_districts_only_in_every_report(client, data):
    client.force_login(data["lublin_trainer"])

    rows = exported(client, data)

    assert rows["completion_per_course"] == [
        ["Poszukiwania", "3", "2", "66.7", "1", "4.0"],  # anna, bartek, celina
        ["Przemyt", "1", "0", "0.0", "0", ""],  # anna; not ewa of Białystok
    ]
    assert rows["completion_per_unit"] == [
        ["KWP Lublin", "4", "2", "50.0"],
        ["KMP Biała", "1", "0", "0.0"],
        ["KMP Chełm", "2", "1", "50.0"],
    ]
    assert band_attempts(rows["quiz_scores"]) == {"40–50": "1", "90–100": "1"}
    assert overdue_trainees(rows["overdue"]) == ["Anna Nowak (anna)"]

    page = client.get(url("completion_per_unit")).content.decode()
    assert "Białystok" not in page and "Suwałki" not in page
    assert "KMP Chełm" in page


def test_a_lublin_trainer_chooses_among_their_units_only(client, data):
    client.force_login(data["lublin_trainer"])

    select = unit_select(client.get(url("overdue")).content.decode())

    assert "KWP Lublin" in select and "KMP Chełm" in select and "KMP Biała" in select
    assert "Białystok" not in select and "Komenda Główna" not in select
    assert 'value=""' not in select  # no "All units": their unit is the widest choice

    chelm = exported(client, data, unit=data["units"]["kmp-chelm"].pk)
    assert [row[0] for row in chelm["completion_per_unit"]] == ["KMP Chełm"]
    assert overdue_trainees(chelm["overdue"]) == ["Anna Nowak (anna)"]


@pytest.mark.parametrize("name", REPORTS)
def test_a_unit_outside_the_scope_is_a_field_error_not_data(client, data, name):
    client.force_login(data["lublin_trainer"])
    query = {"unit": data["units"]["kwp-bialystok"].pk}
    if name == "quiz_scores":
        query["quiz"] = data["quiz"].pk

    response = client.get(url(name, **query))
    export = client.get(url(name, export="csv", **query))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in html and "Correct the filters" in html
    assert "Suwałki" not in html and "Darek" not in html
    assert "text/csv" not in export["Content-Type"]


def test_a_national_trainer_and_a_superuser_see_every_unit(client, data):
    superuser = get_user_model().objects.create_superuser("root", password="x-Password-1")
    for user in (data["national_trainer"], superuser):
        client.force_login(user)

        rows = exported(client, data)

        assert rows["completion_per_course"][0][:3] == ["Poszukiwania", "5", "2"]
        assert rows["completion_per_course"][1][:3] == ["Przemyt", "2", "1"]
        assert [row[:3] for row in rows["completion_per_unit"]] == [
            ["Komenda Główna Policji", "6", "3"],  # everyone with a unit (not franek)
            ["KWP Białystok", "2", "1"],
            ["KMP Suwałki", "1", "0"],
            ["KWP Lublin", "4", "2"],
            ["KMP Biała", "1", "0"],
            ["KMP Chełm", "2", "1"],
        ]
        assert sum(int(count) for count in band_attempts(rows["quiz_scores"]).values()) == 4
        assert overdue_trainees(rows["overdue"]) == [
            "Franek Nowak (franek)",
            "Darek Nowak (darek)",
            "Anna Nowak (anna)",
        ]
        select = unit_select(client.get(url("overdue")).content.decode())
        assert 'value=""' in select and "KMP Suwałki" in select


@pytest.mark.parametrize("trainer", ["trainer_without_profile", "trainer_without_unit"])
def test_a_trainer_without_a_unit_sees_nothing_and_is_told_why(client, data, trainer):
    client.force_login(data[trainer])
    for name in REPORTS:
        for query in ({}, {"export": "csv"}, {"unit": data["units"]["kgp"].pk}):
            response = client.get(url(name, quiz=data["quiz"].pk, **query))

            html = response.content.decode()
            assert response.status_code == 403, (name, query)
            assert "Your account has no unit; ask an administrator." in html
            assert "Anna" not in html and "text/csv" not in response["Content-Type"]


def test_a_scoped_trainer_pages_take_as_many_queries_for_2_and_20_trainees(client, data):
    """Trainees are added in Lublin's districts (in scope) and in Białystok (outside)."""
    client.force_login(data["lublin_trainer"])
    units = data["units"]
    counts: dict[tuple[str, str], list[int]] = {}
    added = 0
    for total in (2, 20):
        for n in range(added, total):
            unit = units["kmp-chelm" if n % 2 else "kmp-suwalki"]
            enrol(trainee_in(f"extra-{n}", unit), data["smuggling"], overdue_days=n + 1)
        added = total
        for name in REPORTS:
            for export in ("", "csv"):
                query = {"export": export, "quiz": data["quiz"].pk}
                client.get(url(name, **query))  # warms the admin's per-process caches
                with CaptureQueriesContext(connection) as queries:
                    assert client.get(url(name, **query)).status_code == 200
                counts.setdefault((name, export), []).append(len(queries))
    assert {key: pair for key, pair in counts.items() if pair[0] != pair[1]} == {}
    assert TraineeProfile.objects.filter(unit=units["kmp-chelm"]).count() == 11
