"""A trainee on a phone registers for classroom sessions from "My courses": a seat at one,
the waiting list at a full one, then leaves the waiting list.

The selectors lean on the page's structure (form actions, section ids), not on its words,
so the test holds whichever translations are compiled."""

from datetime import timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from wagtail.models import Locale

from courses.models import CoursePage
from lms import services
from lms.demo import DEMO_STARTED_COURSE
from lms.models import SessionRegistration, TrainingSession
from tests.browser import test_trainee_journey
from tests.browser.test_trainee_journey import PHONE, assert_fits_phone_width
from tests.lms.learning import make_trainee
from tests.lms.test_training_sessions import make_session

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

demo_site = test_trainee_journey.demo_site  # the seeded demo site (a fixture)


def test_a_trainee_registers_for_sessions_from_my_courses(
    live_server, demo_site, browser, assert_accessible
):
    course = CoursePage.objects.get(slug=DEMO_STARTED_COURSE, locale=Locale.get_default())
    open_session = make_session(
        course,
        title="Warsztaty praktyczne: zatrzymanie osoby ściganej",
        capacity=10,
        starts_in=timedelta(days=4),
        kind=TrainingSession.Kind.PRACTICAL,
    )
    full_session = make_session(
        course, title="Seminarium: Europejski Nakaz Aresztowania", capacity=1
    )
    services.register_for_session(make_trainee("pierwszy"), full_session)

    context = browser.new_context(viewport=PHONE, locale="pl-PL")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/pl/accounts/login/?next=/pl/my-courses/")
    page.get_by_label("Nazwa użytkownika").fill("trainee")
    page.get_by_label("Hasło").fill("demo-trainee-2026")
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_url("**/pl/my-courses/")

    # The demo trainee already has a seat at the demo workshop in Chełm.
    upcoming = page.locator("section[aria-labelledby='upcoming-sessions']")
    expect(upcoming.locator(".learner-session")).to_have_count(1)
    assert_accessible(page)
    assert_fits_phone_width(page)

    sessions_url = reverse("learner:course_sessions", args=[course.pk])
    page.locator(f"a[href='{sessions_url}']").first.click()
    page.wait_for_url(f"**{sessions_url}")
    assert_accessible(page)
    assert_fits_phone_width(page)

    page.locator(
        f"form[action='{reverse('learner:register_for_session', args=[open_session.pk])}'] button"
    ).click()
    expect(page.get_by_role("status")).to_contain_text(open_session.title)
    page.locator(
        f"form[action='{reverse('learner:register_for_session', args=[full_session.pk])}'] button"
    ).click()
    expect(page.get_by_role("status")).to_contain_text(full_session.title)
    assert_accessible(page)

    mine = SessionRegistration.objects.filter(user__username="trainee")
    assert mine.get(session=open_session).status == SessionRegistration.Status.REGISTERED
    assert mine.get(session=full_session).status == SessionRegistration.Status.WAITLISTED

    page.goto(f"{live_server.url}/pl/my-courses/")
    expect(upcoming.locator(".learner-session")).to_have_count(3)
    waiting = upcoming.locator(".learner-session").filter(has_text=full_session.title)
    expect(waiting).to_contain_text("1")  # first on the waiting list
    assert_accessible(page)
    assert_fits_phone_width(page)

    waiting.get_by_role("button").click()
    page.wait_for_url("**/pl/my-courses/")
    expect(upcoming.locator(".learner-session")).to_have_count(2)
    assert mine.get(session=full_session).status == SessionRegistration.Status.CANCELLED
    context.close()
    assert not errors, errors
