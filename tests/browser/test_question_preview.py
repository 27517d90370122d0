"""An editor previews a question in Wagtail's admin as trainees see it, and has it graded.

The live preview panel shows the player on the editor's unsaved form; answering and
submitting grades through the admin (quizzes/admin_views.py) and stores nothing.
"""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from quizzes.models import Attempt
from tests.browser.conftest import sign_in_to_admin
from tests.quizzes.factories import make_question

# The live server needs committed data (a transactional test); serialized_rollback
# restores what migrations created (root page, groups, workflow) after the flush.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1400, "height": 900}
PASSWORD = "haslo-redaktora-2026"
GRADE = re.compile(r"/admin/quizzes/question-preview/grade/$")


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("redaktor", password=PASSWORD)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def admin_page(browser, live_server, editor):
    """A desktop page signed in to the admin through its sign-in form; fails the test on any
    uncaught JavaScript error (the preview frame's included)."""
    context = browser.new_context(viewport=DESKTOP, locale="pl-PL")
    # Wagtail's admin says when it notices edits (its unsaved-changes check starts 2 s after
    # the page loads) and when the preview panel's first load is done: changes made before
    # either are not previewed.
    context.add_init_script(
        "document.addEventListener('w-unsaved:watch-edits', () => { window.watchingEdits = 1; });"
        "document.addEventListener('w-preview:ready', () => { window.previewReady = 1; });"
    )
    page = context.new_page()
    errors = sign_in_to_admin(page, live_server.url, editor, PASSWORD)
    yield page
    context.close()
    assert not errors, errors


def test_an_editor_previews_and_grades_a_question(admin_page, live_server, assert_accessible):
    page = admin_page
    question = make_question(general_feedback="<p>Art. 2 decyzji ramowej.</p>")
    page.goto(f"{live_server.url}/admin/snippets/quizzes/question/edit/{question.pk}/")
    page.get_by_role("button", name="Przełącz podgląd").click()

    preview = page.frame_locator("#w-preview-iframe")
    group = preview.get_by_role("group", name=re.compile(r"^Pytanie 1 z 1\b"))
    expect(group).to_contain_text("Jaki jest minimalny próg kary dla ENA?")
    expect(group).to_contain_text("Punkty: 1")
    page.wait_for_function("() => window.previewReady && window.watchingEdits")

    # An unsaved change shows in the preview, and the refreshed preview leaves the
    # editor's focus where it was.
    mark = page.locator("input[name=default_mark]")
    mark.fill("2")
    expect(group).to_contain_text("Punkty: 2")
    expect(mark).to_be_focused()

    frame = page.locator("#w-preview-iframe").element_handle().content_frame()
    expect(frame.locator("html")).to_have_attribute("lang", "pl")
    assert_accessible(frame)

    # A wrong answer first.
    group.get_by_label("3 lata").check()
    preview.get_by_role("button", name="Wyślij odpowiedzi").click()
    dialog = preview.get_by_role("dialog")
    with page.expect_response(lambda response: GRADE.search(response.url)) as graded:
        dialog.get_by_role("button", name="Wyślij", exact=True).click()
    assert graded.value.status == 200
    expect(preview.get_by_role("heading", name="Wynik")).to_be_focused()
    review = preview.locator(".quiz-review__item")
    expect(review).to_contain_text("Niepoprawna")
    expect(review).to_contain_text("Punkty: 0 z 2")
    expect(review).to_contain_text("Za dużo.")  # the chosen option's feedback
    expect(review.locator(".quiz-review__right")).to_contain_text("12 miesięcy")
    expect(review).to_contain_text("Art. 2 decyzji ramowej.")
    expect(preview.locator(".quiz-result__score")).to_contain_text("0 z 2")
    assert_accessible(frame)

    # "Try again" starts afresh; the right answer gets full marks.
    preview.get_by_role("button", name="Spróbuj ponownie").click()
    expect(group.get_by_label("3 lata")).not_to_be_checked()
    group.get_by_label("12 miesięcy").check()
    preview.get_by_role("button", name="Wyślij odpowiedzi").click()
    preview.get_by_role("dialog").get_by_role("button", name="Wyślij", exact=True).click()
    expect(review).to_contain_text("Poprawna")
    expect(review).to_contain_text("Punkty: 2 z 2")
    expect(review).to_contain_text("Dobrze.")
    expect(preview.locator(".quiz-result__score")).to_contain_text("2 z 2")

    # Previewing stored nothing: no attempt, no new version, the old mark.
    question.refresh_from_db()
    assert question.versions.count() == 1 and str(question.default_mark) == "1.00"
    assert not Attempt.objects.exists()
