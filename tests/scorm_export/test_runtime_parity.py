"""The SCORM runtime's offline grader (scorm_export/runtime/grader.js) against the Python
graders: every case of quizzes/question_types/grading_cases.json (plus a few edge cases of
number formatting and rounding) must give the same fraction, feedback and SCORM 1.2 / 2004
learner response in both languages. Every case is graded twice in Node: with the plain
grader data and with the hidden-key form of a package exported with "hide answer keys"
(`QuestionType.hide_key`: hashes built by Python, compared by grader.js).

Python computes the expected table; Node grades it with grader.js
(tests/scorm_export/js/parity_runner.mjs) and lists every mismatch.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from quizzes import question_types
from quizzes.question_types import HiddenKey, _scorm
from quizzes.question_types._text import has_wildcard

ROOT = Path(__file__).resolve().parents[2]
CASES_FILE = Path(question_types.__file__).parent / "grading_cases.json"
RUNNER = Path(__file__).parent / "js" / "parity_runner.mjs"
#: Any hex text will do: the packager derives one per question from SECRET_KEY.
SALT = "0123456789abcdef0123456789abcdef"

#: Cases that exercise Python's rounding and number formatting where JavaScript's differ.
EXTRA_CASES: list[dict[str, Any]] = [
    {
        "name": f"numerical formatting: {value}",
        "type": "numerical",
        "definition": {
            "answers": [{"value": 1, "tolerance": 0, "fraction": 1.0, "feedback": ""}],
            "units": [{"unit": "mm", "multiplier": 2048}],
        },
        "answer": {"value": value},
    }
    for value in ["1 mm", "3 mm", "1e-8", "1,5e22", "0,00000000005", "−0", "123456789,123456789"]
] + [
    {
        "name": "multiple response: partial credit, no penalty below 0",
        "type": "multiple_response",
        "definition": {
            "options": [{"id": f"o{i}", "text": f"O{i}"} for i in range(10)],
            "correct": ["o0", "o1", "o2", "o3", "o4", "o5", "o6", "o7"],
            "scoring": "partial",
        },
        "answer": {"options": ["o0", "o1", "o2", "o8"]},
    },
    {
        "name": "short answer: Cyrillic and wildcards",
        "type": "short_answer",
        "definition": {
            "answers": [{"text": "Жито*р", "fraction": 1.0, "feedback": "ok"}],
            "ignore_diacritics": True,
        },
        "answer": {"text": "  житомир\u00a0"},
    },
    {
        "name": "essay: long text with braces",
        "type": "essay",
        "definition": {},
        "answer": {"text": "{lang=pl} " + "słowo " * 900},
    },
    {
        "name": "short answer: hidden key of a text with an escaped asterisk and diacritics",
        "type": "short_answer",
        "definition": {
            "answers": [
                {"text": "Łódź \\* Żytomyr  ", "fraction": 1.0, "feedback": "ok"},
                {"text": "Łódź*", "fraction": 0.5, "feedback": "half"},
            ],
            "ignore_diacritics": True,
        },
        "answer": {"text": "lodz   *  zytomyr"},
    },
    {
        "name": "cloze: two gaps with the same accepted text hash apart",
        "type": "cloze",
        "definition": {
            "text": "{{a}} {{b}}",
            "gaps": [
                {"id": "a", "kind": "text", "answers": [{"text": "SIS", "fraction": 1}]},
                {
                    "id": "b",
                    "kind": "text",
                    "answers": [{"text": "SIS", "fraction": 1}],
                    "case_sensitive": True,
                },
            ],
        },
        "answer": {"gaps": {"a": "sis", "b": "sis"}},
    },
]


def node_or_skip() -> str:
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI") or os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("node is required to test the SCORM runtime (CI / REQUIRE_BROWSER set)")
        pytest.skip("node not found: the SCORM runtime's JavaScript tests need Node.js")
    return node


def expected_row(case: dict[str, Any]) -> dict[str, Any]:
    question_type = question_types.get(case["type"])
    definition = question_type.clean_definition(case["definition"])
    answer = question_type.clean_answer(definition, case["answer"])
    grade = question_type.grade(definition, answer)
    return {
        "name": case["name"],
        "type": case["type"],
        "grader": question_type.offline_grader_data(definition),
        "hidden_grader": question_type.hide_key(definition, SALT).grader,
        "data": question_type.player_data(definition, None),
        "answer": answer,
        "fraction": grade.fraction,
        "feedback": grade.feedback,
        "needs_manual_grading": grade.needs_manual_grading,
        "response_12": question_type.scorm_response(definition, answer, "1.2"),
        "response_2004": question_type.scorm_response(definition, answer, "2004"),
    }


def test_offline_grader_agrees_with_python(tmp_path):
    node = node_or_skip()
    cases = json.loads(CASES_FILE.read_text(encoding="utf-8"))
    rows = [expected_row(case) for case in cases + EXTRA_CASES]
    for case, row in zip(cases, rows, strict=False):
        assert row["fraction"] == case["fraction"], case["name"]  # the table itself holds
    table = tmp_path / "parity.json"
    table.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    result = subprocess.run(
        [node, str(RUNNER), str(table)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(rows)} cases agree" in result.stdout


#: The fields of grader data that hold a key (a right option, pair, position or text).
KEY_FIELDS = {"correct", "key", "order", "hash"}


def key_leaves(data: Any, in_key: bool = False) -> list[Any]:
    """Every value under a KEY_FIELDS field of grader data, at any depth."""
    if isinstance(data, dict):
        return [
            leaf
            for field, value in data.items()
            for leaf in key_leaves(value, in_key or field in KEY_FIELDS)
        ]
    if isinstance(data, list):
        return [leaf for value in data for leaf in key_leaves(value, in_key)]
    return [data] if in_key else []


def test_hidden_keys_hold_no_plain_key():
    """The hidden form of every case keeps no key value the plain grader compares with:
    the keys of choice-like types are hashes, accepted texts without wildcards are gone."""
    cases = json.loads(CASES_FILE.read_text(encoding="utf-8")) + EXTRA_CASES
    assert {case["type"] for case in cases} == set(question_types.names())
    for case in cases:
        question_type = question_types.get(case["type"])
        definition = question_type.clean_definition(case["definition"])
        hidden = question_type.hide_key(definition, SALT)
        assert isinstance(hidden, HiddenKey)
        json.dumps(hidden.grader)
        assert hidden.grader.get("salt", SALT) == SALT
        answers = [
            answer
            for settings in [hidden.grader, *hidden.grader.get("gaps", [])]
            for answer in settings.get("answers", [])
        ]
        if case["type"] != "numerical":  # its accepted numbers stay as they are
            for answer in answers:
                readable = "text" in answer and has_wildcard(answer["text"])
                assert readable or set(answer) == {"hash", "fraction", "feedback"}, case["name"]
        for value in key_leaves(hidden.grader):  # no key left in plain sight
            assert re.fullmatch(r"[0-9a-f]{64}", value), (case["name"], value)
        assert hidden.readable == (
            case["type"] == "numerical" or any("text" in answer for answer in answers)
        ), case["name"]


def test_a_key_hash_is_the_sha256_of_salt_context_and_value():
    """The format grader.js's `seal` repeats (tests/scorm_export/js/grader.test.mjs)."""
    expected = hashlib.sha256(f"{SALT}:p1:Łódź".encode()).hexdigest()
    assert _scorm.key_hash(SALT, "Łódź", "p1") == expected
    assert _scorm.key_hash(SALT, "b") == hashlib.sha256(f"{SALT}::b".encode()).hexdigest()
