"""The SCORM export API: editors only; 202 with the export, 400 per field, polling, the
download (409 before it is done), the list, and the schema."""

import pytest
from rest_framework.test import APIClient

from scorm_export import tasks
from scorm_export.errors import ExportError
from scorm_export.models import ScormExport
from tests.factories import make_module

from .export_helpers import *  # noqa: F403 (the fixtures)
from .export_helpers import zip_names

pytestmark = pytest.mark.django_db

URL = "/api/v1/scorm-exports/"


def client_for(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_authenticate(user)
    return client


def create(client, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(URL, data, format="json")


def test_an_editor_requests_polls_and_downloads_an_export(
    course, module, users, django_capture_on_commit_callbacks
):
    client = client_for(users["editor"])
    response = create(
        client,
        django_capture_on_commit_callbacks,
        page=course.pk,
        version="2004",
        locale="pl",
        single_sco=True,
        reporting="passed-failed",
        mastery_score=75,
        hide_keys=True,
    )
    assert response.status_code == 202, response.data
    body = response.data
    export = ScormExport.objects.get()
    assert body["id"] == export.pk and body["page"] == course.pk
    assert (body["version"], body["single_sco"], body["mastery_score"]) == ("2004", True, 75)
    assert body["hide_keys"] is True and export.hide_keys
    assert body["reporting"] == "passed-failed" and body["requested_by"] == "redaktor"
    # The response is made before the commit that queues the task (in a test, the end of
    # the `create` block): the export is still queued.
    assert body["status"] == "queued" and body["links"]["download"] is None
    assert response["Location"] == body["links"]["self"]
    assert body["links"]["self"].endswith(f"{URL}{export.pk}/")

    polled = client.get(f"{URL}{export.pk}/")
    assert polled.status_code == 200
    body = polled.data
    assert body["status"] == "done"  # the immediate backend ran it on commit
    assert body["progress"]["percent"] == 100 and body["size"] > 0
    assert body["links"]["download"].endswith(f"{URL}{export.pk}/download/")

    download = client.get(f"{URL}{export.pk}/download/")
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert "imsmanifest.xml" in zip_names(b"".join(download.streaming_content))


def test_defaults_and_a_module(module, users, django_capture_on_commit_callbacks):
    client = client_for(users["editor"])
    response = create(
        client,
        django_capture_on_commit_callbacks,
        page=module.pk,
        version="1.2",
        locale="pl",
        single_sco=True,
    )
    assert response.status_code == 202
    assert response.data["reporting"] == "passed-incomplete"
    assert response.data["mastery_score"] is None
    assert response.data["hide_keys"] is False
    assert response.data["single_sco"] is False  # a module is always one SCO


def test_bad_input_is_400_with_a_message_per_field(
    course, module, users, django_capture_on_commit_callbacks
):
    client = client_for(users["editor"])

    def errors(**data):
        data = {"page": module.pk, "version": "1.2", "locale": "pl", **data}
        response = create(client, django_capture_on_commit_callbacks, **data)
        assert response.status_code == 400, response.data
        return {field: " ".join(map(str, messages)) for field, messages in response.data.items()}

    assert "no page with the id 999999" in errors(page=999999)["page"]
    assert "neither" in errors(page=course.get_parent().pk)["page"]
    draft = make_module(course, title="Szkic")
    draft.unpublish()
    assert "not published in any language" in errors(page=draft.pk)["page"]
    assert "not published in the language uk" in errors(locale="uk")["locale"]
    assert "locale" in errors(locale="de")
    assert "version" in errors(version="2.0")
    assert "reporting" in errors(reporting="sometimes")
    assert "mastery_score" in errors(mastery_score=101)
    assert set(errors(page=None, version=None, locale=None)) == {"page", "version", "locale"}
    assert not ScormExport.objects.exists()


def test_download_is_409_until_done_and_for_a_failed_export(
    module, users, monkeypatch, django_capture_on_commit_callbacks
):
    client = client_for(users["editor"])
    queued = ScormExport.objects.create(
        page=module, page_title=module.title, version="1.2", locale="pl"
    )
    response = client.get(f"{URL}{queued.pk}/download/")
    assert response.status_code == 409
    assert response.data["status"] == "queued" and "not finished" in response.data["detail"]
    assert client.get(f"{URL}{queued.pk}/").data["links"]["download"] is None

    def broken(*args, **kwargs):
        raise ExportError("The image map.png is missing.")

    monkeypatch.setattr(tasks, "export_package", broken)
    response = create(
        client, django_capture_on_commit_callbacks, page=module.pk, version="1.2", locale="pl"
    )
    assert response.status_code == 202
    failed = client.get(f"{URL}{response.data['id']}/").data
    assert failed["status"] == "failed"
    assert failed["error"] == "The image map.png is missing."
    response = client.get(f"{URL}{failed['id']}/download/")
    assert response.status_code == 409 and "map.png is missing" in response.data["detail"]


def test_the_list_is_paginated_shared_by_editors_and_filterable(module, users):
    def make(user, status):
        return ScormExport.objects.create(
            page=module,
            page_title=module.title,
            version="1.2",
            locale="pl",
            requested_by=user,
            status=status,
        )

    mine = make(users["editor"], "done")
    theirs = make(users["editor2"], "failed")
    client = client_for(users["editor"])
    response = client.get(URL)
    assert response.status_code == 200
    assert response.data["count"] == 2
    assert [row["id"] for row in response.data["results"]] == [theirs.pk, mine.pk]
    assert [row["id"] for row in client.get(URL, {"mine": "true"}).data["results"]] == [mine.pk]
    assert [row["id"] for row in client.get(URL, {"status": "failed"}).data["results"]] == [
        theirs.pk
    ]
    # Another editor sees and may download every export.
    assert client_for(users["editor2"]).get(f"{URL}{mine.pk}/").status_code == 200
    assert client.get(f"{URL}999999/").status_code == 404


@pytest.mark.parametrize("role", [None, "trainee", "reviewer"])
def test_only_editors_may_use_it(role, module, users):
    client = client_for(users[role] if role else None)
    export = ScormExport.objects.create(
        page=module, page_title=module.title, version="1.2", locale="pl", status="done"
    )
    expected = {401, 403} if role is None else {403}
    for method, url in [
        ("get", URL),
        ("post", URL),
        ("get", f"{URL}{export.pk}/"),
        ("get", f"{URL}{export.pk}/download/"),
    ]:
        response = getattr(client, method)(url, {"page": module.pk} if method == "post" else None)
        assert response.status_code in expected, (role, method, url, response.status_code)
    assert ScormExport.objects.count() == 1


def test_the_schema_documents_the_endpoints(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    assert set(paths[URL]) >= {"get", "post"}
    assert "202" in paths[URL]["post"]["responses"]
    assert "400" in paths[URL]["post"]["responses"]
    assert "get" in paths[URL + "{id}/"]
    download = paths[URL + "{id}/download/"]["get"]["responses"]
    assert "application/zip" in download["200"]["content"]
    assert "409" in download
    assert "ExportRequest" in schema["components"]["schemas"]
