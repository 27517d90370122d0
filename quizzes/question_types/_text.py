"""Comparing typed text with accepted answers (short answer, cloze text gaps).

The rules, which the JavaScript grader repeats exactly:

1. Both texts are put in Unicode NFC, stripped, and runs of whitespace become one space.
2. With `ignore_diacritics`, Latin letters lose their diacritics ("Białystok" → "Bialystok",
   "Žytomyr" → "Zytomyr"). Letters whose stroke is not a combining mark are mapped
   explicitly (ł → l, đ → d, ø → o, dotless i → i). Cyrillic is left alone: й and ї are
   letters of their own in Ukrainian, not accented vowels.
3. Without `case_sensitive`, both texts are lower-cased (`str.lower`, like JavaScript's
   `toLowerCase`).
4. In an accepted answer, ``*`` matches any run of characters (also none) and ``\\*`` is a
   literal asterisk, as in Moodle's short answer.
5. An empty response matches nothing, not even ``*``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from ._common import best_answer

#: Letters with a stroke or other non-combining mark, which decomposition leaves intact.
_STROKED = {"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ı": "i", "ħ": "h"}


def _fold_char(char: str) -> str:
    if char in _STROKED:
        return _STROKED[char]
    code = ord(char)
    # Latin-1 Supplement letters, Latin Extended-A/B, Latin Extended Additional.
    if 0xC0 <= code <= 0x24F or 0x1E00 <= code <= 0x1EFF:
        decomposed = unicodedata.normalize("NFD", char)
        return "".join(part for part in decomposed if not unicodedata.combining(part))
    return char


def fold_diacritics(text: str) -> str:
    """Latin letters without their diacritics ("Łódź" → "Lodz"); other scripts untouched."""
    return "".join(_fold_char(char) for char in unicodedata.normalize("NFC", text))


def normalise_text(text: str, *, case_sensitive: bool, ignore_diacritics: bool) -> str:
    """The comparable form of a text (see the module docstring)."""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    if ignore_diacritics:
        text = fold_diacritics(text)
    if not case_sensitive:
        text = text.lower()
    return text


def has_wildcard(pattern: str) -> bool:
    """True when an accepted answer contains an unescaped ``*``."""
    return re.search(r"(?<!\\)\*", pattern) is not None


def literal_text(pattern: str) -> str:
    """An accepted answer without wildcard escapes (``\\*`` → ``*``), for display."""
    return pattern.replace("\\*", "*")


@lru_cache(maxsize=1024)
def _segments(pattern: str) -> tuple[str, ...]:
    """The literal parts of an accepted answer between its wildcards."""
    return tuple(literal_text(bit) for bit in re.split(r"(?<!\\)\*+", pattern))


def glob_match(pattern: str, text: str) -> bool:
    """Whether `text` matches `pattern` where ``*`` is any run of characters.

    Linear scan instead of a regular expression: ``*a*a*a*b`` against 10,000 typed
    characters would make a backtracking regex take forever.
    """
    segments = _segments(pattern)
    if len(segments) == 1:
        return text == segments[0]
    first, *middle, last = segments
    if len(text) < len(first) + len(last) or not (text.startswith(first) and text.endswith(last)):
        return False
    position, end = len(first), len(text) - len(last)
    for segment in middle:  # leftmost match of each part is always the best choice
        found = text.find(segment, position, end)
        if found < 0:
            return False
        position = found + len(segment)
    return True


def text_matches(
    pattern: str, response: str, *, case_sensitive: bool, ignore_diacritics: bool
) -> bool:
    """Whether a response matches one accepted answer (wildcards allowed)."""
    options = {"case_sensitive": case_sensitive, "ignore_diacritics": ignore_diacritics}
    response = normalise_text(response, **options)
    if not response:
        return False
    return glob_match(normalise_text(pattern, **options), response)


def best_text_answer(
    answers: list[dict[str, Any]],
    response: str,
    *,
    case_sensitive: bool,
    ignore_diacritics: bool,
) -> dict[str, Any] | None:
    """The matching accepted answer with the highest fraction, or None."""
    return best_answer(
        answers,
        lambda answer: text_matches(
            answer["text"],
            response,
            case_sensitive=case_sensitive,
            ignore_diacritics=ignore_diacritics,
        ),
    )


def display_answer(answers: list[dict[str, Any]]) -> str:
    """A full-mark answer to show as the right one, preferring one without wildcards."""
    full = [answer["text"] for answer in answers if answer["fraction"] == 1.0]
    plain = [text for text in full if not has_wildcard(text)]
    return literal_text((plain or full or [""])[0])
