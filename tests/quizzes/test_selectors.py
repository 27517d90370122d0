"""Which translation of a quiz holds its slots and attempts."""

import pytest
from wagtail.models import Locale

from quizzes import selectors
from quizzes.models import Quiz, QuizSlot
from tests.quizzes.factories import make_question, make_quiz

pytestmark = pytest.mark.django_db


def translation(quiz: Quiz, language: str, title: str) -> Quiz:
    locale = Locale.objects.get_or_create(language_code=language)[0]
    return Quiz.objects.create(title=title, translation_key=quiz.translation_key, locale=locale)


def test_a_text_only_translation_takes_its_slots_from_the_source():
    polish = make_quiz([make_question()])
    english = translation(polish, "en", "Check")
    other = make_quiz([make_question()])

    for quiz in (polish, english):
        with_source = selectors.quiz_with_source(quiz.pk)
        assert (with_source.pk, with_source.source.pk) == (quiz.pk, polish.pk)
        assert with_source.locale.language_code == quiz.locale.language_code
    assert selectors.quiz_with_source(other.pk).source == other
    assert selectors.quiz_with_source(999_999) is None


def test_a_copied_translation_defers_to_the_first_one_with_slots():
    # wagtail-localize's Translate copies the slots too: the first translation made
    # keeps the attempt history for every language.
    polish = make_quiz([make_question()])
    ukrainian = translation(polish, "uk", "Перевірка")
    QuizSlot.objects.create(quiz=ukrainian, position=1, question=polish.slots.get().question)

    assert selectors.quiz_with_source(ukrainian.pk).source == polish
    assert selectors.source_quiz(ukrainian) == polish


def test_a_translation_without_a_source_with_slots_is_its_own_source():
    empty = Quiz.objects.create(title="Pusty")
    english = translation(empty, "en", "Empty")
    assert selectors.quiz_with_source(english.pk).source == english
