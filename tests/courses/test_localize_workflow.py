"""Editors translate a course page by page with wagtail-localize, from the admin."""

import uuid

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, StringTranslation, Translation

from courses.models import ModulePage
from tests.factories import make_catalogue, make_course, make_home, make_image, make_module

pytestmark = pytest.mark.django_db


def list_items(*values):
    """ListBlock items as the admin saves them (block format, with ids)."""
    return [{"type": "item", "value": value, "id": str(uuid.uuid4())} for value in values]


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("redaktor", password="x-Password-1")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def test_editor_submits_a_module_for_translation_and_publishes_the_english_version(
    client, editor, django_capture_on_commit_callbacks
):
    english = Locale.objects.create(language_code="en")
    image = make_image()
    module = make_module(
        make_course(make_catalogue(make_home())),
        title="Pościg za granicę",
        summary="Zasady pościgu.",
        body=[
            {"type": "heading", "value": {"text": "Zasady"}},
            {"type": "paragraph", "value": "<p>Pościg tylko w strefie Schengen.</p>"},
            {
                "type": "callout",
                "value": {"kind": "legal", "title": "Art. 41", "text": "<p>Podstawa.</p>"},
            },
            {
                "type": "image",
                "value": {"image": image.pk, "alt_text": "Radiowóz", "caption": "Na drodze"},
            },
            {
                "type": "checklist",
                "value": {"title": "Przed", "items": list_items("Zgłoś", "Przerwij")},
            },
            {
                "type": "key_terms",
                "value": {
                    "title": "Terminy",
                    "terms": list_items({"term": "Pościg", "definition": "Pursuit"}),
                },
            },
        ],
    )
    client.force_login(editor)

    url = reverse("wagtail_localize:submit_page_translation", args=[module.pk])
    response = client.post(url, {"locales": [english.pk], "include_subtree": ""})
    assert response.status_code == 302

    translation = Translation.objects.get(source__object_id=module.translation_key)
    segments = StringSegment.objects.filter(source=translation.source).select_related("string")
    texts = {segment.string.data for segment in segments}
    assert {"Pościg za granicę", "Zasady", "Art. 41", "Radiowóz", "Zgłoś", "Pościg"} <= texts
    assert "legal" not in texts  # a choice, not prose: synchronised, not translated

    for segment in segments:
        StringTranslation.objects.create(
            translation_of=segment.string,
            locale=english,
            context=segment.context,
            data=f"EN {segment.string.data}",
        )
    with django_capture_on_commit_callbacks(execute=True):  # it publishes on commit
        translation.save_target(user=editor, publish=True)

    english_module = module.get_translation(english).specific
    assert english_module.live
    assert english_module.title == "EN Pościg za granicę"
    blocks = {block.block_type: block.value for block in english_module.body}
    assert blocks["heading"]["text"] == "EN Zasady"
    assert blocks["callout"]["kind"] == "legal"
    assert blocks["image"]["alt_text"] == "EN Radiowóz"
    assert blocks["image"]["image"].pk == image.pk
    assert list(blocks["checklist"]["items"]) == ["EN Zgłoś", "EN Przerwij"]
    assert blocks["key_terms"]["terms"][0]["definition"] == "EN Pursuit"
    assert isinstance(english_module, ModulePage)
    assert "EN Zasady" in client.get(english_module.url).content.decode()
