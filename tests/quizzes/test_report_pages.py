"""Quiz reports in Wagtail's admin (quizzes.report_views): results, statistics, the attempts
waiting for a grader, attempt review and manual grading; who sees them; fixed query counts."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from wagtail.models import Locale
from wagtail.users.models import UserProfile

from quizzes import reports, services
from quizzes.models import AttemptQuestion, Quiz
from quizzes.report_views import QuizResultsView
from tests.quizzes.factories import essay, make_category, make_question, make_quiz, true_false

pytestmark = pytest.mark.django_db

T0 = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)  # 10:00 in Warsaw, the site's time zone
ESSAY = "Zabezpieczam teren, wzywam technika i spisuję świadków zdarzenia."


def take_attempt(quiz, user, answers: dict[int, Any], *, day: int, submit: bool = True):
    started = T0 + timedelta(days=day)
    attempt = services.start_attempt(quiz, user, now=started).attempt
    for position, answer in answers.items():
        services.save_answer(attempt, position, answer, now=started + timedelta(minutes=1))
    if submit:
        services.submit_attempt(attempt, now=started + timedelta(minutes=12))
    attempt.refresh_from_db()
    return attempt


def answers(option: str, value: bool, text: str = ESSAY) -> dict[int, Any]:
    return {1: {"option": option}, 2: {"value": value}, 3: {"text": text}}


def grade_essay(attempt, fraction: str, grader) -> None:
    question = attempt.questions.get(position=3)
    services.grade_manually(question, fraction=Decimal(fraction), comment="", grader=grader)


# --------------------------------------------------------------------------- people


@pytest.fixture
def people(django_user_model):
    """A trainee, an editor, a reviewer (may grade) and an auditor (may only read attempts),
    all working in English."""

    def person(username: str, *groups: str, **fields: Any):
        user = django_user_model.objects.create_user(username, **fields)  # no password: fast
        user.groups.add(*Group.objects.filter(name__in=groups))
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "en"
        profile.save()
        return user

    auditor = person("audytor")
    auditor.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_attempt"),
    )
    return {
        "trainee": person("kursant"),
        "editor": person("redaktor", "Editors"),
        "reviewer": person("recenzent", "Reviewers"),
        "auditor": auditor,
    }


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# --------------------------------------------------------------------------- the data set
#
# Q1 single choice (right: b, mark 1), Q2 true/false (right: true, mark 1), Q3 essay (mark 2).
#
#   trainee  #  day  answers       state         essay graded    score  result
#   anna     1   0   b, true       submitted     no              2/4    needs grading
#   anna     2   1   b, true       submitted     2 of 2          4/4    passed
#   bartek   1   2   a, false      submitted     0 of 2          0/4    failed
#   celina   1   3   b, true       in progress


@pytest.fixture
def cohort(django_user_model, people):
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
            make_question(
                category,
                type="essay",
                definition=essay(),
                mark="2",
                name="Zabezpieczenie miejsca",
                text="<p>Opisz, jak zabezpieczysz miejsce zdarzenia.</p>",
            ),
        ],
        pass_mark=80,
    )
    users = {
        username: django_user_model.objects.create_user(username, first_name=first, last_name=last)
        for username, first, last in [
            ("anna", "Anna", "Żak"),
            ("bartek", "Bartłomiej", "Nowak"),
            ("celina", "Celina", "Wójcik"),
        ]
    }
    attempts = {
        ("anna", 1): take_attempt(quiz, users["anna"], answers("b", True), day=0),
        ("anna", 2): take_attempt(quiz, users["anna"], answers("b", True), day=1),
        ("bartek", 1): take_attempt(quiz, users["bartek"], answers("a", False), day=2),
        ("celina", 1): take_attempt(quiz, users["celina"], answers("b", True), day=3, submit=False),
    }
    grade_essay(attempts["anna", 2], "1", people["reviewer"])
    grade_essay(attempts["bartek", 1], "0", people["reviewer"])
    for attempt in attempts.values():
        attempt.refresh_from_db()
    return quiz, users, attempts


def url(name: str, quiz: Quiz | int, *args: int) -> str:
    quiz_id = quiz if isinstance(quiz, int) else quiz.pk
    return reverse(f"quizzes_reports:{name}", args=[quiz_id, *args])


def listed(response) -> list[tuple[str, int]]:
    return [(row.username, row.number) for row in response.context["object_list"]]


# --------------------------------------------------------------------------- who sees what


PAGES = ["results", "results_table", "statistics", "grading", "attempt"]


def page_url(page: str, quiz: Quiz, attempts) -> str:
    if page == "attempt":
        return url(page, quiz, attempts["anna", 1].pk)
    return url(page, quiz)


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_users_and_trainees_are_sent_to_the_admin_sign_in(cohort, people, page):
    quiz, _, attempts = cohort
    address = page_url(page, quiz, attempts)
    for user in (None, people["trainee"]):  # the trainee has no admin access
        response = client_for(user).get(address)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("wagtailadmin_login"))


@pytest.mark.parametrize("page", PAGES)
def test_editors_get_403_and_reviewers_the_page(cohort, people, page):
    quiz, _, attempts = cohort
    address = page_url(page, quiz, attempts)
    response = client_for(people["editor"]).get(address)
    assert response.status_code == 403
    assert "Quiz results and grading are for reviewers." in response.content.decode()
    assert client_for(people["reviewer"]).get(address).status_code == 200
    assert client_for(people["auditor"]).get(address).status_code == 200


def test_unknown_quiz_or_attempt_is_404(cohort, people):
    quiz, users, attempts = cohort
    client = client_for(people["reviewer"])
    for name in ("results", "results_table", "statistics", "grading"):
        assert client.get(url(name, 999999)).status_code == 404
    assert client.get(url("attempt", quiz, 999999)).status_code == 404
    assert client.get(url("attempt", 999999, attempts["anna", 1].pk)).status_code == 404
    # An attempt of another quiz is not found under this one.
    other = make_quiz([make_question()])
    elsewhere = take_attempt(other, users["anna"], {1: {"option": "b"}}, day=5)
    assert client.get(url("attempt", quiz, elsewhere.pk)).status_code == 404
    assert client.post(url("attempt", quiz, elsewhere.pk), {"position": "1"}).status_code == 404


def test_a_translation_shows_the_attempts_of_its_source(cohort, people):
    quiz, _, attempts = cohort
    english = Quiz.objects.create(
        title="Check",
        locale=Locale.objects.get_or_create(language_code="en")[0],
        translation_key=quiz.translation_key,
    )
    client = client_for(people["reviewer"])
    response = client.get(url("results", english))
    assert response.status_code == 200 and len(listed(response)) == 4
    assert client.get(url("attempt", english, attempts["anna", 1].pk)).status_code == 200
    statistics = client.get(url("statistics", english))
    assert statistics.context["report"].statistics.attempt_count == 2  # anna #2, bartek #1


# --------------------------------------------------------------------------- results


def test_results_list_every_attempt_with_links_to_their_review(cohort, people):
    quiz, _, attempts = cohort
    response = client_for(people["reviewer"]).get(url("results", quiz))
    assert response.status_code == 200
    assert sorted(listed(response)) == sorted(attempts)
    html = response.content.decode()
    for attempt in attempts.values():
        assert f'href="{url("attempt", quiz, attempt.pk)}"' in html
    for text in (
        "Anna Żak (anna)",
        "Needs grading",
        "Passed",
        "Failed",
        "In progress",
        "4.00\u00a0/\u00a04.00",
        "100.00\u00a0%",
        "12 min 00 s",
        "03/11/2025",  # started, in the admin's English short date format
        "1 attempt needs grading.",
    ):
        assert text in html, text
    # anna's best attempt counts for her grade, bartek's only one for his.
    counted = {(row.username, row.number) for row in response.context["object_list"] if row.counted}
    assert counted == {("anna", 2), ("bartek", 1)}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"state": "in_progress"}, {("celina", 1)}),
        ({"state": "submitted", "passed": "true"}, {("anna", 2)}),
        ({"passed": "false"}, {("bartek", 1)}),
        ({"q": "Żak"}, {("anna", 1), ("anna", 2)}),
        ({"q": "nowak bart"}, {("bartek", 1)}),
        ({"started_from": "2025-03-11", "started_to": "2025-03-12"}, {("anna", 2), ("bartek", 1)}),
        ({"started_to": "2025-03-09"}, set()),
    ],
)
def test_results_filters(cohort, people, params, expected):
    quiz, _, _ = cohort
    client = client_for(people["reviewer"])
    for name in ("results", "results_table"):  # the page, and the table Wagtail refreshes
        response = client.get(url(name, quiz), params)
        assert response.status_code == 200
        assert set(listed(response)) == expected
    if not expected:
        assert "No attempts match these filters." in response.content.decode()


def test_an_invalid_filter_is_ignored_not_an_error(cohort, people):
    quiz, _, _ = cohort
    response = client_for(people["reviewer"]).get(
        url("results", quiz), {"started_from": "yesterday", "state": "lost"}
    )
    assert response.status_code == 200 and len(listed(response)) == 4


def test_results_are_paginated(cohort, people, monkeypatch):
    quiz, _, attempts = cohort
    monkeypatch.setattr(QuizResultsView, "paginate_by", 3)
    client = client_for(people["reviewer"])
    first = client.get(url("results", quiz))
    second = client.get(url("results", quiz), {"p": 2})
    assert len(listed(first)) == 3 and len(listed(second)) == 1
    assert set(listed(first)) | set(listed(second)) == set(attempts)
    assert "Page 1 of 2" in first.content.decode()
    assert "Page 2 of 2" in second.content.decode()


def csv_link(response) -> str:
    (link,) = re.findall(
        r'href="(/api/v1/quizzes/\d+/report/attempts/\?[^"]*)"', response.content.decode()
    )
    return link.replace("&amp;", "&")


def test_the_csv_link_downloads_the_api_csv_with_the_same_filters(cohort, people):
    quiz, _, _ = cohort
    client = client_for(people["reviewer"])
    response = client.get(url("results", quiz), {"q": "Żak", "started_from": "2025-03-11"})
    link = csv_link(response)
    assert "format=csv" in link and "search=" in link and "started_from=2025-03-11" in link

    download = client.get(link)  # the reviewer's admin session is enough
    assert download.status_code == 200
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    header, *rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    named = [dict(zip(header, row, strict=True)) for row in rows]
    assert [(row["username"], row["number"]) for row in named] == [("anna", "2")]

    everything = csv_link(client.get(url("results", quiz)))
    rows = list(csv.reader(io.StringIO(client.get(everything).content.decode("utf-8-sig"))))
    assert len(rows) == 1 + 4


# --------------------------------------------------------------------------- statistics


def test_statistics_show_the_figures_and_the_responses(cohort, people):
    quiz, _, _ = cohort
    response = client_for(people["reviewer"]).get(url("statistics", quiz))
    assert response.status_code == 200
    html = response.content.decode()
    report = reports.quiz_statistics(quiz)
    # Counted (highest): anna #2 (1, 1, 2 → 4) and bartek #1 (0, 0, 0 → 0) of M = 4.
    assert report.statistics.attempt_count == 2
    assert report.statistics.mean == pytest.approx(50)
    figures = {figure.label: figure.value for figure in response.context["figures"].data}
    assert figures["Attempts analysed"] == "2"
    assert figures["Maximum grade"] == "4.00"
    assert figures["Average grade"] == "50.00\u00a0%"
    assert figures["Median grade"] == "50.00\u00a0%"
    assert figures["Standard deviation"] == f"{report.statistics.standard_deviation:.2f}\u00a0%"
    assert figures["Skewness"] == "–"  # needs three attempts
    alpha = "Coefficient of internal consistency (Cronbach's alpha, KR-20)"
    assert figures[alpha] == f"{report.statistics.cronbach_alpha:.2f}\u00a0%"
    for label, value in figures.items():
        assert escape(label) in html and value in html

    rows = {row.position: row for row in response.context["positions"]}
    assert rows[1].facility_index == "50.00\u00a0%"
    assert rows[1].discrimination_index == (
        f"{report.positions[0].statistics.discrimination_index:.2f}\u00a0%"
    )
    assert rows[3].names == "Zabezpieczenie miejsca" and rows[3].type_label == "Essay"
    for text in ("Facility index", "Discrimination index", "Discriminative efficiency"):
        assert text in html
    assert "How well the question tells stronger trainees from weaker ones" in html

    # Responses show option texts (with the recorded id) and true/false in words.
    (q1,) = rows[1].questions
    assert [(r.response, r.raw, r.count, r.share) for r in q1.responses] == [
        ("6 miesięcy", "a", 1, "50.00\u00a0%"),  # a tie: in the order of the recorded responses
        ("12 miesięcy", "b", 1, "50.00\u00a0%"),
    ]
    (q2,) = rows[2].questions
    assert {r.response for r in q2.responses} == {"True", "False"}
    assert "12 miesięcy" in html and "<code>b</code>" in html


def test_statistics_without_attempts_say_so(people):
    quiz = make_quiz([make_question()])
    response = client_for(people["reviewer"]).get(url("statistics", quiz))
    assert response.status_code == 200
    assert "No statistics yet" in response.content.decode()
    assert "Nobody has submitted this quiz yet." in response.content.decode()


def test_statistics_warn_about_answers_waiting_for_a_grader(cohort, people):
    quiz, users, _ = cohort
    quiz.grading_method = "last"
    quiz.save()
    take_attempt(quiz, users["bartek"], answers("b", True), day=4)  # essay not graded
    html = client_for(people["reviewer"]).get(url("statistics", quiz)).content.decode()
    assert "1 attempt analysed here has answers waiting for a grader" in html
    assert f'href="{url("grading", quiz)}"' in html


# --------------------------------------------------------------------------- attempt review


def test_the_review_shows_each_question_readably(cohort, people):
    quiz, _, attempts = cohort
    response = client_for(people["reviewer"]).get(url("attempt", quiz, attempts["anna", 1].pk))
    html = response.content.decode()
    q1, q2, q3 = response.context["questions"]
    assert q1.answer.text == "12 miesięcy" and q1.right_answer.text == "12 miesięcy"
    assert (q1.mark, q1.max_mark, q1.correctness) == ("1.00", "1.00", "Correct")
    assert q1.feedback == "Dobrze."
    assert q2.answer.text == "True"
    assert q3.answer.text == ESSAY and q3.answer.words == 8
    assert q3.needs_grading and q3.right_answer is None
    assert q3.grader_info == "Oceń kolejność czynności."
    assert q3.form is not None and q1.form is None and q2.form is None
    for text in (
        "Question 1: Próg kary ENA",
        "Jaki jest minimalny próg kary dla ENA?",
        "12 miesięcy",
        ESSAY,
        "8 words",
        "Needs grading",
        "Information for graders",
        "Grade this answer",
        "Anna Żak (anna)",
    ):
        assert text in html, text
    assert "<p>Opisz, jak zabezpieczysz miejsce zdarzenia.</p>" in html  # editors' rich text


def test_what_trainees_and_editors_wrote_cannot_inject_html(people, django_user_model):
    question = make_question(
        type="essay",
        definition=essay(),
        text='<p onclick="steal()">Opisz.</p><script>steal()</script>',
    )
    quiz = make_quiz([question])
    trainee = django_user_model.objects.create_user("ewa", first_name="<b>Ewa</b>")
    attempt = take_attempt(quiz, trainee, {1: {"text": "<script>steal()</script>"}}, day=0)
    client = client_for(people["reviewer"])
    for address in (
        url("attempt", quiz, attempt.pk),
        url("statistics", quiz),
        url("results", quiz),
    ):
        html = client.get(address).content.decode()
        assert "<script>steal()" not in html and "<p onclick" not in html, address
        assert "&lt;b&gt;Ewa" in html or address == url("statistics", quiz)


def test_the_review_shows_every_type_readably(people, django_user_model):
    from tests.quizzes.factories import make_question_of_each_type

    quiz = make_quiz(make_question_of_each_type())
    trainee = django_user_model.objects.create_user("ewa")
    attempt = take_attempt(
        quiz,
        trainee,
        {
            2: {"options": ["a", "c"]},
            6: {"matches": {"europol": "police", "frontex": "fraud"}},
            7: {"order": ["sis", "issue", "arrest", "surrender"]},
            8: {"gaps": {"issuer": "police", "system": "SIS"}},
        },
        day=0,
    )
    response = client_for(people["reviewer"]).get(url("attempt", quiz, attempt.pk))
    assert response.status_code == 200
    by_type = {question.type_label: question for question in response.context["questions"]}
    assert by_type["Multiple response"].answer.items == ("Paszport", "Prawo jazdy")
    assert by_type["Matching"].answer.pairs == (
        ("Europol", "Współpraca organów ścigania"),
        ("Frontex", "Zwalczanie nadużyć finansowych"),
    )
    assert by_type["Ordering"].answer.items[0] == "Wpis do SIS"
    assert by_type["Fill in the blanks (cloze)"].answer.pairs == (("#1", "policja"), ("#2", "SIS"))
    assert by_type["Single choice"].answer.empty  # not answered
    assert "No answer" in response.content.decode()


# --------------------------------------------------------------------------- manual grading


def grade(client, quiz, attempt, **data):
    return client.post(url("attempt", quiz, attempt.pk), {"position": "3", **data})


def test_a_reviewer_grades_an_essay(cohort, people):
    quiz, _, attempts = cohort
    attempt = attempts["anna", 1]
    client = client_for(people["reviewer"])
    response = grade(client, quiz, attempt, **{"grade-3-mark": "1.5", "grade-3-comment": "Dobrze."})
    assert response.status_code == 302
    assert response["Location"] == f"{url('attempt', quiz, attempt.pk)}#question-3"

    essay_answer = AttemptQuestion.objects.get(attempt=attempt, position=3)
    assert (essay_answer.mark, essay_answer.fraction) == (Decimal("1.50"), Decimal("0.75"))
    assert not essay_answer.needs_grading
    assert essay_answer.grader_comment == "Dobrze." and essay_answer.graded_by == people["reviewer"]
    attempt.refresh_from_db()
    assert (attempt.score, attempt.percent, attempt.passed) == (
        Decimal("3.50"),
        Decimal("87.50"),
        True,
    )

    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Question 3 graded: 1.50 out of 2.00." in html
    assert "Change the grade" in html and 'value="1.50"' in html
    assert "Dobrze." in html
    # Nothing waits for a grader any more.
    assert listed(client.get(url("grading", quiz))) == []


def test_a_mark_that_does_not_divide_evenly_keeps_its_value(cohort, people):
    quiz, _, attempts = cohort
    client = client_for(people["reviewer"])
    quiz.slots.filter(position=3).update(mark=3)
    attempt = take_attempt(quiz, attempts["anna", 1].user, answers("b", True), day=5)
    grade(client, quiz, attempt, **{"grade-3-mark": "1"})
    assert AttemptQuestion.objects.get(attempt=attempt, position=3).mark == Decimal("1.00")


@pytest.mark.parametrize(
    ("mark", "error"),
    [
        ("2.5", "Ensure this value is less than or equal to 2.00."),
        ("-1", "Ensure this value is greater than or equal to 0."),
        ("lots", "Enter a number."),
        ("", "This field is required."),
        ("1.125", "Ensure that there are no more than 2 decimal places."),
    ],
)
def test_a_wrong_mark_is_shown_next_to_its_field(cohort, people, mark, error):
    quiz, _, attempts = cohort
    attempt = attempts["anna", 1]
    response = grade(client_for(people["reviewer"]), quiz, attempt, **{"grade-3-mark": mark})
    assert response.status_code == 200
    form = response.context["questions"][2].form
    assert form.errors == {"mark": [error]}
    assert error in response.content.decode()
    assert AttemptQuestion.objects.get(attempt=attempt, position=3).needs_grading


def test_grading_what_cannot_be_graded(cohort, people):
    quiz, _, attempts = cohort
    client = client_for(people["reviewer"])
    in_progress = attempts["celina", 1]
    response = grade(client, quiz, in_progress, **{"grade-3-mark": "1"})
    assert response.status_code == 200
    assert response.context["questions"][2].form.non_field_errors() == [
        "Only submitted attempts can be graded."
    ]
    assert "Only submitted attempts can be graded." in response.content.decode()
    # Not a question graded by hand, no such question, no position at all.
    submitted = attempts["anna", 1]
    for position in ("1", "9", "", "x"):
        data = {"position": position, f"grade-{position}-mark": "1"}
        assert client.post(url("attempt", quiz, submitted.pk), data).status_code == 404
    assert AttemptQuestion.objects.get(attempt=in_progress, position=3).graded_by is None


def test_grading_takes_the_right_to_change_attempts(cohort, people):
    quiz, _, attempts = cohort
    attempt = attempts["anna", 1]
    auditor = client_for(people["auditor"])
    page = auditor.get(url("attempt", quiz, attempt.pk))
    assert page.status_code == 200 and all(q.form is None for q in page.context["questions"])
    for client in (auditor, client_for(people["editor"])):
        assert grade(client, quiz, attempt, **{"grade-3-mark": "2"}).status_code == 403
    response = grade(client_for(None), quiz, attempt, **{"grade-3-mark": "2"})
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert AttemptQuestion.objects.get(attempt=attempt, position=3).needs_grading


# --------------------------------------------------------------------------- needs grading


def test_the_needs_grading_list_links_to_the_answer_to_grade(cohort, people):
    quiz, _, attempts = cohort
    client = client_for(people["reviewer"])
    response = client.get(url("grading", quiz))
    assert listed(response) == [("anna", 1)]
    (row,) = response.context["object_list"]
    assert (row.questions_to_grade, row.first_position_to_grade) == (1, 3)
    assert f'href="{url("attempt", quiz, attempts["anna", 1].pk)}#question-3"' in (
        response.content.decode()
    )
    results = client.get(url("results", quiz)).content.decode()
    assert f'href="{url("grading", quiz)}"' in results and "Needs grading (1)" in results


# --------------------------------------------------------------------------- entry points


def test_the_quiz_listing_and_editor_link_to_the_results(cohort, people, django_user_model):
    quiz, _, _ = cohort
    listing = reverse("wagtailsnippets_quizzes_quiz:list")
    results = url("results", quiz)
    assert results in client_for(people["reviewer"]).get(listing).content.decode()
    assert results not in client_for(people["editor"]).get(listing).content.decode()

    admin = django_user_model.objects.create_superuser("admin")
    edit = reverse("wagtailsnippets_quizzes_quiz:edit", args=[quiz.pk])
    assert results in client_for(admin).get(edit).content.decode()
    assert results not in client_for(people["editor"]).get(edit).content.decode()


# --------------------------------------------------------------------------- query counts


def queries_for(client, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def test_report_pages_use_a_fixed_number_of_queries(people, django_user_model):
    quiz = make_quiz(
        [
            make_question(),
            make_question(type="essay", definition=essay(), text="Opisz."),
        ]
    )
    client = client_for(people["reviewer"])
    pages = [url("results", quiz), url("statistics", quiz), url("grading", quiz)]

    def add_attempts(count: int, start: int) -> None:
        for index in range(start, start + count):
            trainee = django_user_model.objects.create_user(f"kursant{index}")
            take_attempt(quiz, trainee, {1: {"option": "b"}, 2: {"text": "Tekst."}}, day=0)

    add_attempts(2, 0)
    for page in pages:
        client.get(page)  # warm caches (content types, the sidebar's menu)
    few = {page: queries_for(client, page) for page in pages}
    add_attempts(18, 2)
    many = {page: queries_for(client, page) for page in pages}
    assert many == few
