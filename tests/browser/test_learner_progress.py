"""A trainee on a phone takes a course from enrolment to a verified certificate:
enrol, open the modules, pass the quiz, 100 % on "My courses", download the certificate,
open its public verification page."""

import re

import pytest
from playwright.sync_api import expect
from wagtail.models import Locale

from courses.models import CataloguePage, CompletionRule
from tests.browser import test_trainee_journey
from tests.browser.quiz_ui import choose, question, submit_attempt
from tests.browser.test_trainee_journey import PHONE, assert_fits_phone_width
from tests.factories import make_course, make_module
from tests.lms.pdf_text import pdf_text_lines
from tests.quizzes.factories import make_question, make_quiz

# The live server needs committed data (a transactional test); serialized_rollback
# restores what migrations created (root page, groups, workflow) after the flush.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

demo_site = test_trainee_journey.demo_site  # the seeded demo site (a fixture)


@pytest.fixture
def short_course(demo_site):
    """A two-module course in the demo catalogue: reading, then a one-question quiz."""
    catalogue = CataloguePage.objects.get(locale=Locale.get_default())
    course = make_course(
        catalogue,
        title="Kontrola dokumentów – kurs skrócony",
        slug="kontrola-dokumentow",
        completion_rule=CompletionRule.VIEWED_AND_QUIZ,
    )
    make_module(
        course,
        title="Dokumenty podróży",
        body=[("paragraph", "<p>Paszport i dowód osobisty.</p>")],
    )
    make_module(
        course,
        title="Sprawdzian",
        body=[("quiz", {"quiz": make_quiz([make_question()], title="Sprawdź się")})],
    )
    return course


def test_a_trainee_completes_a_course_and_verifies_the_certificate(
    live_server, short_course, browser, assert_accessible
):
    context = browser.new_context(viewport=PHONE, locale="pl-PL", accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{live_server.url}/pl/accounts/login/?next={short_course.url}")
    page.get_by_label("Nazwa użytkownika").fill("trainee")
    page.get_by_label("Hasło").fill("demo-trainee-2026")
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_url(f"**{short_course.url}")
    assert_accessible(page)

    page.get_by_role("button", name="Zapisz się na kurs").click()
    expect(page.get_by_text("Jesteś zapisany(-a): ukończono 0 z 2 modułów")).to_be_visible()
    expect(page.locator(".module-progress")).to_have_text(["Nie rozpoczęto"] * 2)
    assert_accessible(page)
    assert_fits_phone_width(page)

    page.get_by_role("link", name="Kontynuuj kurs").click()
    expect(page.locator("h1")).to_have_text("Dokumenty podróży")
    page.get_by_role("link", name=re.compile("Następny moduł")).click()
    expect(page.locator("h1")).to_have_text("Sprawdzian")

    player = page.locator(".quiz-player")
    player.get_by_role("button", name="Rozpocznij test").click()
    choose(question(player, 1, 1), "12 miesięcy")
    submit_attempt(player)
    assert_accessible(page)

    page.get_by_role("navigation", name="Menu główne").get_by_role(
        "link", name="Moje kursy"
    ).click()
    completed = page.get_by_role("region", name="Ukończone")
    course_card = completed.locator(".learner-course").filter(has_text=short_course.title)
    expect(course_card.locator(".learner-progress__figure")).to_have_text("100 %")
    expect(page.get_by_role("region", name="W toku")).to_contain_text("Międzynarodowe")
    assert_accessible(page)
    assert_fits_phone_width(page)

    with page.expect_download() as download:
        course_card.get_by_role("link", name="Pobierz zaświadczenie (PDF)").click()
    pdf = download.value.path().read_bytes()
    code = course_card.locator(".certificate-code").inner_text()
    assert download.value.suggested_filename == f"certificate-{code}.pdf"
    lines = pdf_text_lines(pdf)
    assert "Trainee" in lines and short_course.title in lines
    assert f"Kod weryfikacyjny: {code}" in lines

    # Anyone with the code, signed in or not, can check the certificate.
    visitor = browser.new_context(viewport=PHONE, locale="pl-PL").new_page()
    visitor.goto(f"{live_server.url}/pl/certificates/{code.lower().replace('-', '')}/")
    expect(visitor.get_by_role("status")).to_have_text("To zaświadczenie jest autentyczne.")
    expect(visitor.locator(".certificate-facts dd")).to_have_count(3)
    expect(visitor.locator(".certificate-facts")).to_contain_text("Trainee")
    expect(visitor.locator(".certificate-facts")).to_contain_text(short_course.title)
    assert_accessible(visitor)
    assert_fits_phone_width(visitor)
    visitor.context.close()
    context.close()
    assert not errors, errors
