"""Trainer reports: the attempts that count, the attempts table and its CSV, statistics."""

import csv
import io
import math
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from wagtail.models import Locale

from quizzes import question_types, reports, services
from quizzes.models import Attempt, AttemptState, GradingMethod, Quiz, QuizSlot
from tests.quizzes.factories import (
    make_category,
    make_question,
    make_question_of_each_type,
    make_quiz,
    make_random_slot,
    single_choice,
    true_false,
)

pytestmark = pytest.mark.django_db

T0 = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)  # 10:00 in Warsaw, the site's time zone


def take_attempt(quiz, user, answers: dict[int, Any], *, day: int, minutes: int = 10, submit=True):
    """Start an attempt on day `day` after T0, save `answers` by position, submit after
    `minutes` (or leave it in progress)."""
    started = T0 + timedelta(days=day)
    attempt = services.start_attempt(quiz, user, now=started).attempt
    for position, answer in answers.items():
        services.save_answer(attempt, position, answer, now=started + timedelta(minutes=1))
    if submit:
        services.submit_attempt(attempt, now=started + timedelta(minutes=minutes))
    attempt.refresh_from_db()
    return attempt


def answers(q1: str | None, q2: bool | None, q3: str | None) -> dict[int, Any]:
    given = {1: {"option": q1}, 2: {"value": q2}, 3: {"option": q3}}
    return {position: answer for position, answer in given.items() if None not in answer.values()}


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def reviewer(django_user_model):
    user = django_user_model.objects.create_user("recenzent")
    user.user_permissions.add(Permission.objects.get(codename="view_attempt"))
    return user


# --------------------------------------------------------------------------- the data set
#
# Three questions: Q1 single choice (right: b, mark 1), Q2 true/false (right: true,
# mark 1), Q3 single choice (right: b, mark 2). Maximum grade M = 4; pass mark 80 %.
#
#   trainee  #  day  answers           marks      total  %     counts under
#   anna     1   0   a, true,  b       0, 1, 2    3      75    first
#   anna     2   1   b, true,  b       1, 1, 2    4      100   highest, last   (passed)
#   bartek   1   0   b, false, b       1, 0, 2    3      75    highest, first  (tie: earliest)
#   bartek   2   2   a, true,  b       0, 1, 2    3      75    last
#   celina   1   1   c, false, a       0, 0, 0    0      0     highest, first, last
#   darek    1   0   (none)            0, 0, 0    0      0     first
#   darek    2   3   b, true,  a       1, 1, 0    2      50    highest, last
#   darek    3   4   b, true,  b       in progress: never counts
#
# "average" counts the 7 submitted attempts.

COHORT = {
    ("anna", 1): (0, answers("a", True, "b")),
    ("anna", 2): (1, answers("b", True, "b")),
    ("bartek", 1): (0, answers("b", False, "b")),
    ("bartek", 2): (2, answers("a", True, "b")),
    ("celina", 1): (1, answers("c", False, "a")),
    ("darek", 1): (0, answers(None, None, None)),
    ("darek", 2): (3, answers("b", True, "a")),
}
NAMES = {
    "anna": ("Anna", "Żak"),
    "bartek": ("Bartłomiej", "Nowak"),
    "celina": ("Celina", "Wójcik"),
    "darek": ("Dariusz", "Kowalski"),
}


@pytest.fixture
def cohort(django_user_model):
    category = make_category()
    quiz = make_quiz(
        [
            make_question(category, name="Próg kary ENA"),
            make_question(
                category,
                type="true_false",
                definition=true_false(True),
                name="Nakaz wydaje sąd",
                text="Europejski nakaz aresztowania wydaje sąd.",
            ),
            make_question(category, mark="2", name="Okres przedawnienia"),
        ]
    )
    users = {
        username: django_user_model.objects.create_user(username, first_name=first, last_name=last)
        for username, (first, last) in NAMES.items()
    }
    attempts = {
        (username, number): take_attempt(
            quiz, users[username], given, day=day, minutes=10 + 2 * number
        )
        for (username, number), (day, given) in COHORT.items()
    }
    attempts["darek", 3] = take_attempt(
        quiz, users["darek"], answers("b", True, "b"), day=4, submit=False
    )
    return quiz, users, attempts


def counted(quiz) -> set[tuple[str, int]]:
    return {
        (attempt.user.username, attempt.number)
        for attempt in reports.counted_attempts(quiz).select_related("user")
    }


# --------------------------------------------------------------------------- grading methods


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        (
            GradingMethod.HIGHEST,
            {("anna", 2), ("bartek", 1), ("celina", 1), ("darek", 2)},
        ),
        (GradingMethod.FIRST, {("anna", 1), ("bartek", 1), ("celina", 1), ("darek", 1)}),
        (GradingMethod.LAST, {("anna", 2), ("bartek", 2), ("celina", 1), ("darek", 2)}),
        (GradingMethod.AVERAGE, set(COHORT)),
    ],
)
def test_counted_attempts_follow_the_grading_method(cohort, method, expected):
    quiz, _, attempts = cohort
    assert attempts["bartek", 1].percent == attempts["bartek", 2].percent  # the tie
    quiz.grading_method = method
    quiz.save()
    assert counted(quiz) == expected


def test_counted_attempts_are_one_query_and_stay_within_the_quiz(cohort, django_user_model):
    quiz, users, _ = cohort
    other = make_quiz([make_question()])
    take_attempt(other, users["anna"], {1: {"option": "b"}}, day=5)
    with CaptureQueriesContext(connection) as queries:
        assert len(list(reports.counted_attempts(quiz))) == 4
    assert len(queries) == 1


# --------------------------------------------------------------------------- statistics
#
# Under "highest" the matrix is (rows anna#2, bartek#1, celina#1, darek#2):
#
#   Q1 Q2 Q3   total
#    1  1  2   4
#    1  0  2   3
#    0  0  0   0
#    1  1  0   2
#
# n = 4, M = 4. Totals 4, 3, 0, 2: Σ = 9, mean 2.25 → 56.25 %; median (2 + 3)/2 = 2.5 → 62.5 %.
# d = t - 2.25 = 1.75, .75, -2.25, -.25; Σd² = 3.0625 + .5625 + 5.0625 + .0625 = 8.75
#   k2 = 8.75/3 = 35/12 → SD = sqrt(35/12) = 1.7078 → 42.70 % of M.
#   Σd³ = 5.359375 + .421875 - 11.390625 - .015625 = -5.625 → m3 = -1.40625,
#   k3 = 16·m3/(3·2) = -3.75 → skewness = -3.75/(35/12)^1.5 = -0.7528.
#   Σd⁴ = 9.37890625 + .31640625 + 25.62890625 + .00390625 = 35.328125 → m4 = 8.83203125;
#   m2 = 8.75/4 = 2.1875, m2² = 4.78515625;
#   k4 = 16·(5·m4 - 9·m2²)/(3·2·1) = 16·(44.16015625 - 43.06640625)/6 = 35/12
#   → kurtosis = k4/k2² = (35/12)/(35/12)² = 12/35 = 0.3429.
#
# Facility (mean/max) and SD (sample SD/max), per question:
#   Q1 = 1,1,0,1: mean .75 → 75 %;  SS = 3 - 9/4 = .75, var .25, SD .5 → 50 %
#   Q2 = 1,0,0,1: mean .5  → 50 %;  SS = 2 - 4/4 = 1,  var 1/3 → SD 57.74 %
#   Q3 = 2,2,0,0: mean 1 of 2 → 50 %; SS = 8 - 16/4 = 4, var 4/3 → SD sqrt(4/3)/2 = 57.74 %
#
# Cronbach's alpha = p/(p-1)·(1 - Σvar/k2) = 3/2·(1 - (1/4 + 1/3 + 4/3)/(35/12))
#   = 3/2·(1 - (23/12)/(35/12)) = 3/2·12/35 = 18/35 → 51.43 %
#
# Discrimination index 100·SP(m, r)/sqrt(SS(m)·SS(r)), r = total - m:
#   Q1: r = 3,2,0,1 (mean 1.5); dm = .25,.25,-.75,.25; dr = 1.5,.5,-1.5,-.5
#       SP = .375 + .125 + 1.125 - .125 = 1.5; SS(r) = 5 → DI = 150/sqrt(.75·5) = 77.46 %
#   Q2: r = 3,3,0,1 (mean 1.75); dm = .5,-.5,-.5,.5; dr = 1.25,1.25,-1.75,-.75
#       SP = .625 - .625 + .875 - .375 = .5; SS(r) = 6.75 → DI = 50/sqrt(6.75) = 19.25 %
#   Q3: r = 2,1,0,2 (mean 1.25); dm = 1,1,-1,-1; dr = .75,-.25,-1.25,.75
#       SP = .75 - .25 + 1.25 - .75 = 1; SS(r) = 2.75 → DI = 100/sqrt(4·2.75) = 30.15 %
# Discriminative efficiency, SP over SP of the sorted columns:
#   Q1: 0,1,1,1 with 0,1,2,3 → SP_max = 1.5 → 100 %
#   Q2: 0,0,1,1 with 0,1,3,3 → SP_max = .875 + .375 + .625 + .625 = 2.5 → 20 %
#   Q3: 0,0,2,2 with 0,1,2,2 → SP_max = 1.25 + .25 + .75 + .75 = 3 → 33.33 %


def test_statistics_by_hand(cohort):
    quiz, _, _ = cohort
    report = reports.quiz_statistics(quiz)

    stats = report.statistics
    assert (report.max_grade, report.grading_method) == (4, GradingMethod.HIGHEST)
    assert stats.attempt_count == 4
    assert stats.mean == pytest.approx(56.25)
    assert stats.median == pytest.approx(62.5)
    assert stats.standard_deviation == pytest.approx(100 * math.sqrt(35 / 12) / 4)
    assert stats.skewness == pytest.approx(-3.75 / (35 / 12) ** 1.5)
    assert stats.kurtosis == pytest.approx(12 / 35)
    assert stats.cronbach_alpha == pytest.approx(1800 / 35)
    assert stats.error_ratio == pytest.approx(100 * math.sqrt(17 / 35))

    q1, q2, q3 = (position.statistics for position in report.positions)
    assert [p.position for p in report.positions] == [1, 2, 3]
    assert [p.slot for p in report.positions] == [1, 2, 3]
    assert [p.max_mark for p in report.positions] == [1, 1, 2]
    assert (q1.facility_index, q2.facility_index, q3.facility_index) == pytest.approx((75, 50, 50))
    assert q1.standard_deviation == pytest.approx(50)
    assert q2.standard_deviation == pytest.approx(100 * math.sqrt(1 / 3))
    assert q3.standard_deviation == pytest.approx(100 * math.sqrt(4 / 3) / 2)
    assert q1.discrimination_index == pytest.approx(150 / math.sqrt(3.75))
    assert q2.discrimination_index == pytest.approx(50 / math.sqrt(6.75))
    assert q3.discrimination_index == pytest.approx(100 / math.sqrt(11))
    assert q1.discriminative_efficiency == pytest.approx(100)
    assert q2.discriminative_efficiency == pytest.approx(20)
    assert q3.discriminative_efficiency == pytest.approx(100 / 3)


def test_average_analyses_every_submitted_attempt(cohort):
    quiz, _, _ = cohort
    quiz.grading_method = GradingMethod.AVERAGE
    quiz.save()
    stats = reports.quiz_statistics(quiz).statistics
    # Totals 3, 4, 3, 3, 0, 0, 2 → 15/7 of 4.
    assert stats.attempt_count == 7
    assert stats.mean == pytest.approx(100 * 15 / 7 / 4)
    assert stats.median == pytest.approx(75)


def responses(position) -> list[tuple[str, int]]:
    (question,) = position.questions
    return [(count.response, count.count) for count in question.responses]


def test_response_analysis_with_question_names_and_latest_text(cohort):
    quiz, _, _ = cohort
    first_question = quiz.slots.get(position=1).question
    services.edit_question(
        first_question, text="Nowa treść pytania.", definition=single_choice("b")
    )
    q1, q2, q3 = reports.quiz_statistics(quiz).positions

    assert responses(q1) == [("b", 3), ("c", 1)]
    assert responses(q2) == [("false", 2), ("true", 2)]  # ties: by response text
    assert responses(q3) == [("a", 2), ("b", 2)]
    question = q1.questions[0]
    assert (question.name, question.type, question.text) == (
        "Próg kary ENA",
        "single_choice",
        "Nowa treść pytania.",
    )
    assert (question.question_id, question.count, question.no_response) == (
        first_question.pk,
        4,
        0,
    )
    assert not q1.random


def test_unanswered_questions_count_as_no_response(cohort):
    quiz, _, _ = cohort
    quiz.grading_method = GradingMethod.FIRST
    quiz.save()
    q1, q2, q3 = reports.quiz_statistics(quiz).positions
    # anna#1 a/true/b, bartek#1 b/false/b, celina#1 c/false/a, darek#1 nothing.
    assert responses(q1) == [("a", 1), ("b", 1), ("c", 1)]
    assert [q.questions[0].no_response for q in (q1, q2, q3)] == [1, 1, 1]


def test_every_question_type_renders_its_responses(django_user_model):
    questions = make_question_of_each_type()
    quiz = make_quiz(questions)
    trainee = django_user_model.objects.create_user("kursant")
    given = {}
    for position, question in enumerate(questions, start=1):
        definition = question.latest_version.definition
        right = question.question_type.right_answer(definition)
        given[position] = right if right is not None else {"text": "Zabezpieczę teren."}
    take_attempt(quiz, trainee, given, day=0)

    report = reports.quiz_statistics(quiz)

    assert report.attempts_needing_grading == 1  # the essay
    for position, question in zip(report.positions, questions, strict=True):
        drawn = position.questions[0]
        expected = question.question_type.scorm_response(
            question.latest_version.definition, given[position.position], "2004"
        )
        assert drawn.type == question.type
        assert [(r.response, r.count) for r in drawn.responses] == [(expected, 1)]


def test_positions_follow_the_slots_when_questions_are_shuffled(django_user_model):
    """Shuffled attempts show questions in any order; the report keys them by slot,
    and the questions a random slot drew are analysed together at its position."""
    fixed = make_question(name="Stałe")
    pool = make_category("Pula")
    drawn_from = {
        make_question(pool, type="true_false", definition=true_false(True), name=f"Los {i}").pk
        for i in range(3)
    }
    quiz = make_quiz([fixed], shuffle_questions=True)
    make_random_slot(quiz, pool, 2)
    for index in range(6):
        trainee = django_user_model.objects.create_user(f"kursant{index}")
        attempt = services.start_attempt(quiz, trainee).attempt
        for question in attempt.questions.select_related("version__question"):
            question_type = question_types.get(question.version.question.type)
            answer = question_type.right_answer(question.version.definition)
            services.save_answer(attempt, question.position, answer)
        services.submit_attempt(attempt)

    first, second, third = reports.quiz_statistics(quiz).positions

    assert [(p.position, p.slot, p.random) for p in (first, second, third)] == [
        (1, 1, False),
        (2, 2, True),
        (3, 2, True),
    ]
    assert [q.question_id for q in first.questions] == [fixed.pk]
    assert responses(first) == [("b", 6)]
    for position in (second, third):
        assert {q.question_id for q in position.questions} <= drawn_from
        assert sum(q.count for q in position.questions) == 6
        assert position.statistics.facility_index == pytest.approx(100)


def test_a_position_worth_no_marks_has_no_statistics(django_user_model):
    quiz = make_quiz([make_question(), make_question(text="Bez punktów")])
    QuizSlot.objects.filter(quiz=quiz, position=2).update(mark=0)
    for index, option in enumerate("abb"):
        trainee = django_user_model.objects.create_user(f"kursant{index}")
        take_attempt(quiz, trainee, {1: {"option": option}, 2: {"option": "a"}}, day=0)

    report = reports.quiz_statistics(quiz)

    assert report.max_grade == 1
    assert report.positions[0].statistics.facility_index == pytest.approx(200 / 3)
    assert report.positions[1].statistics is None
    assert report.statistics.cronbach_alpha is None  # one item carries marks


def test_statistics_of_a_quiz_without_attempts():
    report = reports.quiz_statistics(make_quiz([make_question()]))
    assert report.statistics.attempt_count == 0
    assert report.statistics.mean is None
    assert report.positions == []


# --------------------------------------------------------------------------- attempts table


def test_attempts_table_rows(cohort):
    quiz, _, _ = cohort
    rows = list(reports.attempts_table(quiz))

    assert [(row.username, row.number) for row in rows] == [
        ("darek", 1),
        ("darek", 2),
        ("darek", 3),
        ("bartek", 1),
        ("bartek", 2),
        ("celina", 1),
        ("anna", 1),
        ("anna", 2),
    ]  # by last name: Kowalski, Nowak, Wójcik, Żak
    anna = rows[-1]
    assert anna.full_name == "Anna Żak"
    assert anna.duration == timedelta(minutes=14)
    assert (anna.score, anna.max_score, anna.percent, anna.passed) == (4, 4, 100, True)
    assert {(row.username, row.number) for row in rows if row.counted} == counted(quiz)
    in_progress = rows[2]
    assert (in_progress.state, in_progress.duration, in_progress.counted) == (
        AttemptState.IN_PROGRESS,
        None,
        False,
    )


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"state": AttemptState.IN_PROGRESS}, {("darek", 3)}),
        ({"passed": True}, {("anna", 2)}),
        ({"passed": False, "search": "nowak"}, {("bartek", 1), ("bartek", 2)}),
        ({"search": "Anna Żak"}, {("anna", 1), ("anna", 2)}),
        pytest.param(
            {"search": "żak"},
            {("anna", 1), ("anna", 2)},
            marks=pytest.mark.skipif(
                connection.vendor == "sqlite", reason="SQLite folds the case of ASCII only"
            ),
        ),
        ({"search": "  DAR  "}, {("darek", 1), ("darek", 2), ("darek", 3)}),
        (
            {"started_from": date(2025, 3, 11), "started_to": date(2025, 3, 12)},
            {("anna", 2), ("celina", 1), ("bartek", 2)},
        ),
        ({"started_from": date(2025, 3, 14)}, {("darek", 3)}),
        ({"state": "", "search": "", "passed": None}, {*COHORT, ("darek", 3)}),
    ],
)
def test_attempts_table_filters(cohort, filters, expected):
    quiz, _, _ = cohort
    rows = reports.attempts_table(quiz, filters)
    assert {(row.username, row.number) for row in rows} == expected


def test_date_filters_use_the_sites_time_zone(django_user_model):
    quiz = make_quiz([make_question()])
    trainee = django_user_model.objects.create_user("nocny")
    # 23:30 UTC on 10 March is 00:30 on 11 March in Warsaw.
    started = datetime(2025, 3, 10, 23, 30, tzinfo=UTC)
    services.start_attempt(quiz, trainee, now=started)
    on = {"started_from": date(2025, 3, 11), "started_to": date(2025, 3, 11)}
    assert reports.attempts_table(quiz, on).count() == 1
    assert reports.attempts_table(quiz, {"started_to": date(2025, 3, 10)}).count() == 0


# --------------------------------------------------------------------------- API


ATTEMPTS_URL = "/api/v1/quizzes/{}/report/attempts/"
STATISTICS_URL = "/api/v1/quizzes/{}/report/statistics/"


@pytest.mark.parametrize("url", [ATTEMPTS_URL, STATISTICS_URL])
@pytest.mark.parametrize(("role", "status"), [("trainee", 403), (None, 403), ("reviewer", 200)])
def test_reports_are_for_reviewers_only(cohort, reviewer, url, role, status):
    quiz, users, _ = cohort
    user = {"trainee": users["anna"], "reviewer": reviewer}.get(role)
    assert client_for(user).get(url.format(quiz.pk)).status_code == status
    csv_status = client_for(user).get(url.format(quiz.pk), {"format": "csv"}).status_code
    assert csv_status == (status if url == ATTEMPTS_URL else 404)  # no CSV of statistics


def test_unknown_quiz_is_404(reviewer):
    client = client_for(reviewer)
    assert client.get(ATTEMPTS_URL.format(999999)).status_code == 404
    assert client.get(STATISTICS_URL.format(999999)).status_code == 404


def test_attempts_report_is_paginated_and_filtered(cohort, reviewer):
    quiz, users, attempts = cohort
    client = client_for(reviewer)
    data = client.get(ATTEMPTS_URL.format(quiz.pk)).json()
    assert data["count"] == 8 and len(data["results"]) == 8
    row = data["results"][-1]
    assert row == {
        "id": attempts["anna", 2].pk,
        "user": users["anna"].pk,
        "username": "anna",
        "full_name": "Anna Żak",
        "number": 2,
        "state": "submitted",
        "started_at": "2025-03-11T10:00:00+01:00",
        "submitted_at": "2025-03-11T10:14:00+01:00",
        "duration_seconds": 840,
        "score": "4.00",
        "max_score": "4.00",
        "percent": "100.00",
        "passed": True,
        "needs_grading": False,
        "counted": True,
    }

    data = client.get(
        ATTEMPTS_URL.format(quiz.pk), {"passed": "false", "started_from": "2025-03-11"}
    ).json()
    assert [(row["username"], row["number"]) for row in data["results"]] == [
        ("darek", 2),
        ("bartek", 2),
        ("celina", 1),
    ]
    response = client.get(ATTEMPTS_URL.format(quiz.pk), {"started_from": "yesterday"})
    assert response.status_code == 400 and "started_from" in response.json()
    response = client.get(ATTEMPTS_URL.format(quiz.pk), {"started_from": "x", "format": "csv"})
    assert response.status_code == 400
    assert read_csv(response)[0] == ["started_from"]  # the errors, as CSV too


def read_csv(response) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark for Excel
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_attempts_report_as_csv(cohort, reviewer):
    quiz, _, _ = cohort
    client = client_for(reviewer)
    response = client.get(ATTEMPTS_URL.format(quiz.pk), {"format": "csv", "search": "Żak"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="quiz-{quiz.pk}-attempts.csv"'
    header, *rows = read_csv(response)
    assert header == [
        "id",
        "user",
        "username",
        "full_name",
        "number",
        "state",
        "started_at",
        "submitted_at",
        "duration_seconds",
        "score",
        "max_score",
        "percent",
        "passed",
        "needs_grading",
        "counted",
    ]
    named = [dict(zip(header, row, strict=True)) for row in rows]
    assert [(row["full_name"], row["number"], row["percent"]) for row in named] == [
        ("Anna Żak", "1", "75.00"),
        ("Anna Żak", "2", "100.00"),
    ]
    assert [(row["passed"], row["counted"]) for row in named] == [
        ("false", "false"),
        ("true", "true"),
    ]

    by_header = client.get(ATTEMPTS_URL.format(quiz.pk), HTTP_ACCEPT="text/csv")
    assert by_header["Content-Type"] == "text/csv; charset=utf-8"
    in_progress = [row for row in read_csv(by_header)[1:] if row[5] == "in_progress"]
    assert len(in_progress) == 1 and in_progress[0][7:9] == ["", ""]  # no submission yet


def test_csv_has_a_header_without_rows_and_defuses_formulas(reviewer, django_user_model):
    quiz = make_quiz([make_question()])
    client = client_for(reviewer)
    (header,) = read_csv(client.get(ATTEMPTS_URL.format(quiz.pk), {"format": "csv"}))
    assert header[:3] == ["id", "user", "username"]

    trainee = django_user_model.objects.create_user("sprytny", first_name="=HYPERLINK(1)")
    take_attempt(quiz, trainee, {}, day=0)
    _, row = read_csv(client.get(ATTEMPTS_URL.format(quiz.pk), {"format": "csv"}))
    assert row[3] == "'=HYPERLINK(1)"


def test_statistics_report_through_the_api(cohort, reviewer):
    quiz, _, _ = cohort
    data = client_for(reviewer).get(STATISTICS_URL.format(quiz.pk)).json()

    assert (data["quiz"], data["grading_method"], data["max_grade"]) == (quiz.pk, "highest", 4)
    assert data["statistics"]["attempt_count"] == 4
    assert data["statistics"]["cronbach_alpha"] == pytest.approx(1800 / 35)
    first = data["positions"][0]
    assert first["statistics"]["facility_index"] == pytest.approx(75)
    assert first["statistics"]["discrimination_index"] == pytest.approx(150 / math.sqrt(3.75))
    assert first["questions"][0]["name"] == "Próg kary ENA"
    assert first["questions"][0]["responses"] == [
        {"response": "b", "count": 3},
        {"response": "c", "count": 1},
    ]


def test_a_translation_reports_on_the_source_quiz(cohort, reviewer):
    """Translations only translate texts; the slots and attempts stay on the source."""
    quiz, _, _ = cohort
    english = Quiz.objects.create(
        title="Test",
        translation_key=quiz.translation_key,
        locale=Locale.objects.get_or_create(language_code="en")[0],
    )
    client = client_for(reviewer)
    assert client.get(ATTEMPTS_URL.format(english.pk)).json()["count"] == 8
    data = client.get(STATISTICS_URL.format(english.pk)).json()
    assert data["quiz"] == quiz.pk and data["statistics"]["attempt_count"] == 4


# --------------------------------------------------------------------------- query counts


def queries_for_reports(django_user_model, reviewer, trainees: int, attempts_each: int):
    category = make_category(f"Kategoria {trainees}")
    quiz = make_quiz(
        [
            make_question(category),
            make_question(category, type="true_false", definition=true_false(True)),
        ]
    )
    for index in range(trainees):
        user = django_user_model.objects.create_user(f"k{trainees}-{index}")
        for number in range(attempts_each):
            given = {1: {"option": "abc"[(index + number) % 3]}, 2: {"value": index % 2 == 0}}
            take_attempt(quiz, user, given, day=number)
    assert Attempt.objects.filter(quiz=quiz).count() == trainees * attempts_each

    counts = []
    with CaptureQueriesContext(connection) as queries:
        reports.quiz_statistics(quiz)
    counts.append(len(queries))
    for url, params in [
        (STATISTICS_URL, {}),
        (ATTEMPTS_URL, {}),
        (ATTEMPTS_URL, {"format": "csv"}),
    ]:
        # A fresh user object each time, so that its permission cache starts empty.
        client = client_for(django_user_model.objects.get(pk=reviewer.pk))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url.format(quiz.pk), params).status_code == 200
        counts.append(len(queries))
    return counts


def test_reports_use_a_fixed_number_of_queries(django_user_model, reviewer):
    three = queries_for_reports(django_user_model, reviewer, trainees=3, attempts_each=1)
    twelve = queries_for_reports(django_user_model, reviewer, trainees=4, attempts_each=3)
    assert three == twelve
    statistics, statistics_api, attempts_api, attempts_csv = twelve
    assert statistics == 2
    assert statistics_api <= 6
    assert attempts_api <= 6
    assert attempts_csv <= 5
