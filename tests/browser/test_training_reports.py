"""A trainer opens the training reports from the admin's menu: the per-unit completion report
shows its chart and its table and downloads as CSV; the pages pass axe."""

import re
from datetime import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lms.models import Enrolment, TraineeProfile, Unit
from tests.browser.conftest import make_reviewer, sign_in_to_admin
from tests.factories import make_catalogue, make_course, make_home
from tests.lms.learning import make_trainee

# The live server needs committed data (a transactional test); serialized_rollback
# restores what migrations created (root page, groups, workflow) after the flush.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1400, "height": 900}
PASSWORD = "haslo-trenera-2026"


@pytest.fixture
def trainer(django_user_model, units_with_trainees):
    """A trainer at national headquarters: every unit is in their scope."""
    user = make_reviewer(django_user_model, "trener", PASSWORD)
    TraineeProfile.objects.create(user=user, unit=units_with_trainees)
    return user


@pytest.fixture
def units_with_trainees() -> Unit:
    """The national headquarters over Lublin and Chełm, with a trainee in each."""
    national = Unit.add_root(name="Komenda Główna Policji", code="kgp", kind="national")
    lublin = national.add_child(name="KWP Lublin", code="kwp-lublin", kind="voivodeship")
    chelm = lublin.add_child(name="KMP Chełm", code="kmp-chelm", kind="district")
    course = make_course(make_catalogue(make_home()), title="Poszukiwania")
    enrolled = timezone.make_aware(datetime(2026, 3, 2, 9))
    for username, unit, completed in [("anna", chelm, True), ("bartek", lublin, False)]:
        user = make_trainee(username)
        TraineeProfile.objects.create(user=user, unit=unit)
        Enrolment.objects.create(
            user=user,
            course=course,
            enrolled_at=enrolled,
            completed_at=enrolled if completed else None,
        )
    return Unit.objects.get(pk=national.pk)  # its child count changed


def test_a_trainer_reads_completion_per_unit_and_downloads_it(
    browser, live_server, trainer, units_with_trainees, assert_accessible
):
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", accept_downloads=True)
    page = context.new_page()
    errors = sign_in_to_admin(page, live_server.url, trainer, PASSWORD)

    page.get_by_role("button", name="Training reports").click()
    page.get_by_role("link", name="Completion per unit").click()

    expect(page).to_have_title(re.compile(r"^Completion per unit"))
    chart = page.get_by_role("img", name="Completion rate per unit", exact=True)
    expect(chart).to_be_visible()
    assert chart.evaluate("node => node.tagName.toLowerCase()") == "svg"
    table = page.get_by_role("table", name="Completion per unit, each with the units under it")
    expect(table.get_by_role("row").filter(has_text="KWP Lublin")).to_contain_text("50.0")
    expect(table.get_by_role("row").filter(has_text="KMP Chełm")).to_contain_text("100.0")
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    download = download_info.value
    assert re.fullmatch(r"completion-per-unit-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    text = download.path().read_text(encoding="utf-8-sig")
    assert "KWP Lublin,2,1,50.0" in text

    # Filters: one unit's subtree.
    page.get_by_label("Unit", exact=True).select_option(label="\u00a0" * 4 + "KWP Lublin")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("table").filter(has_text="KMP Chełm")).not_to_contain_text(
        "Komenda Główna Policji"
    )
    assert_accessible(page)

    context.close()
    assert not errors, errors
