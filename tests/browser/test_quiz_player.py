"""A trainee takes quizzes on a phone, in Polish, with the player (quizzes/static/quizzes).

Every question widget, resuming after a reload, running out of time, an answer the server
refuses, and what the review shows under the quiz's review options.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from quizzes.models import Attempt
from tests.browser.quiz_ui import choose, fill_gap, match, put_in_order, question, type_answer
from tests.quizzes import factories
from tests.quizzes.factories import (
    make_category,
    make_question,
    make_question_of_each_type,
    make_quiz,
)

# The live server needs committed data (a transactional test); serialized_rollback
# restores what migrations created (root page, groups, workflow) after the flush.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 360, "height": 740}
SAVE = re.compile(r"/api/v1/attempts/\d+/answers/\d+/$")


@pytest.fixture
def trainee(django_user_model):
    return django_user_model.objects.create_user("kursant", password="haslo-kursanta-2026")


@pytest.fixture
def open_quiz(browser, live_server, trainee):
    """open_quiz(quiz) → a phone page signed in as the trainee, showing the quiz; fails the
    test on any uncaught JavaScript error."""
    client = Client()
    client.force_login(trainee)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    contexts, errors = [], []

    def open_page(quiz):
        context = browser.new_context(viewport=PHONE, locale="pl-PL")
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{live_server.url}/pl/quizzes/{quiz.pk}/")
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not errors, errors


def assert_fits_phone_width(page) -> None:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 360px"


def saved(page):
    """Wait for the next autosave request to succeed (use as a context manager)."""
    return page.expect_response(
        lambda response: SAVE.search(response.url) and response.request.method == "PUT"
    )


def answer_right(page, kind: str, group) -> None:
    """Give the right answer to the question of each type in make_question_of_each_type."""
    if kind == "single_choice":
        choose(group, "12 miesięcy")
    elif kind == "multiple_response":
        choose(group, "Paszport")
        with saved(page):
            choose(group, "Dowód osobisty")
    elif kind == "true_false":
        choose(group, "Prawda")
    elif kind == "short_answer":
        type_answer(group, "sis")  # case and diacritics do not count
    elif kind == "numerical":
        type_answer(group, "3500 m")  # = 3,5 km
    elif kind == "matching":
        match(
            group,
            {
                "Europol": "Współpraca organów ścigania",
                "Frontex": "Straż graniczna i przybrzeżna",
                "Eurojust": "Współpraca wymiarów sprawiedliwości",
            },
        )
    elif kind == "ordering":
        put_in_order(
            page,
            group,
            ["Wydanie nakazu przez sąd", "Wpis do SIS", "Zatrzymanie osoby", "Przekazanie osoby"],
        )
    elif kind == "cloze":
        fill_gap(group.get_by_label("Luka 1 z 2"), "sąd")
        fill_gap(group.get_by_label("Luka 2 z 2"), "SIS")
    elif kind == "essay":
        type_answer(group, "Odgradzam teren, wzywam technika i spisuję świadków.")
        expect(group.get_by_text("Liczba słów: 7")).to_be_visible()


def test_every_widget_answered_right_gives_full_marks(open_quiz, assert_accessible):
    kinds = list(factories.QUESTIONS_OF_EACH_TYPE)
    # The essay is graded by a person later; worth 0 points, the rest can reach 100%.
    quiz = make_quiz(make_question_of_each_type(essay="0"), title="Współpraca transgraniczna")
    page = open_quiz(quiz)

    expect(page.get_by_text("Próg zaliczenia: 80%")).to_be_visible()
    assert_accessible(page)
    assert_fits_phone_width(page)
    page.get_by_role("button", name="Rozpocznij test").click()

    total = len(kinds)
    navigator = page.get_by_role("navigation", name="Pytania")
    expect(navigator.get_by_role("button")).to_have_count(total)
    for n, kind in enumerate(kinds, start=1):
        group = question(page, n, total)
        expect(group).to_be_visible()
        expect(group).to_be_focused()
        answer_right(page, kind, group)
        assert_accessible(page)
        assert_fits_phone_width(page)
        if n < total:
            page.get_by_role("button", name="Następne").click()
    expect(navigator.get_by_role("button", name="Pytanie 1, z odpowiedzią")).to_be_visible()

    page.get_by_role("button", name="Wyślij odpowiedzi").click()
    dialog = page.get_by_role("dialog", name="Wysłać odpowiedzi?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Odpowiedziano na wszystkie pytania.")
    expect(dialog.get_by_role("button", name="Wróć do pytań")).to_be_focused()
    assert_accessible(page)
    dialog.get_by_role("button", name="Wyślij", exact=True).click()

    heading = page.get_by_role("heading", name="Wynik")
    expect(heading).to_be_focused()
    expect(page.locator(".quiz-result__score")).to_have_text("Zdobyte punkty: 8 z 8 (100%)")
    expect(page.get_by_text("Część odpowiedzi oceni instruktor")).to_be_visible()
    expect(page.locator(".quiz-review__badge--correct")).to_have_count(total - 1)
    essay = page.locator(".quiz-review__item").nth(total - 1)
    expect(essay).to_contain_text("Punkty: czeka na ocenę")
    expect(essay).to_contain_text("Odgradzam teren")
    numerical = page.locator(".quiz-review__item").nth(kinds.index("numerical"))
    expect(numerical).to_contain_text("Twoja odpowiedź: 3500 m")
    assert_accessible(page)
    assert_fits_phone_width(page)

    attempt = Attempt.objects.get(quiz=quiz)
    assert attempt.percent == Decimal("100.00")
    assert attempt.needs_grading


def test_answers_and_position_survive_a_reload(open_quiz, assert_accessible):
    category = make_category()
    quiz = make_quiz(
        [
            make_question(category),
            make_question(category, type="short_answer", definition=factories.short_answer()),
            make_question(category, type="true_false", definition=factories.true_false()),
            make_question(category, type="ordering", definition=factories.ordering()),
        ]
    )
    page = open_quiz(quiz)
    page.get_by_role("button", name="Rozpocznij test").click()

    with saved(page):
        question(page, 1, 4).get_by_label("3 lata").check()
    expect(page.get_by_role("status")).to_have_text("Zapisano")
    page.get_by_role("button", name="Następne").click()
    with saved(page):  # typing is saved after a pause, without leaving the field
        question(page, 2, 4).get_by_label("Twoja odpowiedź").fill("SIS II")
    page.get_by_role("button", name="Następne").click()
    expect(question(page, 3, 4)).to_be_visible()

    page.reload()
    expect(page.get_by_text("Masz niedokończone podejście.")).to_be_visible()
    page.get_by_role("button", name="Kontynuuj test").click()
    expect(question(page, 3, 4)).to_be_visible()
    expect(question(page, 3, 4)).to_be_focused()
    assert_accessible(page)

    navigator = page.get_by_role("navigation", name="Pytania")
    expect(navigator.get_by_role("button", name="Pytanie 3, bez odpowiedzi")).to_have_attribute(
        "aria-current", "step"
    )
    navigator.get_by_role("button", name="Pytanie 2, z odpowiedzią").click()
    expect(question(page, 2, 4).get_by_label("Twoja odpowiedź")).to_have_value("SIS II")
    page.get_by_role("button", name="Poprzednie").click()
    expect(question(page, 1, 4).get_by_label("3 lata")).to_be_checked()
    assert Attempt.objects.get(quiz=quiz).questions.get(position=2).answer == {"text": "SIS II"}


def test_time_out_grades_the_saved_answers(open_quiz, assert_accessible):
    category = make_category()
    quiz = make_quiz(
        [
            make_question(category),
            make_question(category, type="true_false", definition=factories.true_false()),
        ],
        time_limit=timedelta(seconds=4),
    )
    page = open_quiz(quiz)
    expect(page.get_by_text("Limit czasu: 4 s")).to_be_visible()
    page.get_by_role("button", name="Rozpocznij test").click()

    timer = page.get_by_role("timer")
    expect(timer).to_contain_text(re.compile(r"Pozostały czas: 00:0[0-4]"))
    with saved(page):
        question(page, 1, 2).get_by_label("12 miesięcy").check()
    assert_accessible(page)

    expect(page.get_by_role("heading", name="Wynik")).to_be_visible(timeout=15_000)
    expect(page.get_by_text("Czas minął – ocenione zostały odpowiedzi")).to_be_visible()
    expect(page.locator(".quiz-result__score")).to_have_text("Zdobyte punkty: 1 z 2 (50%)")
    expect(page.locator(".quiz-result__verdict")).to_contain_text("Nie zaliczono")
    reviews = page.locator(".quiz-review__item")
    expect(reviews.nth(0)).to_contain_text("Poprawna")
    expect(reviews.nth(0)).to_contain_text("Twoja odpowiedź: 12 miesięcy")
    expect(reviews.nth(1)).to_contain_text("Twoja odpowiedź: Brak odpowiedzi")
    assert_accessible(page)
    attempt = Attempt.objects.get(quiz=quiz)
    assert attempt.timed_out
    assert attempt.score == Decimal("1.00")


def test_the_timer_warns_a_minute_before_the_end(open_quiz):
    quiz = make_quiz([make_question()], time_limit=timedelta(seconds=62))
    page = open_quiz(quiz)
    page.get_by_role("button", name="Rozpocznij test").click()
    timer = page.get_by_role("timer")
    expect(timer).to_have_attribute("aria-live", "off")  # no announcement every second
    expect(timer).to_contain_text(re.compile(r"Pozostały czas: 01:0[0-2]"))
    expect(page.locator('[aria-live="assertive"]')).to_have_text("Została 1 minuta.")
    expect(timer).to_contain_text(re.compile(r"00:[56]\d"))


def test_a_save_that_fails_is_retried(open_quiz):
    quiz = make_quiz([make_question()])
    page = open_quiz(quiz)
    page.get_by_role("button", name="Rozpocznij test").click()
    requests = []

    def offline(route):
        requests.append(route.request.url)
        route.abort("internetdisconnected")

    page.route(SAVE, offline)
    question(page, 1, 1).get_by_label("3 lata").check()
    status = page.get_by_role("status")
    expect(status).to_have_text("Błąd zapisu – spróbuj ponownie")
    retry = page.get_by_role("button", name="Spróbuj ponownie")
    tried = len(requests)
    retry.click()  # still offline: fails again
    for _ in range(50):  # the route handler runs while Playwright waits
        if len(requests) > tried:
            break
        page.wait_for_timeout(100)
    assert len(requests) > tried
    expect(retry).to_be_visible()
    expect(status).to_have_text("Błąd zapisu – spróbuj ponownie")
    page.unroute(SAVE)  # back online: the automatic retry saves it
    expect(status).to_have_text("Zapisano", timeout=15_000)
    expect(retry).to_be_hidden()
    assert Attempt.objects.get(quiz=quiz).questions.get().answer is not None


def test_a_refused_answer_is_explained_next_to_its_question(open_quiz, assert_accessible):
    quiz = make_quiz(
        [make_question(type="numerical", definition=factories.numerical(unit_required=True))]
    )
    page = open_quiz(quiz)
    page.get_by_role("button", name="Rozpocznij test").click()
    group = question(page, 1, 1)
    expect(group).to_contain_text("Podaj jednostkę: km, m.")
    field = group.get_by_label("Twoja odpowiedź")

    field.fill("3,5")
    field.blur()
    error = group.locator(".quiz-question__error")
    expect(error).to_have_text("Podaj jednostkę: km, m.")  # the API's message, in Polish
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("status")).to_have_text("Nie zapisano – popraw odpowiedź w pytaniu 1")
    assert_accessible(page)

    with saved(page):
        field.fill("3,5 km")
    expect(error).to_be_hidden()
    expect(field).not_to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("status")).to_have_text("Zapisano")


def test_review_shows_what_the_review_options_allow(open_quiz, assert_accessible):
    category = make_category()
    full_review = make_quiz(
        [
            make_question(category),
            make_question(category, type="matching", definition=factories.matching()),
            make_question(
                category, type="essay", definition=factories.essay(), text="Opisz zatrzymanie."
            ),
            make_question(
                category, type="true_false", definition=factories.true_false(), text="ENA?"
            ),
        ],
        title="Z pełnym omówieniem",
        layout="all",
        review_options={
            "immediately": [
                "correctness",
                "marks",
                "feedback",
                "general_feedback",
                "right_answer",
                "overall_feedback",
            ]
        },
        overall_feedback=[{"min": 80, "text": "Świetnie."}, {"min": 0, "text": "Powtórz moduł 2."}],
    )
    page = open_quiz(full_review)
    page.get_by_role("button", name="Rozpocznij test").click()
    expect(page.locator("fieldset.quiz-question")).to_have_count(4)  # all on one page
    expect(page.get_by_role("navigation", name="Pytania")).to_have_count(0)
    question(page, 1, 4).get_by_label("6 miesięcy").check()
    matching = question(page, 2, 4)
    matching.get_by_label("Europol", exact=True).select_option(label="Współpraca organów ścigania")
    matching.get_by_label("Frontex", exact=True).select_option(
        label="Straż graniczna i przybrzeżna"
    )
    question(page, 3, 4).get_by_label("Twoja odpowiedź").fill(
        "Legitymuję, pouczam, spisuję protokół."
    )
    assert_accessible(page)
    assert_fits_phone_width(page)
    page.get_by_role("button", name="Wyślij odpowiedzi").click()
    dialog = page.get_by_role("dialog", name="Wysłać odpowiedzi?")
    expect(dialog).to_contain_text("Pytania bez odpowiedzi: 4.")
    dialog.get_by_role("button", name="Wyślij", exact=True).click()

    expect(page.get_by_role("heading", name="Wynik")).to_be_focused()
    expect(page.get_by_text("Powtórz moduł 2.")).to_be_visible()
    reviews = page.locator(".quiz-review__item")
    wrong, partial, essay, blank = (reviews.nth(n) for n in range(4))
    expect(wrong).to_contain_text("Niepoprawna")
    expect(wrong).to_contain_text("Punkty: 0 z 1")
    expect(wrong).to_contain_text("Twoja odpowiedź: 6 miesięcy")
    expect(wrong).to_contain_text("Poprawna odpowiedź: 12 miesięcy")
    expect(wrong).to_contain_text("Informacja zwrotna: Za mało.")
    expect(wrong).to_contain_text("Wyjaśnienie: Art. 2 decyzji ramowej.")
    expect(partial).to_contain_text("Częściowo poprawna")
    expect(partial).to_contain_text("Punkty: 0,67 z 1")
    expect(partial).to_contain_text("Eurojust → Brak odpowiedzi")
    expect(partial.locator(".quiz-review__right")).to_contain_text(
        "Eurojust → Współpraca wymiarów sprawiedliwości"
    )
    expect(essay).to_contain_text("Punkty: czeka na ocenę")
    expect(essay).to_contain_text("Twoja odpowiedź: Legitymuję, pouczam, spisuję protokół.")
    expect(essay.locator(".quiz-review__right")).to_have_count(0)  # an essay has none
    expect(page.get_by_text("Część odpowiedzi oceni instruktor")).to_be_visible()
    expect(blank).to_contain_text("Twoja odpowiedź: Brak odpowiedzi")
    expect(blank).to_contain_text("Poprawna odpowiedź: Prawda")
    assert_accessible(page)
    assert_fits_phone_width(page)

    marks_only = make_quiz(
        [make_question(category)], title="Tylko punkty", review_options={"immediately": ["marks"]}
    )
    page = open_quiz(marks_only)
    page.get_by_role("button", name="Rozpocznij test").click()
    question(page, 1, 1).get_by_label("6 miesięcy").check()
    page.get_by_role("button", name="Wyślij odpowiedzi").click()
    page.get_by_role("dialog").get_by_role("button", name="Wyślij", exact=True).click()
    expect(page.locator(".quiz-result__score")).to_have_text("Zdobyte punkty: 0 z 1 (0%)")
    review = page.locator(".quiz-review__item")
    expect(review).to_contain_text("Twoja odpowiedź: 6 miesięcy")
    expect(review).to_contain_text("Punkty: 0 z 1")
    for hidden in ("Niepoprawna", "Poprawna odpowiedź", "Informacja zwrotna", "Wyjaśnienie"):
        expect(review).not_to_contain_text(hidden)
    assert_accessible(page)
