"""SCORM export in Wagtail's admin: the action on courses and modules, the form, the status
page, the download, the list, and who may use them."""

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from scorm_export import tasks
from scorm_export.errors import ExportError
from scorm_export.models import ScormExport
from tests.factories import make_module

from .export_helpers import *  # noqa: F403 (the fixtures)
from .export_helpers import zip_names

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def admin_in_english():
    with translation.override("en"):
        yield


def signed_in(client, user, language: str = "en"):
    """Signs `user` in, with the admin in `language` (Wagtail's account preference)."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    return client


def export_url(page) -> str:
    return reverse("scorm_export:export_page", args=[page.pk])


def post_export(client, page, **data):
    """Post the form and run the queued task as the commit does (immediate backend)."""
    data = {"version": "1.2", "locale": "pl", "reporting": "passed-incomplete", **data}
    return client.post(export_url(page), data)


def test_the_action_is_offered_on_courses_and_modules_to_editors_only(
    client, course, module, users
):
    catalogue = course.get_parent()
    signed_in(client, users["editor"])
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[course.pk])).content.decode()
    assert export_url(course) in edit and "Export SCORM" in edit
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[module.pk])).content.decode()
    assert export_url(module) in edit
    # The explorer: the course's header menu and each module's "More" menu.
    explorer = client.get(reverse("wagtailadmin_explore", args=[course.pk])).content.decode()
    assert export_url(course) in explorer and export_url(module) in explorer
    explorer = client.get(reverse("wagtailadmin_explore", args=[catalogue.pk])).content.decode()
    assert export_url(course) in explorer and export_url(catalogue) not in explorer
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[catalogue.pk])).content.decode()
    assert "scorm-exports/pages/" not in edit
    assert "/admin/scorm-exports/" in client.get(reverse("wagtailadmin_home")).content.decode()

    signed_in(client, users["reviewer"])  # admin access, no export permission
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[course.pk])).content.decode()
    assert "scorm-exports/" not in edit
    assert "/admin/scorm-exports/" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_admin_speaks_polish(client, module, users):
    signed_in(client, users["editor"], "pl")
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[module.pk])).content.decode()
    assert "Eksportuj SCORM" in edit
    form = client.get(export_url(module)).content.decode()
    assert "Wersja SCORM" in form and "Raportowanie do LMS" in form


def test_the_form_offers_published_languages_and_validates(client, course, module, users):
    signed_in(client, users["editor"])
    response = client.get(export_url(course))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields) == [
        "version",
        "scope",
        "locale",
        "reporting",
        "mastery_score",
        "hide_keys",
    ]
    assert [code for code, _ in form.fields["locale"].choices] == ["pl"]
    assert 'name="hide_keys"' in response.content.decode()

    form = client.get(export_url(module)).context["form"]
    assert "scope" not in form.fields  # a module is always one SCO

    response = post_export(client, module, locale="uk", mastery_score="150", version="3")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"locale", "mastery_score", "version"}
    assert not ScormExport.objects.exists()


def test_an_unpublished_page_cannot_be_exported(client, course, users):
    draft = make_module(course, title="Szkic")
    draft.unpublish()
    signed_in(client, users["editor"])
    response = client.get(export_url(draft))
    assert "not published in any language" in response.content.decode()
    assert post_export(client, draft).status_code == 200
    assert not ScormExport.objects.exists()


def test_other_pages_are_not_exportable(client, course, users):
    signed_in(client, users["editor"])
    assert client.get(export_url(course.get_parent())).status_code == 404


def test_an_editor_exports_a_course_and_downloads_the_zip(
    client, course, module, users, django_capture_on_commit_callbacks
):
    signed_in(client, users["editor"])
    with django_capture_on_commit_callbacks(execute=True):
        response = post_export(
            client, course, version="2004", scope="course", mastery_score="80", hide_keys="on"
        )
    export = ScormExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("scorm_export:status", args=[export.pk])
    assert (export.version, export.single_sco, export.mastery_score) == ("2004", True, 80)
    assert export.hide_keys
    assert export.requested_by == users["editor"]

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.context["state"]["status"] == "done", page.context["state"]
    download = reverse("scorm_export:download", args=[export.pk])
    assert download in html and 'aria-live="polite"' in html
    assert "answer keys hidden" in html
    assert "data-status-url" not in html  # finished: nothing to poll

    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert ".zip" in response["Content-Disposition"]
    assert "imsmanifest.xml" in zip_names(b"".join(response.streaming_content))

    listing = client.get(reverse("scorm_export:index")).content.decode()
    assert "Kurs eksportu" in listing and download in listing

    status = client.get(reverse("scorm_export:status_json", args=[export.pk])).json()
    assert status["status"] == "done" and status["percent"] == 100
    assert status["download_url"] == download


def test_a_running_export_shows_its_progress_and_polls(client, module, users):
    export = ScormExport.objects.create(
        page=module,
        page_title=module.title,
        version="1.2",
        locale="pl",
        status="running",
        progress_done=3,
        progress_total=12,
    )
    signed_in(client, users["editor"])
    html = client.get(reverse("scorm_export:status", args=[export.pk])).content.decode()
    assert "3 / 12 (25%)" in html and '<progress aria-labelledby="scorm-export-label"' in html
    assert reverse("scorm_export:status_json", args=[export.pk]) in html
    assert client.get(reverse("scorm_export:download", args=[export.pk])).status_code == 404


def test_a_failing_export_shows_its_message(
    client, module, users, monkeypatch, django_capture_on_commit_callbacks
):
    def missing_file(*args, **kwargs):
        raise ExportError("The file leaflet.pdf of Moduł eksportu is missing.")

    monkeypatch.setattr(tasks, "export_package", missing_file)
    signed_in(client, users["editor"])
    with django_capture_on_commit_callbacks(execute=True):
        response = post_export(client, module)
    html = client.get(response["Location"]).content.decode()
    assert "The export failed:" in html and "leaflet.pdf of Moduł eksportu is missing" in html
    export = ScormExport.objects.get()
    assert client.get(reverse("scorm_export:download", args=[export.pk])).status_code == 404


def test_who_may_see_and_download_an_export(
    client, module, users, django_capture_on_commit_callbacks
):
    signed_in(client, users["editor"])
    with django_capture_on_commit_callbacks(execute=True):
        post_export(client, module)
    export = ScormExport.objects.get()
    urls = [
        reverse("scorm_export:status", args=[export.pk]),
        reverse("scorm_export:status_json", args=[export.pk]),
        reverse("scorm_export:download", args=[export.pk]),
        reverse("scorm_export:index"),
        export_url(module),
    ]
    # Another editor: the team shares its exports.
    signed_in(client, users["editor2"])
    assert [client.get(url).status_code for url in urls] == [200] * 5
    # A reviewer has admin access but may not export.
    signed_in(client, users["reviewer"])
    assert [client.get(url).status_code for url in urls] == [403] * 5
    assert client.post(export_url(module), {"version": "1.2"}).status_code == 403
    # A trainee has no admin access; anonymous users sign in first.
    for user in (users["trainee"], None):
        client.logout()
        if user:
            signed_in(client, user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert ScormExport.objects.count() == 1
