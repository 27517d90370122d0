"""A reviewer opens a quiz's results in Wagtail's admin, reviews an attempt and grades its
essay by hand (quizzes/report_views.py); every page passes axe."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quizzes import services
from quizzes.models import AttemptQuestion
from tests.browser.conftest import make_reviewer, sign_in_to_admin
from tests.quizzes.factories import essay, make_category, make_question, make_quiz

# The live server needs committed data (a transactional test); serialized_rollback
# restores what migrations created (root page, groups, workflow) after the flush.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1400, "height": 900}
PASSWORD = "haslo-recenzenta-2026"
ESSAY = "Zabezpieczam teren, wzywam technika kryminalistyki i spisuję świadków."


@pytest.fixture
def reviewer(django_user_model):
    return make_reviewer(django_user_model, "recenzent", PASSWORD)


@pytest.fixture
def attempt(django_user_model):
    """A submitted attempt whose essay waits for a grader."""
    category = make_category()
    quiz = make_quiz(
        [
            make_question(category, name="Próg kary ENA"),
            make_question(
                category,
                type="essay",
                definition=essay(),
                mark="2",
                name="Zabezpieczenie miejsca",
                text="<p>Opisz, jak zabezpieczysz miejsce zdarzenia.</p>",
            ),
        ],
        title="Sprawdzian z ENA",
    )
    trainee = django_user_model.objects.create_user("anna", first_name="Anna", last_name="Żak")
    started = timezone.now() - timedelta(minutes=20)
    attempt = services.start_attempt(quiz, trainee, now=started).attempt
    services.save_answer(attempt, 1, {"option": "b"}, now=started + timedelta(minutes=2))
    services.save_answer(attempt, 2, {"text": ESSAY}, now=started + timedelta(minutes=9))
    services.submit_attempt(attempt, now=started + timedelta(minutes=10))
    return attempt


@pytest.fixture
def admin_page(browser, live_server, reviewer):
    """A desktop page signed in to the admin through its sign-in form; fails the test on any
    uncaught JavaScript error."""
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    page = context.new_page()
    errors = sign_in_to_admin(page, live_server.url, reviewer, PASSWORD)
    yield page
    context.close()
    assert not errors, errors


def test_a_reviewer_grades_an_essay_from_the_results(
    admin_page, live_server, attempt, reviewer, assert_accessible
):
    page = admin_page
    page.goto(f"{live_server.url}/admin/snippets/quizzes/quiz/")
    page.get_by_role("link", name="Results of “Sprawdzian z ENA”").click()

    # Results: the attempt, waiting for a grader.
    expect(page).to_have_title(re.compile(r"^Results: Sprawdzian z ENA"))
    table = page.get_by_role("table", name="Attempts of “Sprawdzian z ENA”")
    row = table.get_by_role("row").filter(has_text="Anna Żak (anna)")
    expect(row).to_contain_text("Needs grading")
    expect(row).to_contain_text("1.00\u00a0/\u00a03.00")
    expect(page.get_by_role("link", name="Download CSV")).to_have_attribute(
        "href", re.compile(rf"/api/v1/quizzes/{attempt.quiz_id}/report/attempts/\?format=csv")
    )
    assert_accessible(page)

    # The attempt's review, with the essay and a grading form.
    row.get_by_role("link", name="Anna Żak (anna)").click()
    essay_section = page.get_by_role("region", name="Question 2: Zabezpieczenie miejsca")
    expect(essay_section).to_contain_text(ESSAY)
    expect(essay_section).to_contain_text("Oceń kolejność czynności.")  # for graders
    mark = essay_section.get_by_label("Mark (0 to 2.00)")
    assert_accessible(page)

    # A mark above the question's mark is refused next to the field.
    mark.fill("3")
    essay_section.get_by_role("button", name="Save grade").click()
    expect(essay_section).to_contain_text("Ensure this value is less than or equal to 2.00.")
    assert_accessible(page)

    mark = page.get_by_role("region", name="Question 2: Zabezpieczenie miejsca").get_by_label(
        "Mark (0 to 2.00)"
    )
    mark.fill("1.5")
    page.get_by_label("Comment").fill("Brakuje dokumentacji fotograficznej.")
    page.get_by_role("button", name="Save grade").click()
    expect(page.locator(".messages")).to_contain_text("Question 2 graded: 1.50 out of 2.00.")
    essay_section = page.get_by_role("region", name="Question 2: Zabezpieczenie miejsca")
    expect(essay_section).to_contain_text("Brakuje dokumentacji fotograficznej.")
    expect(essay_section).to_contain_text("1.50 out of 2.00")
    # Wagtail fades its messages in; axe would measure the contrast halfway through.
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
    assert_accessible(page)

    graded = AttemptQuestion.objects.get(attempt=attempt, position=2)
    assert (graded.mark, graded.needs_grading, graded.graded_by) == (
        Decimal("1.50"),
        False,
        reviewer,
    )
