"""Translating a question of the bank: the service copies the latest version with the same ids,
quizzes in another language serve the translation and grade it the same, the admin's
"Translate" action (who may, which languages, twice), the notice when the original changes,
and wagtail-localize's generic snippet translation kept away from questions."""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient
from wagtail.models import Locale
from wagtail.users.models import UserProfile

from quizzes import services
from quizzes.models import Attempt, Question, Quiz
from quizzes.translation_views import TRANSLATE_URL_NAME
from tests.quizzes.factories import (
    QUESTIONS_OF_EACH_TYPE,
    cloze,
    make_category,
    make_question,
    make_quiz,
)
from tests.quizzes.test_question_editor import form_data, qtype

pytestmark = pytest.mark.django_db


@pytest.fixture
def english() -> Locale:
    return Locale.objects.get_or_create(language_code="en")[0]


@pytest.fixture
def ukrainian() -> Locale:
    return Locale.objects.get_or_create(language_code="uk")[0]


@pytest.fixture
def locales(english, ukrainian) -> dict[str, Locale]:
    return {"pl": Locale.objects.get(language_code="pl"), "en": english, "uk": ukrainian}


def admin_user(django_user_model, username: str, group: str | None):
    user = django_user_model.objects.create_user(username, password="x-Password-1")
    if group:
        user.groups.add(Group.objects.get(name=group))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def editor(django_user_model):
    return admin_user(django_user_model, "redaktor", "Editors")


@pytest.fixture
def reviewer(django_user_model):
    return admin_user(django_user_model, "recenzent", "Reviewers")


@pytest.fixture
def trainee(django_user_model):
    return admin_user(django_user_model, "kursant", None)


@pytest.fixture
def editor_client(client, editor):
    """The editor works in English, so messages can be asserted as written in the code."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(editor)
    with translation.override("en"):
        yield client


def translate_url(question: Question) -> str:
    return reverse(TRANSLATE_URL_NAME, args=[question.pk])


def edit_url(question: Question) -> str:
    return reverse("wagtailsnippets_quizzes_question:edit", args=[question.pk])


def localize_url(question: Question, model_name: str = "question") -> str:
    return reverse(
        "wagtail_localize:submit_snippet_translation", args=["quizzes", model_name, question.pk]
    )


def messages_of(response) -> str:
    """The page's messages, as one text (a message may carry buttons)."""
    return " ".join(str(message.message) for message in response.context["messages"])


def ids_of(definition: Any) -> list[tuple[str, Any]]:
    """Every id and reference to ids in a definition, with where it is."""
    found: list[tuple[str, Any]] = []

    def walk(value: Any, where: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key in ("id", "answer_id", "correct"):
                    found.append((f"{where}.{key}", item))
                walk(item, f"{where}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{where}[{index}]")
        elif isinstance(value, str):
            found.extend((where, gap) for gap in re.findall(r"\{\{(.*?)\}\}", value))

    walk(definition, "")
    return found


#: The types whose options, items or gaps carry ids that answers refer to.
WITH_IDS = {"single_choice", "multiple_response", "matching", "ordering", "cloze"}


# --- the service -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(QUESTIONS_OF_EACH_TYPE))
def test_the_translation_copies_the_latest_version_with_the_same_ids(name, english, editor):
    text, build = QUESTIONS_OF_EACH_TYPE[name]
    source = make_question(
        type=name, text=text, definition=build(), mark="2.5", difficulty="hard", tags=["ena"]
    )
    services.edit_question(
        source, text=text + "<p>Poprawione.</p>", definition=build(), general_feedback="Art. 3."
    )
    source.refresh_from_db()
    original = source.latest_version
    assert original.number == 2

    translated = services.translate_question(source, english, editor)

    assert translated.pk != source.pk
    assert (translated.translation_key, translated.locale) == (source.translation_key, english)
    assert (translated.category, translated.type) == (source.category, source.type)
    assert (translated.difficulty, translated.default_mark) == ("hard", Decimal("2.5"))
    assert list(translated.tags.names()) == ["ena"]
    assert translated.name == f"{source.name} (English)"
    assert list(translated.versions.values_list("number", flat=True)) == [1]
    version = translated.latest_version
    assert (version.text, version.general_feedback) == (original.text, "Art. 3.")
    assert version.definition == original.definition
    assert ids_of(version.definition) == ids_of(original.definition)
    if name in WITH_IDS:
        assert ids_of(version.definition)
    assert version.source_version == original and version.created_by == editor
    # The original is untouched.
    source.refresh_from_db()
    assert source.latest_version == original and source.versions.count() == 2
    assert source.get_translation(english) == translated


def test_a_long_name_still_fits(english):
    source = make_question(name="N" * 255)
    translated = services.translate_question(source, english)
    assert len(translated.name) == 255 and translated.name.endswith("N (English)")


def test_a_second_translation_into_a_language_is_refused(english, ukrainian):
    source = make_question()
    services.translate_question(source, english)
    with pytest.raises(services.QuizError) as refused:
        services.translate_question(source, english)
    assert refused.value.code == "translation_exists"
    # Into another language, and from a translation, it is fine.
    assert services.translate_question(source, ukrainian).locale == ukrainian
    assert Question.objects.filter(translation_key=source.translation_key).count() == 3


def test_a_translation_made_meanwhile_is_refused_cleanly(english, monkeypatch):
    """The check passed, then the unique (translation_key, locale) constraint refused."""
    source = make_question()
    services.translate_question(source, english)
    real_exists = QuerySet.exists
    calls = []

    def first_check_misses(queryset):
        calls.append(queryset)
        return False if len(calls) == 1 else real_exists(queryset)

    monkeypatch.setattr(QuerySet, "exists", first_check_misses)
    with pytest.raises(services.QuizError) as refused:
        services.translate_question(source, english)
    assert refused.value.code == "translation_exists"
    monkeypatch.undo()
    assert Question.objects.filter(translation_key=source.translation_key).count() == 2
    assert Question.objects.filter(latest_version__isnull=True).count() == 0


def test_no_translation_into_the_questions_own_language():
    source = make_question()
    with pytest.raises(services.QuizError) as refused:
        services.translate_question(source, source.locale)
    assert refused.value.code == "same_locale"


def test_a_new_version_of_a_translation_matches_the_originals_latest(english):
    source = make_question()
    translated = services.translate_question(source, english)
    for number in (2, 3):
        services.edit_question(
            source, text=f"Wersja {number}", definition=source_definition(source)
        )
    source.refresh_from_db()
    assert translated.latest_version.source_version.number == 1

    version = services.edit_question(
        translated, text="What is the threshold?", definition=source_definition(translated)
    )
    assert version.number == 2 and version.source_version == source.latest_version
    # Editing the original records nothing: it is no translation.
    assert services.edit_question(source, text="4", definition=source_definition(source))
    source.refresh_from_db()
    assert source.latest_version.source_version is None


def source_definition(question: Question) -> dict[str, Any]:
    question.refresh_from_db()
    return copy.deepcopy(question.latest_version.definition)


# --- quizzes in another language --------------------------------------------------------------


def english_definitions(questions: list[Question]) -> None:
    """Translate the texts of the single choice and the cloze; ids stay."""
    single, gaps = questions
    definition = source_definition(single)
    for option, text in zip(
        definition["options"], ["6 months", "12 months", "3 years"], strict=True
    ):
        option["text"] = text
    services.edit_question(
        single, text="<p>What is the minimum penalty?</p>", definition=definition
    )
    definition = source_definition(gaps)
    definition["text"] = "A European arrest warrant is issued by {{issuer}}, in {{system}}."
    definition["gaps"][0]["options"][0]["text"] = "a court"
    services.edit_question(gaps, text="<p>Fill in the sentence.</p>", definition=definition)


@pytest.mark.parametrize("built_by", ["texts only", "copy_for_translation"])
def test_an_english_quiz_serves_the_translation_and_grades_it_the_same(
    built_by, english, django_user_model
):
    """The English quiz translates the texts only (as the demo builds it), or is Wagtail's
    copy with its own slots on the Polish questions: either way the attempts stay on the
    Polish quiz, one history for every language."""
    category = make_category()
    polish = [
        make_question(category),
        make_question(category, type="cloze", definition=cloze(), text="Uzupełnij zdanie."),
    ]
    quiz = make_quiz(polish)
    translated = [services.translate_question(question, english) for question in polish]
    english_definitions(translated)
    if built_by == "texts only":
        english_quiz = Quiz.objects.create(
            title="Check yourself", translation_key=quiz.translation_key, locale=english
        )
    else:
        english_quiz = quiz.copy_for_translation(english)
        english_quiz.save()
        assert [slot.question for slot in english_quiz.slots.all()] == polish
    answers = {1: {"option": "b"}, 2: {"gaps": {"issuer": "court", "system": "SIS"}}}

    results = {}
    for language, quiz_opened in (("pl", quiz), ("en", english_quiz)):
        client = APIClient()
        client.force_authenticate(django_user_model.objects.create_user(f"kursant-{language}"))
        response = client.post(
            f"/api/v1/quizzes/{quiz_opened.pk}/attempts/", {"language": language}, format="json"
        )
        assert response.status_code == 201, response.content
        attempt = response.json()
        results[language] = attempt
        for position, answer in answers.items():
            url = f"/api/v1/attempts/{attempt['id']}/answers/{position}/"
            assert client.put(url, {"answer": answer}, format="json").status_code == 200
        submitted = client.post(f"/api/v1/attempts/{attempt['id']}/submit/").json()
        results[language] = (attempt, submitted)

    polish_attempt, polish_result = results["pl"]
    english_attempt, english_result = results["en"]
    assert "What is the minimum penalty?" in english_attempt["questions"][0]["text"]
    assert "Jaki jest minimalny" in polish_attempt["questions"][0]["text"]
    options = english_attempt["questions"][0]["data"]["options"]
    assert sorted((o["id"], o["text"]) for o in options) == [
        ("a", "6 months"),
        ("b", "12 months"),
        ("c", "3 years"),
    ]
    assert Attempt.objects.get(language="en").quiz == quiz
    assert english_result["result"] == polish_result["result"]
    assert english_result["result"]["percent"] == "100.00"
    assert [q["correctness"] for q in english_result["questions"]] == [
        q["correctness"] for q in polish_result["questions"]
    ]
    versions = Attempt.objects.get(language="en").questions.values_list("version", flat=True)
    assert list(versions) == [question.latest_version_id for question in refreshed(translated)]


def refreshed(questions: list[Question]) -> list[Question]:
    for question in questions:
        question.refresh_from_db()
    return questions


# --- the admin: who may translate -------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, english):
    question = make_question()
    for response in (client.get(translate_url(question)), client.post(translate_url(question))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("wagtailadmin_login"))
    assert Question.objects.count() == 1


@pytest.mark.parametrize("role", ["trainee", "reviewer"])
def test_trainees_and_reviewers_may_not_translate(role, request, client, english):
    user = request.getfixturevalue(role)
    client.force_login(user)
    question = make_question()
    with translation.override("en"):
        response = client.get(translate_url(question), HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 302
        posted = client.post(translate_url(question), {"locale": english.pk})
        assert posted.status_code == 302
    if role == "trainee":  # no admin access at all
        assert response["Location"].startswith(reverse("wagtailadmin_login"))
    else:  # Wagtail's "permission denied": back to the dashboard with a message
        assert response["Location"] == reverse("wagtailadmin_home")
        home = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
        assert "Sorry, you do not have permission" in messages_of(home)
    assert Question.objects.count() == 1
    # The question bank offers reviewers no "Translate" either.
    if role == "reviewer":
        listing = client.get(reverse("wagtailsnippets_quizzes_question:list"))
        assert listing.status_code == 200
        assert translate_url(question) not in listing.content.decode()


def test_an_unknown_question_is_404(editor_client):
    assert editor_client.get(reverse(TRANSLATE_URL_NAME, args=[987654])).status_code == 404
    assert editor_client.post(reverse(TRANSLATE_URL_NAME, args=[987654])).status_code == 404


# --- the admin: translating -------------------------------------------------------------------


def test_editor_translates_a_question_and_is_sent_to_translate_it(editor_client, locales, editor):
    question = make_question(name="Próg kary ENA")
    response = editor_client.get(translate_url(question))
    assert response.status_code == 200
    offered = list(response.context["form"].fields["locale"].queryset)
    assert offered == [locales["en"], locales["uk"]]
    assert "version 1" in response.content.decode()

    response = editor_client.post(translate_url(question), {"locale": locales["en"].pk})
    translated = question.get_translation(locales["en"])
    assert response.status_code == 302 and response["Location"] == edit_url(translated)
    assert translated.latest_version.created_by == editor

    page = editor_client.get(response["Location"])
    assert page.status_code == 200
    message = messages_of(page)
    assert "The English translation was created as a copy of version 1" in message
    assert "Translate the name, the question text, the answers and the feedback" in message
    html = page.content.decode()
    assert "This question is a translation of" in html and "Próg kary ENA" in html
    assert "this translation is up to date" in html
    # The editor shows the copied content, ready to be translated.
    assert page.context["form"].initial["text"] == question.latest_version.text

    # Ukrainian is left: preselected, as the only choice.
    response = editor_client.get(translate_url(question))
    assert response.context["form"].initial == {"locale": locales["uk"]}
    assert "Existing translations:" in response.content.decode()


def test_translating_twice_is_a_clear_error(editor_client, locales):
    question = make_question()
    assert (
        editor_client.post(translate_url(question), {"locale": locales["en"].pk}).status_code == 302
    )
    response = editor_client.post(translate_url(question), {"locale": locales["en"].pk})
    assert response.status_code == 302 and response["Location"] == translate_url(question)
    page = editor_client.get(response["Location"])
    assert "This question already has a translation into English." in messages_of(page)
    assert Question.objects.filter(translation_key=question.translation_key).count() == 2

    editor_client.post(translate_url(question), {"locale": locales["uk"].pk})
    page = editor_client.get(translate_url(question))
    assert "already translated into every language" in page.content.decode()


@pytest.mark.parametrize("locale", ["own", "unknown"])
def test_the_language_must_exist_and_differ_from_the_questions(editor_client, english, locale):
    question = make_question()
    chosen = question.locale_id if locale == "own" else 987654
    response = editor_client.post(translate_url(question), {"locale": chosen})
    assert response.status_code == 200
    assert response.context["form"].errors["locale"]
    assert Question.objects.count() == 1


def test_a_question_without_content_cannot_be_translated(editor_client, english):
    question = Question.objects.create(category=make_category(), type="single_choice", name="X")
    response = editor_client.get(translate_url(question))
    assert "no content to translate yet" in response.content.decode()
    response = editor_client.post(translate_url(question), {"locale": english.pk})
    assert response.status_code == 302
    assert "This question has no content to translate yet." in messages_of(
        editor_client.get(response["Location"])
    )
    assert Question.objects.count() == 1


def test_translate_is_offered_in_the_listing_and_the_editor_until_all_languages_are_done(
    editor_client, locales
):
    question = make_question()
    listing = editor_client.get(reverse("wagtailsnippets_quizzes_question:list"))
    assert translate_url(question) in listing.content.decode()
    editor_page = editor_client.get(edit_url(question))
    header = [button.url for button in editor_page.context["header_buttons"][-1].dropdown_buttons]
    assert translate_url(question) in header

    for code in ("en", "uk"):
        services.translate_question(question, locales[code])
    listing = editor_client.get(reverse("wagtailsnippets_quizzes_question:list"))
    assert translate_url(question) not in listing.content.decode()
    assert translate_url(question) not in editor_client.get(edit_url(question)).content.decode()


# --- the original changes -----------------------------------------------------------------------


def test_the_editor_warns_when_the_original_has_changed(editor_client, english):
    source = make_question(name="Próg kary ENA")
    translated = services.translate_question(source, english)
    for number in (2, 3):
        services.edit_question(
            source, text=f"Wersja {number}", definition=source_definition(source)
        )

    html = editor_client.get(edit_url(translated)).content.decode()
    assert "made from version 1 of the original" in html
    assert "The original has changed since this translation: version 1 → 3." in html
    original_page = editor_client.get(edit_url(source)).content.decode()
    assert "Translations of this question:" in original_page
    assert "out of date: made from version 1, the original is now at version 3" in original_page

    # A metadata-only save adds no version: the translation is still out of date.
    value = qtype("single_choice").editor_value(translated.latest_version.definition)
    data = form_data(
        translated.category,
        "single_choice",
        value,
        name="ENA penalty threshold",
        text=translated.latest_version.text,
        general_feedback=translated.latest_version.general_feedback,
    )
    response = editor_client.post(edit_url(translated), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    translated.refresh_from_db()
    assert translated.versions.count() == 1
    assert "version 1 → 3" in editor_client.get(edit_url(translated)).content.decode()

    # The translator brings it up to date: the new version matches the original's version 3.
    data = form_data(
        translated.category,
        "single_choice",
        value,
        name="ENA penalty threshold",
        text="<p>What is the minimum penalty for an EAW?</p>",
        general_feedback="<p>Article 2 of the framework decision.</p>",
    )
    response = editor_client.post(edit_url(translated), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    translated.refresh_from_db()
    assert translated.latest_version.number == 2
    assert (
        translated.latest_version.source_version
        == Question.objects.get(pk=source.pk).latest_version
    )
    html = editor_client.get(edit_url(translated)).content.decode()
    assert "made from version 3 of the original" in html
    assert "has changed since this translation" not in html
    assert "up to date with version 3" in editor_client.get(edit_url(source)).content.decode()


def test_an_original_without_translations_shows_no_translation_panel(editor_client, english):
    question = make_question()
    html = editor_client.get(edit_url(question)).content.decode()
    assert "This question is a translation of" not in html
    assert "Translations of this question:" not in html


# --- wagtail-localize's generic translation kept away from questions ----------------------------


def test_simple_translation_is_not_installed():
    """Only wagtail-localize offers a generic snippet "Translate" here."""
    assert apps.is_installed("wagtail_localize")
    assert not apps.is_installed("wagtail.contrib.simple_translation")


def test_wagtail_localize_translate_is_not_offered_for_questions(editor_client, english):
    question = make_question()
    quiz = make_quiz([question])
    for url in (reverse("wagtailsnippets_quizzes_question:list"), edit_url(question)):
        html = editor_client.get(url).content.decode()
        assert "/localize/submit/" not in html and "/localize/update/" not in html
        assert translate_url(question) in html
    # Quizzes keep it: only questions are taken away.
    html = editor_client.get(reverse("wagtailsnippets_quizzes_quiz:list")).content.decode()
    assert localize_url(quiz, "quiz") in html


@pytest.mark.parametrize("model_name", ["question", "Question"])
def test_wagtail_localize_url_for_a_question_leads_to_our_view(editor_client, english, model_name):
    question = make_question()
    url = f"/admin/localize/submit/snippet/quizzes/{model_name}/{question.pk}/"
    assert url.lower() == localize_url(question).lower()
    for response in (
        editor_client.get(url),
        editor_client.post(url, {"locales": [english.pk]}),
    ):
        assert response.status_code == 302 and response["Location"] == translate_url(question)
    # Nothing was created, least of all a question without versions.
    assert Question.objects.count() == 1


def test_the_notice_speaks_the_editors_language(client, editor, english):
    """The catalogues are filled: a Polish editor reads the notice in Polish."""
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "pl"
    profile.save()
    client.force_login(editor)
    source = make_question(name="Próg kary ENA")
    translated = services.translate_question(source, english)
    services.edit_question(source, text="Wersja 2", definition=source_definition(source))
    html = client.get(edit_url(translated), HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert "Oryginał zmienił się od czasu wykonania tego tłumaczenia: wersja 1 → 2." in html
    assert "„Próg kary ENA”</a> (polski)" in html
    response = client.post(translate_url(source), {"locale": english.pk})
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="pl")
    assert "To pytanie ma już tłumaczenie na język angielski." in messages_of(page)
