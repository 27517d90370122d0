"""The question editor's preview: the player shows a question as trainees see it, built from
the editor's unsaved form, and an admin-only endpoint grades answers there (nothing is saved)."""

from __future__ import annotations

import json
import random
import re
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import NON_FIELD_ERRORS
from django.test import Client
from django.urls import reverse
from wagtail.models import Locale

from quizzes import question_types, services
from quizzes.admin_views import GRADE_URL_NAME, PREVIEW_SEED, grade
from quizzes.forms import QuestionForm
from quizzes.html import trainee_html
from quizzes.models import Question, QuestionVersion
from tests.quizzes.factories import QUESTIONS_OF_EACH_TYPE, make_category, make_question
from tests.quizzes.test_question_editor import CASES, DEFINITIONS, form_data, fresh, qtype

TYPES = question_types.names()
PREVIEW_JSON = re.compile(
    r'<script id="quiz-player-preview" type="application/json">(.*?)</script>', re.S
)


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("redaktor", password="x-Password-1")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def preview_url(question: Question | None = None) -> str:
    if question is None:
        return reverse("wagtailsnippets_quizzes_question:preview_on_add")
    return reverse("wagtailsnippets_quizzes_question:preview_on_edit", args=[question.pk])


def preview(client: Client, url: str, data: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """Post the form to the preview URL as the live preview panel does, then open the
    preview: its embedded data and its HTML."""
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.json() == {"is_valid": True, "is_available": True}
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    match = PREVIEW_JSON.search(html)
    assert match, html
    return json.loads(match.group(1)), html


def player_data(name: str, definition: dict[str, Any]) -> dict[str, Any]:
    """What the player gets, shuffled as the preview shuffles; JSON-normalised."""
    data = qtype(name).player_data(definition, random.Random(PREVIEW_SEED))
    return json.loads(json.dumps(data))


# --- the preview page ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", TYPES)
def test_every_type_previews_the_unsaved_form(editor_client, name):
    question = make_question(type=name, definition=DEFINITIONS[name], mark="2")
    definition = qtype(name).clean_definition(DEFINITIONS[name])
    data = form_data(
        question.category,
        name,
        qtype(name).editor_value(definition),
        text="<p>Tekst <b>jeszcze</b> niezapisany</p>",
        general_feedback="<p>Podstawa: art. 5.</p>",
        default_mark="2.5",
    )
    embedded, html = preview(editor_client, preview_url(question), data)

    attempt = embedded["attempt"]
    assert attempt["state"] == "in_progress" and attempt["seconds_left"] is None
    [shown] = attempt["questions"]
    assert shown["type"] == name
    assert shown["widget"] == (qtype(name).widget or name)
    assert shown["text"] == "<p>Tekst <b>jeszcze</b> niezapisany</p>"
    assert Decimal(shown["max_mark"]) == Decimal("2.5")
    assert shown["data"] == player_data(name, definition)
    assert shown["answer"] is None
    # Grading needs the definition (the page is for editors); the question never shows it.
    assert embedded["grading"]["type"] == name
    assert embedded["grading"]["definition"] == json.loads(json.dumps(definition))
    assert embedded["grading"]["url"] == reverse(GRADE_URL_NAME)
    assert embedded["grading"]["general_feedback"] == "<p>Podstawa: art. 5.</p>"
    assert 'data-mode="preview"' in html
    assert "quizzes/player.js" in html

    # A preview saves nothing: no new version, the stored question unchanged.
    question.refresh_from_db()
    assert question.versions.count() == 1
    assert question.default_mark == Decimal("2")
    assert question.latest_version.text != shown["text"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", TYPES)
def test_a_new_question_previews_before_it_is_saved(editor_client, name):
    value = fresh(qtype(name).editor_value(DEFINITIONS[name]))
    text, _build = QUESTIONS_OF_EACH_TYPE[name]
    embedded, _html = preview(
        editor_client, preview_url(), form_data(make_category(), name, value, text=text)
    )
    [shown] = embedded["attempt"]["questions"]
    assert shown["type"] == name
    assert shown["text"] == text
    assert not Question.objects.exists()
    assert not QuestionVersion.objects.exists()


@pytest.mark.django_db
def test_the_preview_shows_trainee_html_only(editor_client):
    question = make_question()
    value = qtype("single_choice").editor_value(question.latest_version.definition)
    data = form_data(question.category, "single_choice", value)
    embedded, _html = preview(editor_client, preview_url(question), data)
    # The form's rich text goes through trainee_html, like an attempt's question text.
    assert embedded["attempt"]["questions"][0]["text"] == trainee_html("<p>Jaki jest próg?</p>")
    assert "correct" not in embedded["attempt"]["questions"][0]["data"]


@pytest.mark.django_db
def test_an_invalid_form_has_no_preview(editor_client):
    question = make_question()
    value = qtype("single_choice").editor_value(question.latest_version.definition)
    value["options"][1]["value"]["is_correct"] = False  # no correct option left
    data = form_data(question.category, "single_choice", value)
    response = editor_client.post(preview_url(question), data)
    assert response.json() == {"is_valid": False, "is_available": False}
    response = editor_client.get(preview_url(question))
    assert response.status_code == 200
    assert not PREVIEW_JSON.search(response.content.decode())


@pytest.mark.django_db
def test_the_form_previews_without_writing(editor):
    question = make_question()
    value = qtype("true_false").editor_value({"correct": False})
    form = QuestionForm(
        data=form_data(question.category, "true_false", value, name="Nowa"),
        instance=Question(),
        for_user=editor,
    )
    assert form.is_valid(), form.errors
    previewed = form.save(commit=False)
    assert previewed.pk is None and previewed.type == "true_false" and previewed.name == "Nowa"
    assert previewed.preview_version.pk is None
    assert previewed.preview_version.definition["correct"] is False
    assert Question.objects.count() == 1


@pytest.mark.django_db
def test_a_saved_question_previews_its_latest_version():
    question = make_question(text="<p>Wersja pierwsza</p>")
    services.edit_question(
        question,
        text="<p>Wersja druga</p>",
        definition=question.latest_version.definition,
        general_feedback="",
    )
    question.refresh_from_db()
    response = question.make_preview_request()
    assert response.status_code == 200
    embedded = json.loads(PREVIEW_JSON.search(response.content.decode()).group(1))
    assert embedded["attempt"]["questions"][0]["text"] == "<p>Wersja druga</p>"


@pytest.mark.django_db
def test_broken_stored_content_says_so_instead_of_failing():
    question = make_question()
    QuestionVersion.objects.filter(pk=question.latest_version_id).update(definition={"x": 1})
    question = Question.objects.get(pk=question.pk)
    response = question.make_preview_request()
    assert response.status_code == 200
    content = response.content.decode()
    assert not PREVIEW_JSON.search(content)
    assert "quiz-preview__unavailable" in content


@pytest.mark.django_db
def test_the_preview_speaks_the_questions_language():
    english, _created = Locale.objects.get_or_create(language_code="en")
    question = make_question(locale=english)
    content = question.make_preview_request().content.decode()
    assert '<html lang="en">' in content
    assert '"submit": "Submit answers"' in content
    polish = make_question().make_preview_request().content.decode()
    assert '<html lang="pl">' in polish
    assert '"submit": "Wyślij odpowiedzi"' in polish


# --- grading in the preview ---------------------------------------------------------------


def grade_url() -> str:
    return reverse(GRADE_URL_NAME)


def post(client: Client, body: Any, **headers: str):
    return client.post(grade_url(), json.dumps(body), content_type="application/json", **headers)


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_the_preview_grades_as_an_attempt_does(editor_client, case):
    question_type = qtype(case["type"])
    definition = question_type.clean_definition(case["definition"])
    body = {"type": case["type"], "definition": case["definition"], "answer": case["answer"]}
    response = post(editor_client, body)
    assert response.status_code == 200, response.content
    result = response.json()
    assert result["fraction"] == case["fraction"]
    expected = question_type.grade(
        definition, question_type.clean_answer(definition, case["answer"])
    )
    assert result["feedback"] == expected.feedback
    assert result["needs_manual_grading"] is expected.needs_manual_grading
    right = question_type.right_answer(definition)
    assert result["right_answer"] == json.loads(json.dumps(right))
    if expected.needs_manual_grading:
        assert result["correctness"] is None
    else:
        fraction = case["fraction"]
        assert result["correctness"] == (
            "correct" if fraction >= 1 else "partial" if fraction > 0 else "incorrect"
        )


@pytest.mark.django_db
def test_a_stored_version_is_graded_by_its_id(editor_client):
    question = make_question()
    body = {"version": question.latest_version_id, "answer": {"option": "b"}}
    result = post(editor_client, body).json()
    assert (result["fraction"], result["correctness"], result["feedback"]) == (
        1.0,
        "correct",
        "Dobrze.",
    )
    assert result["right_answer"] == {"option": "b"}


@pytest.mark.django_db
def test_no_answer_scores_nothing(editor_client):
    body = {"type": "essay", "definition": DEFINITIONS["essay"], "answer": None}
    result = post(editor_client, body).json()
    assert result == {
        "fraction": 0.0,
        "feedback": "",
        "needs_manual_grading": False,
        "correctness": "incorrect",
        "right_answer": None,
        "answer": None,
    }


@pytest.mark.django_db
def test_only_question_editors_may_grade(client, django_user_model):
    body = {"type": "true_false", "definition": {"correct": True}, "answer": {"value": True}}
    assert post(client, body).status_code == 302  # anonymous: to the admin's sign-in
    assert post(client, body, HTTP_X_REQUESTED_WITH="XMLHttpRequest").status_code == 403

    trainee = django_user_model.objects.create_user("kursant", password="x-Password-1")
    client.force_login(trainee)
    assert post(client, body).status_code == 302  # no admin access

    reviewer = django_user_model.objects.create_user("recenzent", password="x-Password-1")
    reviewer.groups.add(Group.objects.get(name="Reviewers"))  # admin access, view only
    client.force_login(reviewer)
    response = post(client, body)
    assert response.status_code == 403 and response.json()["detail"]

    editor = django_user_model.objects.create_user("redaktor", password="x-Password-1")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert post(client, body).status_code == 200
    assert client.get(grade_url()).status_code == 405


@pytest.mark.django_db
def test_grading_needs_the_csrf_token(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    body = {"type": "true_false", "definition": {"correct": True}, "answer": {"value": True}}
    assert post(client, body).status_code == 403
    client.get(reverse("wagtailsnippets_quizzes_question:add"))  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    assert post(client, body, HTTP_X_CSRFTOKEN=token).status_code == 200


def assert_bad_request(response, field: str) -> dict[str, Any]:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body[field], body
    assert isinstance(body["detail"], str) and body["detail"]
    return body


@pytest.mark.django_db
def test_bad_requests_are_400_with_messages(editor_client):
    response = editor_client.post(grade_url(), "{nope", content_type="application/json")
    assert_bad_request(response, NON_FIELD_ERRORS)
    assert_bad_request(post(editor_client, ["a", "list"]), NON_FIELD_ERRORS)
    assert_bad_request(post(editor_client, {"type": "poem", "definition": {}}), "type")
    assert_bad_request(post(editor_client, {"definition": {}}), "type")
    assert_bad_request(post(editor_client, {"version": 99999, "answer": None}), "version")
    assert_bad_request(post(editor_client, {"version": True, "answer": None}), "version")
    assert_bad_request(post(editor_client, {"version": "1", "answer": None}), "version")

    # A definition the type refuses: its messages, by field.
    body = {
        "type": "single_choice",
        "definition": {"options": [{"id": "a", "text": "Tak"}], "correct": "z"},
        "answer": {"option": "a"},
    }
    errors = assert_bad_request(post(editor_client, body), "definition")["definition"]
    assert all(isinstance(messages, list) for messages in errors.values())

    # An answer the type refuses.
    body = {"type": "numerical", "definition": DEFINITIONS["numerical"], "answer": {"value": "x"}}
    errors = assert_bad_request(post(editor_client, body), "answer")["answer"]
    assert all(isinstance(messages, list) and messages for messages in errors.values())


@pytest.mark.django_db
def test_broken_stored_version_is_a_400(editor_client):
    question = make_question()
    QuestionVersion.objects.filter(pk=question.latest_version_id).update(definition=[])
    response = post(editor_client, {"version": question.latest_version_id, "answer": None})
    assert_bad_request(response, "definition")


GARBAGE = [None, [], "text", 7, 1.5, True, {}, {"x": [1, {"y": None}]}, [[]], {"": ""}]


def garbage_like(value: Any) -> list[Any]:
    """Wrong values shaped like `value` (each key in turn replaced) plus plain garbage."""
    variants = list(GARBAGE)
    if isinstance(value, dict):
        for key in value:
            for wrong in (None, "x", 3, [], {}, [None], [{"id": 5}]):
                variants.append({**value, key: wrong})
    return variants


def answers_of(name: str) -> list[Any]:
    return [case["answer"] for case in CASES if case["type"] == name]


@pytest.mark.django_db
@pytest.mark.parametrize("name", TYPES)
def test_garbage_never_breaks_grading(name):
    """Every type refuses malformed definitions and answers with messages (a 400), never an
    exception (a 500). Graded without the client, for speed; the view maps BadRequest."""
    from quizzes.admin_views import BadRequest

    definition = DEFINITIONS[name]
    for wrong in garbage_like(definition):
        try:
            grade({"type": name, "definition": wrong, "answer": None})
        except BadRequest as error:
            assert error.errors["definition"] and error.detail
    for answer in answers_of(name):
        for wrong in garbage_like(answer):
            if wrong is None:
                continue  # no answer: graded 0
            try:
                result = grade({"type": name, "definition": definition, "answer": wrong})
            except BadRequest as error:
                assert error.errors["answer"] and error.detail
            else:
                assert 0 <= result["fraction"] <= 1
