"""Rendering a module costs a fixed number of queries, however many blocks it has."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    make_catalogue,
    make_course,
    make_document,
    make_home,
    make_image,
    make_module,
)

pytestmark = pytest.mark.django_db

# Page routing (one query per tree level), site and locale lookups, the
# module's course and siblings, translations for the language switcher,
# navigation, and one bulk query per
# chooser type (images with their renditions, documents).
MAX_QUERIES = 24


def body_of(size: int, images: list, document) -> list[dict]:
    kinds = [
        {"type": "heading", "value": {"text": "Nagłówek"}},
        {"type": "paragraph", "value": "<p>Akapit.</p>"},
        {"type": "image", "value": {"image": None, "alt_text": "Opis", "caption": "Podpis"}},
        {"type": "document", "value": {"document": document.pk, "description": "Plik"}},
        {
            "type": "callout",
            "value": {"kind": "warning", "title": "Uwaga", "text": "<p>Sprawdź.</p>"},
        },
        {
            "type": "case_scenario",
            "value": {
                "title": "Kazus",
                "situation": "<p>Sytuacja.</p>",
                "question": "Pytanie?",
                "model_answer": "<p>Odpowiedź.</p>",
            },
        },
        {"type": "checklist", "value": {"title": "Lista", "items": ["Jeden", "Dwa"]}},
        {
            "type": "key_terms",
            "value": {"title": "Terminy", "terms": [{"term": "A", "definition": "B"}]},
        },
    ]
    body = []
    for index in range(size):
        block = {**kinds[index % len(kinds)]}
        if block["type"] == "image":
            block["value"] = {**block["value"], "image": images[index % len(images)].pk}
        body.append(block)
    return body


def queries_to_render(client, module) -> int:
    client.get(module.url)  # first render creates the image renditions
    with CaptureQueriesContext(connection) as captured:
        response = client.get(module.url)
    assert response.status_code == 200
    return len(captured)


def test_module_with_40_blocks_renders_in_a_fixed_number_of_queries(client):
    course = make_course(make_catalogue(make_home()))
    images = [make_image(f"Obraz {i}", colour) for i, colour in enumerate(["red", "blue", "green"])]
    document = make_document()
    small = make_module(course, body=body_of(8, images, document), slug="maly")
    large = make_module(course, body=body_of(40, images, document), slug="duzy")

    small_count = queries_to_render(client, small)
    large_count = queries_to_render(client, large)

    assert large_count == small_count
    assert large_count <= MAX_QUERIES
