"""The attempt API: roles and object permissions, errors as 400/409, no keys, query counts."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from quizzes.api.throttling import WindowedScopedRateThrottle
from tests.quizzes.factories import make_category, make_question, make_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(django_user_model):
    trainee = django_user_model.objects.create_user("kursant", password="x-Password-1")
    other = django_user_model.objects.create_user("inny", password="x-Password-1")
    reviewer = django_user_model.objects.create_user("recenzent", password="x-Password-1")
    reviewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_attempt", "change_attempt"])
    )
    return {"trainee": trainee, "other": other, "reviewer": reviewer}


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def quiz():
    return make_quiz(
        [make_question(), make_question(type="true_false", definition={"correct": True})]
    )


def start(client, quiz):
    return client.post(f"/api/v1/quizzes/{quiz.pk}/attempts/")


def test_trainee_takes_a_quiz_through_the_api(users, quiz):
    client = client_for(users["trainee"])
    response = client.get(f"/api/v1/quizzes/{quiz.pk}/")
    assert response.status_code == 200 and response.data["attempts_used"] == 0

    response = start(client, quiz)
    assert response.status_code == 201
    attempt = response.data
    assert [q["type"] for q in attempt["questions"]] == ["single_choice", "true_false"]
    body = json.dumps(response.json())
    assert "correct" not in body and "Dobrze." not in body  # no key, no per-option feedback

    assert start(client, quiz).status_code == 200  # resumed, not a second attempt

    url = f"/api/v1/attempts/{attempt['id']}/"
    assert (
        client.put(url + "answers/1/", {"answer": {"option": "b"}}, format="json").status_code
        == 200
    )
    assert (
        client.put(url + "answers/2/", {"answer": {"value": True}}, format="json").status_code
        == 200
    )

    response = client.post(url + "submit/")
    assert response.status_code == 200
    assert response.data["state"] == "submitted"
    assert response.data["result"]["percent"] == "100.00"
    assert response.data["questions"][0]["correctness"] == "correct"
    assert response.data["questions"][0]["feedback"] == "Dobrze."


def test_errors_are_400_with_fields_and_409_with_a_reason(users, quiz):
    client = client_for(users["trainee"])
    attempt_id = start(client, quiz).data["id"]
    url = f"/api/v1/attempts/{attempt_id}/"

    response = client.put(url + "answers/1/", {"answer": {"option": "nope"}}, format="json")
    assert response.status_code == 400 and response.data
    response = client.put(url + "answers/1/", {}, format="json")
    assert response.status_code == 400 and "answer" in response.data
    response = client.put(url + "answers/9/", {"answer": {"option": "a"}}, format="json")
    assert response.status_code == 400 and "position" in response.data
    response = client.put(url + "answers/1/", "not json", content_type="application/json")
    assert response.status_code == 400

    assert client.post(url + "submit/").status_code == 200
    response = client.post(url + "submit/")
    assert response.status_code == 409 and response.data["code"] == "attempt_closed"
    response = client.put(url + "answers/1/", {"answer": {"option": "a"}}, format="json")
    assert response.status_code == 409


def test_no_attempts_left_is_a_409_with_the_reason(users):
    quiz = make_quiz([make_question()], attempts_allowed=1)
    client = client_for(users["trainee"])
    attempt_id = start(client, quiz).data["id"]
    client.post(f"/api/v1/attempts/{attempt_id}/submit/")
    response = start(client, quiz)
    assert response.status_code == 409
    assert response.data["code"] == "no_attempts_left"


@pytest.mark.parametrize(
    ("role", "read", "write"),
    [("trainee", 200, 200), ("other", 404, 404), ("reviewer", 200, 403), (None, 403, 403)],
)
def test_attempt_object_permissions(users, quiz, role, read, write):
    attempt_id = start(client_for(users["trainee"]), quiz).data["id"]
    client = client_for(users.get(role) if role else None)
    url = f"/api/v1/attempts/{attempt_id}/"
    assert client.get(url).status_code == read
    answer = client.put(url + "answers/1/", {"answer": {"option": "a"}}, format="json")
    assert answer.status_code == write
    assert client.post(url + "submit/").status_code in {write, 409}


def test_list_shows_own_attempts_to_trainees_and_all_to_reviewers(users, quiz):
    start(client_for(users["trainee"]), quiz)
    start(client_for(users["other"]), quiz)
    own = client_for(users["trainee"]).get("/api/v1/attempts/").data
    assert own["count"] == 1 and own["results"][0]["user"] == users["trainee"].pk
    everyone = client_for(users["reviewer"]).get("/api/v1/attempts/", {"quiz": quiz.pk}).data
    assert everyone["count"] == 2


def test_anonymous_gets_403_and_token_authentication_works(users, quiz):
    assert APIClient().post(f"/api/v1/quizzes/{quiz.pk}/attempts/").status_code == 403
    token = Token.objects.create(user=users["trainee"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert start(client, quiz).status_code == 201


def test_unknown_ids_are_404_not_500(users):
    client = client_for(users["trainee"])
    assert client.get("/api/v1/quizzes/999999/").status_code == 404
    assert client.post("/api/v1/quizzes/999999/attempts/").status_code == 404
    assert client.get("/api/v1/attempts/999999/").status_code == 404
    assert client.get("/api/v1/attempts/abc/").status_code == 404


def queries_per_request(user, size: int) -> dict[str, int]:
    """SQL queries of each request of an attempt at a quiz of `size` questions."""
    category = make_category(f"Kategoria {size}")
    quiz = make_quiz([make_question(category, text=f"P{i}") for i in range(size)])
    client = client_for(user)
    counts = {}
    with CaptureQueriesContext(connection) as started:
        url = f"/api/v1/attempts/{start(client, quiz).data['id']}/"
    counts["start"] = len(started)
    for position in range(1, size + 1):
        response = client.put(
            url + f"answers/{position}/", {"answer": {"option": "b"}}, format="json"
        )
        assert response.status_code == 200
    # A change of answer. By now the process has read the question's version and where
    # the attempt's questions are (the first save in a process reads them: one more
    # query each).
    with CaptureQueriesContext(connection) as saved:
        response = client.put(url + "answers/1/", {"answer": {"option": "a"}}, format="json")
    assert response.status_code == 200
    counts["save"] = len(saved)
    with CaptureQueriesContext(connection) as fetched:
        assert client.get(url).status_code == 200
    counts["fetch"] = len(fetched)
    with CaptureQueriesContext(connection) as submitted:
        assert client.post(url + "submit/").status_code == 200
    counts["submit"] = len(submitted)
    return counts


def test_every_attempt_request_uses_a_fixed_number_of_queries(django_user_model):
    five = queries_per_request(django_user_model.objects.create_user("a5"), 5)
    fifty = queries_per_request(django_user_model.objects.create_user("a50"), 50)
    assert five == fifty
    # Forced authentication: no session or token query. Start and submit each run
    # in a transaction (here a savepoint and its release); a save is one statement.
    transaction_statements = 2
    assert fifty == {
        # the quiz's translations, latest attempt, slots, attempt, its questions; the new
        # versions' contents (read once per process: the later requests read none)
        "start": 6 + transaction_statements,
        # one guarded update: the process knows where the attempt's questions are
        "save": 1,
        # attempt with quiz, its questions
        "fetch": 2,
        # the trainee's attempt locked, with its quiz; its questions; update
        "submit": 3 + transaction_statements,
    }


def test_attempt_writes_are_limited_per_trainee_and_reads_are_not(users, quiz, monkeypatch):
    monkeypatch.setattr(WindowedScopedRateThrottle, "THROTTLE_RATES", {"attempt_writes": "3/min"})
    # 20 s into a minute, whenever the test runs: no window ends between its requests.
    monkeypatch.setattr(WindowedScopedRateThrottle, "timer", lambda self: 60 * 29_000_000 + 20.0)
    cache.clear()
    trainee = client_for(users["trainee"])
    url = f"/api/v1/attempts/{start(trainee, quiz).data['id']}/"
    answer = {"answer": {"option": "b"}}
    assert trainee.put(url + "answers/1/", answer, format="json").status_code == 200
    assert trainee.put(url + "answers/1/", answer, format="json").status_code == 200

    refused = trainee.put(url + "answers/2/", {"answer": {"value": True}}, format="json")

    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "40"
    assert trainee.get(url).status_code == 200  # reading the attempt is not a write
    assert start(client_for(users["other"]), quiz).status_code == 201  # a count per trainee


def test_schema_documents_every_endpoint(users):
    client = client_for(users["trainee"])
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    quiz_paths = {
        path
        for path in schema["paths"]
        if path.startswith(("/api/v1/attempts/", "/api/v1/quizzes/"))
    }
    assert quiz_paths == {
        "/api/v1/attempts/",
        "/api/v1/attempts/{id}/",
        "/api/v1/attempts/{id}/answers/{position}/",
        "/api/v1/attempts/{id}/submit/",
        "/api/v1/quizzes/{id}/",
        "/api/v1/quizzes/{id}/attempts/",
        "/api/v1/quizzes/{id}/report/attempts/",
        "/api/v1/quizzes/{id}/report/statistics/",
        "/api/v1/quizzes/{id}/regrade/",
        "/api/v1/attempts/{id}/questions/{position}/grade/",
    }
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"cdn" not in docs.content.lower()


def test_a_cleared_answer_is_not_graded(users, quiz):
    client = client_for(users["trainee"])
    url = f"/api/v1/attempts/{start(client, quiz).data['id']}/"
    client.put(url + "answers/1/", {"answer": {"option": "b"}}, format="json")
    response = client.put(url + "answers/1/", {"answer": None}, format="json")
    assert response.status_code == 200 and response.data["answer"] is None
    result = client.post(url + "submit/").data
    assert result["questions"][0]["mark"] == "0.00"


def test_question_html_reaches_the_player_sanitised(users):
    question = make_question(
        text='<p onclick="steal()">Pytanie <script>alert(1)</script><a href="javascript:x()">'
        "link</a> <b>ważne</b></p>",
        general_feedback='<p>Zob. <a href="https://eur-lex.europa.eu">EUR-Lex</a></p>',
    )
    client = client_for(users["trainee"])
    attempt = start(client, make_quiz([question])).data
    text = attempt["questions"][0]["text"]
    assert "<script" not in text and "onclick" not in text and "javascript:" not in text
    assert "<b>ważne</b>" in text
    feedback = client.post(f"/api/v1/attempts/{attempt['id']}/submit/").data["questions"][0]
    assert 'href="https://eur-lex.europa.eu"' in feedback["general_feedback"]


def test_reviewer_grades_an_essay_and_the_trainee_sees_the_comment(users):
    essay = make_question(type="essay", definition={"min_words": 0, "max_words": 0}, mark="2")
    quiz = make_quiz([essay])
    trainee = client_for(users["trainee"])
    url = f"/api/v1/attempts/{start(trainee, quiz).data['id']}/"
    trainee.put(url + "answers/1/", {"answer": {"text": "Weryfikuję trafienie."}}, format="json")
    assert trainee.post(url + "submit/").data["result"]["needs_grading"] is True

    grade = {"fraction": "0.5", "comment": "Brak kontaktu z SIRENE."}
    assert trainee.post(url + "questions/1/grade/", grade).status_code == 403
    assert client_for(users["other"]).post(url + "questions/1/grade/", grade).status_code == 403
    reviewer = client_for(users["reviewer"])
    bad = reviewer.post(url + "questions/1/grade/", {"fraction": "1.5"})
    assert bad.status_code == 400 and "fraction" in bad.data
    assert reviewer.post(url + "questions/9/grade/", grade).status_code == 404
    assert reviewer.post(url + "questions/1/grade/", grade).status_code == 200

    result = trainee.get(url).data
    assert result["result"]["score"] == "1.00" and result["result"]["needs_grading"] is False
    assert result["questions"][0]["grader_comment"] == "Brak kontaktu z SIRENE."


def test_regrade_is_for_graders_and_reports_what_it_did(users, quiz):
    trainee = client_for(users["trainee"])
    url = f"/api/v1/attempts/{start(trainee, quiz).data['id']}/"
    trainee.post(url + "submit/")
    assert trainee.post(f"/api/v1/quizzes/{quiz.pk}/regrade/").status_code == 403
    response = client_for(users["reviewer"]).post(
        f"/api/v1/quizzes/{quiz.pk}/regrade/", {"to_latest_version": True}
    )
    assert response.status_code == 202
    assert response.data["regraded"] == 1 and response.data["status"] == "SUCCESSFUL"
