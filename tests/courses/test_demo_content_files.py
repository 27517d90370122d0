"""Every demo content file is well formed, with errors that name the file and block."""

import pytest

from courses.demo.content import CONTENT_DIR, ContentError, MediaKeys, load_toml, stream_data

MEDIA = MediaKeys(images={"passport": 1}, documents={})


def test_unknown_block_type_names_file_and_block():
    with pytest.raises(ContentError, match=r"pl.toml, block 2: unknown block type 'poem'"):
        stream_data([{"type": "heading", "text": "A"}, {"type": "poem"}], MEDIA, "pl.toml")


def test_missing_key_is_reported():
    with pytest.raises(ContentError, match=r"block 1 \(callout\): missing html"):
        stream_data([{"type": "callout", "kind": "tip", "title": "T"}], MEDIA, "en.toml")


def test_unknown_image_key_is_reported():
    block = {"type": "image", "image": "nope", "alt": "a", "caption": "c"}
    with pytest.raises(ContentError, match="unknown media key 'nope'"):
        stream_data([block], MEDIA, "uk.toml")


def test_broken_toml_names_the_file_and_line(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('title = "unterminated\n', encoding="utf-8")
    with pytest.raises(ContentError, match=r"broken.toml: .*line 1"):
        load_toml(path)


@pytest.mark.parametrize("path", sorted(CONTENT_DIR.rglob("*.toml")), ids=lambda p: p.name)
def test_content_file_parses(path):
    assert load_toml(path)
