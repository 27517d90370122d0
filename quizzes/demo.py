"""The demo question bank, read from quizzes/demo_content/*.toml (one file per course).

Idempotent: a question's translation key is derived from its content key, so a
second run finds every question it created and changes nothing.
"""

from __future__ import annotations

import tomllib
import uuid
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from wagtail.models import Locale

from . import services
from .models import Question, QuestionCategory
from .question_types import DefinitionError

CONTENT_DIR = Path(__file__).resolve().parent / "demo_content"
KEY_NAMESPACE = uuid.UUID("0c6f9d1e-3b7a-4c55-9a43-5d0f6a7e2b11")
SOURCE_LANGUAGE = "pl"


class BankContentError(ValueError):
    """A demo question file is malformed; the message names the file and question."""


def stable_key(*parts: str) -> uuid.UUID:
    """A translation key that is the same on every run for the same content key."""
    return uuid.uuid5(KEY_NAMESPACE, "/".join(parts))


@transaction.atomic
def seed_question_bank(content_dir: Path = CONTENT_DIR) -> dict[str, list[Question]]:
    """Create the demo bank; return the Polish questions per module slug, in file order."""
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    by_module: dict[str, list[Question]] = defaultdict(list)
    for path in sorted(content_dir.glob("*.toml")):
        with path.open("rb") as handle:
            try:
                bank = tomllib.load(handle)
            except tomllib.TOMLDecodeError as error:
                raise BankContentError(f"{path}: {error}") from error
        root = _category(bank["category"])
        for entry in bank["questions"]:
            where = f"{path.name}, question {entry.get('key')!r}"
            try:
                question = _ensure_question(entry, _category(entry["subcategory"], root), locales)
            except (KeyError, DefinitionError) as error:
                raise BankContentError(f"{where}: {error}") from error
            by_module[entry["module"]].append(question)
    return dict(by_module)


def _category(name: str, parent: QuestionCategory | None = None) -> QuestionCategory:
    if parent is None:
        existing = QuestionCategory.get_root_nodes().filter(name=name).first()
        return existing or QuestionCategory.add_root(name=name)
    existing = parent.get_children().filter(name=name).first()
    return existing or parent.add_child(name=name)


def _ensure_question(
    entry: dict[str, Any], category: QuestionCategory, locales: dict[str, Locale]
) -> Question:
    key = stable_key(entry["key"])
    source = None
    for code in [SOURCE_LANGUAGE, *(c for c in entry if c in locales and c != SOURCE_LANGUAGE)]:
        existing = Question.objects.filter(translation_key=key, locale=locales[code]).first()
        if existing is None:
            text = entry[code]
            existing = services.create_question(
                category=category,
                type=entry["type"],
                name=text["name"],
                text=text["text"],
                definition=text["definition"],
                general_feedback=text.get("general_feedback", ""),
                default_mark=Decimal(str(entry.get("mark", 1))),
                tags=entry.get("tags", []),
                locale=locales[code],
                translation_key=key,
                difficulty=entry.get("difficulty", "medium"),
            )
        if code == SOURCE_LANGUAGE:
            source = existing
    return source
