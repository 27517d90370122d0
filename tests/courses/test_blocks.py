import pytest
from django.core.exceptions import ValidationError
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed

from courses.blocks import ImageBlock, VideoBlock
from tests.factories import (
    make_catalogue,
    make_course,
    make_document,
    make_home,
    make_image,
    make_module,
)

pytestmark = pytest.mark.django_db

EMBED_URL = "https://video.example.org/watch/123"


def every_block(image_id: int, document_id: int) -> list[dict]:
    return [
        {"type": "heading", "value": {"text": "Podstawa prawna"}},
        {"type": "paragraph", "value": "<p>Tekst <b>pogrubiony</b>.</p>"},
        {
            "type": "image",
            "value": {
                "image": image_id,
                "alt_text": "Mapa granicy",
                "decorative": False,
                "caption": "Granica wschodnia",
            },
        },
        {
            "type": "video",
            "value": {"title": "Film szkoleniowy", "file": document_id, "embed": None},
        },
        {
            "type": "video",
            "value": {"title": "Film zewnętrzny", "file": None, "embed": EMBED_URL},
        },
        {"type": "document", "value": {"document": document_id, "description": "Do druku"}},
        {
            "type": "callout",
            "value": {"kind": "legal", "title": "Art. 41 KWS", "text": "<p>Pościg.</p>"},
        },
        {
            "type": "case_scenario",
            "value": {
                "title": "Trafienie w SIS",
                "situation": "<p>Kontrola na A4.</p>",
                "question": "Co robisz?",
                "model_answer": "<p>Weryfikuję trafienie.</p>",
            },
        },
        {"type": "checklist", "value": {"title": "Przed wyjazdem", "items": ["Radio", "Mapa"]}},
        {
            "type": "key_terms",
            "value": {"title": "Słowniczek", "terms": [{"term": "ENA", "definition": "Nakaz"}]},
        },
    ]


def test_every_module_block_renders_with_its_template(client):
    Embed.objects.create(  # as cached by an earlier fetch: rendering must not go online
        url=EMBED_URL,
        hash=get_embed_hash(EMBED_URL),
        type="video",
        html='<iframe title="Film"></iframe>',
    )
    image = make_image()
    document = make_document(title="Instrukcja")
    module = make_module(
        make_course(make_catalogue(make_home())), body=every_block(image.pk, document.pk)
    )

    html = client.get(module.url).content.decode()

    assert '<h2 class="block-heading" id="podstawa-prawna">Podstawa prawna</h2>' in html
    assert "<b>pogrubiony</b>" in html
    assert 'alt="Mapa granicy"' in html and "<figcaption>Granica wschodnia</figcaption>" in html
    assert "srcset=" in html
    assert f'<video controls preload="metadata" src="{document.url}"' in html
    assert '<iframe title="Film"></iframe>' in html
    assert "Instrukcja" in html and "Do druku" in html
    assert 'class="callout callout--legal"' in html and "Art. 41 KWS" in html
    assert "<details" in html and "Weryfikuję trafienie." in html
    assert "<li>Radio</li>" in html
    assert "<dt>ENA</dt>" in html


def test_external_embed_that_cannot_be_fetched_falls_back_to_a_link(client, settings):
    settings.WAGTAILEMBEDS_FINDERS = [{"class": "tests.courses.offline_finder"}]
    module = make_module(
        make_course(make_catalogue(make_home())),
        body=[{"type": "video", "value": {"title": "Film", "file": None, "embed": EMBED_URL}}],
    )
    html = client.get(module.url).content.decode()
    assert f'href="{EMBED_URL}"' in html
    assert 'class="notice"' in html


def test_image_block_requires_alt_text_unless_decorative():
    block = ImageBlock()
    image = make_image()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"image": image.pk, "alt_text": "", "decorative": False}))
    block.clean(block.to_python({"image": image.pk, "alt_text": "", "decorative": True}))


def test_video_block_needs_exactly_one_source():
    block = VideoBlock()
    document = make_document()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"title": "Film", "file": None, "embed": None}))
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"title": "Film", "file": document.pk, "embed": EMBED_URL}))
    block.clean(block.to_python({"title": "Film", "file": document.pk, "embed": None}))
