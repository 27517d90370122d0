"""SCORM 1.2 and 2004 response syntax shared by the question types.

1.2 separates values with "," and matching pairs with "."; 2004 uses "[,]" and "[.]",
numeric ranges "min[:]max" and fill-in patterns may start with "{case_matters=...}".
Lengths follow what Moodle's runtimes check: 255 characters for a 1.2 response or
pattern, 250 per value and at most 10 values for a 2004 fill-in, 4,000 for long-fill-in.

`key_hash` hides an answer key inside a package ("hide answer keys"): the offline grader
(scorm_export/runtime/grader.js, `seal`) hashes the learner's value the same way and
compares.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from decimal import Decimal

from .base import ScormVersion

FILL_IN_12_LENGTH = 255
FILL_IN_2004_LENGTH = 250
FILL_IN_2004_VALUES = 10
#: How many correct-response patterns a 2004 LMS must keep for a fill-in (the SPM).
FILL_IN_2004_PATTERNS = 5
LONG_FILL_IN_LENGTH = 4000


def _check(version: ScormVersion) -> None:
    if version not in ("1.2", "2004"):
        raise ValueError(f"Unknown SCORM version {version!r}")


def join(values: Iterable[str], version: ScormVersion) -> str:
    """A list of values: "a,b" in 1.2, "a[,]b" in 2004."""
    _check(version)
    return ("," if version == "1.2" else "[,]").join(values)


def pair(source: str, target: str, version: ScormVersion) -> str:
    """A matching pair: "p1.c1" in 1.2, "p1[.]c1" in 2004."""
    _check(version)
    return f"{source}.{target}" if version == "1.2" else f"{source}[.]{target}"


def true_false(value: bool, version: ScormVersion) -> str:
    _check(version)
    if version == "1.2":
        return "t" if value else "f"
    return "true" if value else "false"


def number(value: float) -> str:
    """A plain decimal (no exponent, no trailing zeros), as CMIDecimal wants it."""
    text = format(Decimal(repr(round(float(value), 10))), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def numeric_range(low: float, high: float) -> str:
    """A SCORM 2004 numeric correct response."""
    return f"{number(low)}[:]{number(high)}"


def _fill_in_value(text: str) -> str:
    """One 2004 fill-in value: delimiters defused, no leading "{" (read as a
    ``{lang=..}`` prefix), at most 250 characters."""
    text = " ".join(text.split()).replace("[,]", "(,)").replace("[.]", "(.)")
    if text.startswith("{"):
        text = "(" + text[1:]
    return text[:FILL_IN_2004_LENGTH]


def fill_in(values: list[str], version: ScormVersion) -> str:
    """A fill-in response of one or more texts (a cloze gives one per gap)."""
    _check(version)
    if version == "1.2":
        return ",".join(" ".join(value.split()) for value in values)[:FILL_IN_12_LENGTH]
    return join((_fill_in_value(value) for value in values[:FILL_IN_2004_VALUES]), version)


def fill_in_pattern(values: list[str], version: ScormVersion, *, case_sensitive: bool) -> str:
    """A fill-in correct-response pattern; 2004 states whether case matters."""
    response = fill_in(values, version)
    if version == "1.2":
        return response
    return f"{{case_matters={'true' if case_sensitive else 'false'}}}{response}"


def long_fill_in(text: str, version: ScormVersion) -> str:
    """An essay: a 1.2 fill-in (255 characters) or a 2004 long-fill-in (4,000)."""
    _check(version)
    if version == "1.2":
        return " ".join(text.split())[:FILL_IN_12_LENGTH]
    text = text.strip()
    if text.startswith("{"):
        text = "(" + text[1:]
    return text[:LONG_FILL_IN_LENGTH]


def key_hash(salt: str, value: str, context: str = "") -> str:
    """The salted SHA-256 (hex) of one key value: ``salt:context:value`` in UTF-8.

    `context` is what the value belongs to (a pair's or a gap's id, a position) so that
    equal values in different places hash differently; ids never hold ":" and the salt
    is hex, so the joined text is unambiguous.
    """
    return hashlib.sha256(f"{salt}:{context}:{value}".encode()).hexdigest()
