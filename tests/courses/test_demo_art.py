"""Tests for the demo seed's self-drawn artwork (no database needed)."""

import io

import pytest
from PIL import Image

from courses.demo import art

COVERS = [k for k in art.IMAGE_KEYS if k.startswith("cover-")]
ILLUSTRATIONS = [k for k in art.IMAGE_KEYS if not k.startswith("cover-")]
TITLE = "Торгівля людьми — Handel ludźmi"
PARAGRAPHS = [
    "Якщо вам пропонують роботу за кордоном, перевірте роботодавця.",
    "Nie oddawaj nikomu swojego paszportu. Zażółć gęślą jaźń.",
    "If something feels wrong, call for help.",
]


def test_keys_cover_every_topic_and_illustration() -> None:
    assert len(COVERS) == 6
    assert {"map-eastern-border", "helping-hands", "timeline", "passport"} <= set(ILLUSTRATIONS)
    assert len(set(art.IMAGE_KEYS)) == len(art.IMAGE_KEYS)


@pytest.mark.parametrize("key", art.IMAGE_KEYS)
def test_image_is_png_of_expected_size(key: str) -> None:
    data = art.draw_image(key)
    with Image.open(io.BytesIO(data)) as img:
        img.verify()
    with Image.open(io.BytesIO(data)) as img:
        assert img.format == "PNG"
        assert img.size == ((1200, 630) if key.startswith("cover-") else (1200, 800))
        assert img.getextrema() != ((0, 0), (0, 0), (0, 0))  # something was drawn


@pytest.mark.parametrize("key", art.IMAGE_KEYS)
def test_image_is_deterministic(key: str) -> None:
    assert art.draw_image(key) == art.draw_image(key)


def test_covers_differ_from_each_other() -> None:
    assert len({art.draw_image(k) for k in COVERS}) == len(COVERS)


def test_unknown_key_raises_value_error() -> None:
    with pytest.raises(ValueError, match="no-such-image"):
        art.draw_image("no-such-image")


def test_leaflet_is_pdf_with_embedded_font() -> None:
    pdf = art.build_leaflet_pdf(TITLE, PARAGRAPHS)
    assert pdf.startswith(b"%PDF")
    assert b"DejaVuSans" in pdf
    assert b"/Title" in pdf


def test_leaflet_is_deterministic() -> None:
    first = art.build_leaflet_pdf(TITLE, PARAGRAPHS)
    assert art.build_leaflet_pdf(TITLE, PARAGRAPHS) == first
    assert art.build_leaflet_pdf("Other title", PARAGRAPHS) != first


def test_leaflet_escapes_markup_characters() -> None:
    pdf = art.build_leaflet_pdf("A & B <test>", ["1 < 2 & 3 > 2"])
    assert pdf.startswith(b"%PDF")
