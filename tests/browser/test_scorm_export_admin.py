"""An editor exports a module as SCORM from the page editor's "More" menu, follows the
export's status page and downloads the zip; every page passes axe."""

import io
import re
import zipfile

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect
from wagtail.users.models import UserProfile

from tests.browser.conftest import sign_in_to_admin
from tests.factories import make_catalogue, make_course, make_home, make_module
from tests.quizzes.factories import make_question, make_quiz

# The live server needs committed data (a transactional test); serialized_rollback
# restores what migrations created (root page, groups, workflow) after the flush.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1400, "height": 900}
PASSWORD = "haslo-redaktora-2026"


@pytest.fixture(autouse=True)
def private_exports(settings, tmp_path):
    settings.SCORM_EXPORT_ROOT = tmp_path / "private-exports"


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("redaktor", password=PASSWORD)
    user.groups.add(Group.objects.get(name="Editors"))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"  # assertions read the strings as written in the code
    profile.save()
    return user


@pytest.fixture
def module():
    course = make_course(make_catalogue(make_home()), title="Kurs eksportu")
    quiz = make_quiz([make_question()])
    return make_module(
        course,
        title="Moduł eksportu",
        body=[
            {"type": "heading", "value": {"text": "Wstęp"}},
            {"type": "quiz", "value": {"quiz": quiz.pk}},
        ],
    )


def test_an_editor_exports_a_module_and_downloads_it(
    browser, live_server, editor, module, assert_accessible
):
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", accept_downloads=True)
    page = context.new_page()
    errors = sign_in_to_admin(page, live_server.url, editor, PASSWORD)

    page.goto(f"{live_server.url}/admin/pages/{module.pk}/edit/")
    page.get_by_role("navigation", name="Actions", exact=True).get_by_role("button").click()
    page.get_by_role("link", name="Export SCORM").click()
    page.wait_for_url(re.compile(rf"/admin/scorm-exports/pages/{module.pk}/$"))
    expect(page.get_by_role("heading", name=re.compile("as a SCORM package"))).to_be_visible()
    assert_accessible(page)

    page.get_by_label(re.compile("SCORM 2004 4th Edition")).check()
    page.get_by_label(re.compile("Passed / Failed:")).check()
    page.get_by_role("button", name="Export", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/scorm-exports/\d+/$"))
    expect(page.get_by_text("The package is ready.")).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as info:
        page.get_by_role("link", name="Download the package").click()
    download = info.value
    assert download.suggested_filename.endswith("-scorm2004-pl.zip")
    with zipfile.ZipFile(io.BytesIO(open(download.path(), "rb").read())) as archive:
        assert "imsmanifest.xml" in archive.namelist()

    page.goto(f"{live_server.url}/admin/scorm-exports/")
    expect(page.get_by_role("link", name="Moduł eksportu")).to_be_visible()
    assert_accessible(page)
    context.close()
    assert not errors, errors
