"""Editors work in Wagtail's admin: every page type's editor renders, and a new
module submitted by an editor waits for review instead of going live."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.models import ModulePage
from tests.factories import (
    make_bank,
    make_catalogue,
    make_course,
    make_home,
    make_module,
    make_practice,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_user("redaktor", password="x-Password-1")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return client


def test_every_page_type_opens_in_the_editor(editor_client):
    home = make_home()
    catalogue = make_catalogue(home)
    course = make_course(catalogue)
    module = make_module(
        course,
        body=[{"type": "callout", "value": {"kind": "tip", "title": "", "text": "<p>x</p>"}}],
    )
    bank = make_bank(home)
    practice = make_practice(bank, tags=["balony"])
    for page in (home, catalogue, course, module, bank, practice):
        response = editor_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert response.status_code == 200, page
    add_module = reverse("wagtailadmin_pages:add", args=["courses", "modulepage", course.pk])
    assert editor_client.get(add_module).status_code == 200


def test_editor_submits_a_new_module_for_review(editor_client):
    course = make_course(make_catalogue(make_home()))
    url = reverse("wagtailadmin_pages:add", args=["courses", "modulepage", course.pk])
    data = nested_form_data(
        {
            "title": "Nowy moduł",
            "slug": "nowy-modul",
            "summary": "Streszczenie",
            "duration_minutes": 20,
            "body": streamfield(
                [
                    ("heading", {"text": "Wprowadzenie"}),
                    ("paragraph", rich_text("<p>Treść modułu.</p>")),
                ]
            ),
            "action-submit": "Submit for review",
        }
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""

    module = ModulePage.objects.get(slug="nowy-modul")
    assert not module.live
    state = WorkflowState.objects.get(object_id=str(module.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Review"
    revision = module.latest_revision.as_object()
    assert [block.block_type for block in revision.body] == ["heading", "paragraph"]


def test_live_preview_may_be_framed_by_the_admin_only(editor_client):
    module = make_module(make_course(make_catalogue(make_home())))
    preview = reverse("wagtailadmin_pages:preview_on_edit", args=[module.pk])
    response = editor_client.get(preview)
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert editor_client.get(module.url)["X-Frame-Options"] == "DENY"
