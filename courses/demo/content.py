"""Read the demo content files and turn body blocks into StreamField data."""

from __future__ import annotations

import tomllib
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CONTENT_DIR = Path(__file__).resolve().parent.parent / "demo_content"
ID_NAMESPACE = uuid.UUID("6f1c1d1e-53c6-4d8e-9a57-1f0c3bd0c0de")

# Keys each block type needs in the content files (see demo_content/README.md).
BLOCK_KEYS: dict[str, tuple[str, ...]] = {
    "heading": ("text",),
    "paragraph": ("html",),
    "callout": ("kind", "title", "html"),
    "case_scenario": ("title", "situation", "question", "model_answer"),
    "checklist": ("title", "items"),
    "key_terms": ("title", "terms"),
    "image": ("image", "alt", "caption"),
    "document": ("document", "description"),
    "help_contact": ("organisation", "phone", "description", "website"),
}


class ContentError(ValueError):
    """A content file is malformed; the message names the file and the place."""


def load_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ContentError(f"{path}: {error}") from error


@dataclass(frozen=True)
class MediaKeys:
    """Database ids of the demo's images and documents, by content key."""

    images: dict[str, int]
    documents: dict[str, int]


def stream_data(blocks: list[dict[str, Any]], media: MediaKeys, where: str) -> list[dict]:
    """Raw StreamField data for a list of content blocks, with stable block ids."""
    data = []
    for index, block in enumerate(blocks):
        place = f"{where}, block {index + 1}"
        block_type = block.get("type")
        if block_type not in BLOCK_KEYS:
            raise ContentError(f"{place}: unknown block type {block_type!r}")
        missing = [key for key in BLOCK_KEYS[block_type] if key not in block]
        if missing:
            raise ContentError(f"{place} ({block_type}): missing {', '.join(missing)}")
        data.append(
            {
                "type": block_type,
                "value": _block_value(block_type, block, media, f"{where}/{index}"),
                "id": str(uuid.uuid5(ID_NAMESPACE, f"{where}/{index}")),
            }
        )
    return data


def _block_value(block_type: str, block: dict[str, Any], media: MediaKeys, place: str) -> Any:
    """The block's raw value; `place` also seeds the ids of list items."""
    match block_type:
        case "heading":
            return {"text": block["text"]}
        case "paragraph":
            return block["html"]
        case "callout":
            return {"kind": block["kind"], "title": block["title"], "text": block["html"]}
        case "image":
            return {
                "image": _media_id(media.images, block["image"], place),
                "alt_text": block["alt"],
                "decorative": False,
                "caption": block["caption"],
            }
        case "document":
            return {
                "document": _media_id(media.documents, block["document"], place),
                "description": block["description"],
            }
        case "checklist":
            return {"title": block["title"], "items": list_data("item", block["items"], place)}
        case "key_terms":
            return {"title": block["title"], "terms": list_data("item", block["terms"], place)}
        case _:
            return {key: block[key] for key in BLOCK_KEYS[block_type]}


def list_data(block_type: str, values: list[Any], place: str) -> list[dict[str, Any]]:
    """Items of a ListBlock or one-type StreamBlock in Wagtail's block format, with
    stable ids: translation tools track each item by its id."""
    return [
        {"type": block_type, "value": value, "id": str(uuid.uuid5(ID_NAMESPACE, f"{place}/{i}"))}
        for i, value in enumerate(values)
    ]


def _media_id(ids: dict[str, int], key: str, place: str) -> int:
    if key not in ids:
        raise ContentError(f"{place}: unknown media key {key!r}")
    return ids[key]
