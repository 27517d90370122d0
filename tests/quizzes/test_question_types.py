"""The built-in question types: validation, grading, player data, SCORM syntax.

Plain functions, no database. The grading cases live in `grading_cases.json`, shared with
the JavaScript grader, which must give the same fractions.
"""

from __future__ import annotations

import inspect
import json
import random
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from quizzes import question_types
from quizzes.question_types import AnswerError, DefinitionError, Grade, QuestionType
from quizzes.question_types._text import fold_diacritics, normalise_text
from quizzes.question_types.base import ScormInteraction

CASES_FILE = Path(question_types.__file__).parent / "grading_cases.json"
CASES: list[dict[str, Any]] = json.loads(CASES_FILE.read_text(encoding="utf-8"))

METHODS = [
    "clean_definition",
    "clean_answer",
    "grade",
    "player_data",
    "right_answer",
    "scorm_interaction",
    "scorm_response",
    "offline_grader_data",
    "hide_key",
]


def opts(*ids: str) -> list[dict[str, str]]:
    return [{"id": i, "text": f"Text of {i}", "feedback": f"Feedback only for {i}"} for i in ids]


#: One realistic definition per type, with feedback strings that must never reach the player.
SAMPLES: dict[str, dict[str, Any]] = {
    "single_choice": {"options": opts("a", "b", "c"), "correct": "b", "shuffle": True},
    "multiple_response": {
        "options": opts("a", "b", "c", "d"),
        "correct": ["a", "c"],
        "scoring": "partial",
        "shuffle": True,
    },
    "true_false": {
        "correct": False,
        "feedback_true": "Secret feedback true",
        "feedback_false": "Secret feedback false",
    },
    "short_answer": {
        "answers": [
            {"text": "ENFAST", "fraction": 1.0, "feedback": "Secret right"},
            {"text": "Fugitive*", "fraction": 0.5, "feedback": "Secret half"},
        ],
        "case_sensitive": False,
        "ignore_diacritics": True,
    },
    "numerical": {
        "answers": [
            {"value": 60, "tolerance": 0.5, "fraction": 1.0, "feedback": "Secret sixty"},
            {"value": 61.25, "tolerance": 0, "fraction": 0.5, "feedback": "Secret close"},
        ],
        "units": [{"unit": "km", "multiplier": 1}, {"unit": "m", "multiplier": 1000}],
        "unit_required": False,
    },
    "matching": {
        "pairs": [
            {"id": "p1", "prompt": "Red Notice", "answer_id": "c1", "answer": "arrest"},
            {"id": "p2", "prompt": "Blue Notice", "answer_id": "c2", "answer": "information"},
            {"id": "p3", "prompt": "Yellow Notice", "answer_id": "c3", "answer": "missing person"},
        ],
        "extra_answers": [{"id": "c9", "text": "stolen art"}],
        "shuffle": True,
    },
    "ordering": {
        "items": [{"id": f"i{n}", "text": f"Step {n}"} for n in range(1, 5)],
        "scoring": "absolute_position",
    },
    "cloze": {
        "text": "Poland joined ENFAST in {{g1}}; a Red Notice is {{g2}}.",
        "gaps": [
            {
                "id": "g1",
                "kind": "text",
                "answers": [{"text": "2012", "fraction": 1.0, "feedback": "Secret year"}],
                "case_sensitive": False,
                "ignore_diacritics": True,
            },
            {
                "id": "g2",
                "kind": "choice",
                "options": [
                    {"id": "o1", "text": "a request", "feedback": "Secret request"},
                    {"id": "o2", "text": "a warrant", "feedback": "Secret warrant"},
                ],
                "correct": "o1",
            },
        ],
    },
    "essay": {"min_words": 10, "max_words": 300, "grader_info": "Secret grading guide"},
}

#: A wrong but valid answer per type.
WRONG_ANSWERS: dict[str, Any] = {
    "single_choice": {"option": "a"},
    "multiple_response": {"options": ["a", "b"]},
    "true_false": {"value": True},
    "short_answer": {"text": "EMPACT"},
    "numerical": {"value": "3,5 km"},
    "matching": {"matches": {"p1": "c2", "p2": "c1"}},
    "ordering": {"order": ["i4", "i3", "i2", "i1"]},
    "cloze": {"gaps": {"g1": "2011", "g2": "o2"}},
    "essay": {"text": "Too short."},
}


def qtype(name: str) -> QuestionType:
    return question_types.get(name)


def cleaned(name: str) -> dict[str, Any]:
    return qtype(name).clean_definition(SAMPLES[name])


# --- the registry ---------------------------------------------------------------------------


def test_registry_lists_every_builtin_type():
    assert question_types.names() == [
        "single_choice",
        "multiple_response",
        "true_false",
        "short_answer",
        "numerical",
        "matching",
        "ordering",
        "cloze",
        "essay",
    ]
    assert set(SAMPLES) == set(question_types.names())
    assert [name for name, _label in question_types.choices()] == question_types.names()
    with pytest.raises(KeyError):
        question_types.get("calculated")


@pytest.mark.parametrize("name", question_types.names())
def test_every_type_implements_every_method(name):
    question_type = qtype(name)
    for method in METHODS:
        assert getattr(type(question_type), method) is not getattr(QuestionType, method), method
    assert str(question_type.label)
    definition = question_type.clean_definition(SAMPLES[name])
    answer = question_type.clean_answer(definition, WRONG_ANSWERS[name])
    assert isinstance(question_type.grade(definition, answer), Grade)
    json.dumps(question_type.player_data(definition, random.Random(1)))
    json.dumps(question_type.player_data(definition, None))
    json.dumps(question_type.right_answer(definition))
    json.dumps(question_type.offline_grader_data(definition))
    json.dumps(question_type.hide_key(definition, "00ff").grader)
    for version in ("1.2", "2004"):
        interaction = question_type.scorm_interaction(definition, version)
        assert isinstance(interaction, ScormInteraction)
        assert isinstance(question_type.scorm_response(definition, answer, version), str)


@pytest.mark.parametrize("name", question_types.names())
def test_clean_definition_is_idempotent_and_json(name):
    once = cleaned(name)
    assert qtype(name).clean_definition(json.loads(json.dumps(once))) == once


# --- the shared grading table ----------------------------------------------------------------


def test_grading_table_covers_every_type_with_plain_data():
    assert len(CASES) >= 60
    assert {case["type"] for case in CASES} == set(question_types.names())
    names = [case["name"] for case in CASES]
    assert len(names) == len(set(names))
    for case in CASES:
        assert set(case) == {"name", "type", "definition", "answer", "fraction"}
        assert 0 <= case["fraction"] <= 1
        # A fraction as rounded by the graders: at most 7 decimal places.
        assert round(case["fraction"], 7) == case["fraction"]


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_grading_case(case):
    question_type = qtype(case["type"])
    definition = question_type.clean_definition(case["definition"])
    answer = question_type.clean_answer(definition, case["answer"])
    grade = question_type.grade(definition, answer)
    assert grade.fraction == case["fraction"]
    assert grade.needs_manual_grading is (case["type"] == "essay")


@pytest.mark.parametrize(
    "case",
    [case for case in CASES if case["type"] != "essay"],
    ids=[case["name"] for case in CASES if case["type"] != "essay"],
)
def test_right_answer_earns_full_marks(case):
    question_type = qtype(case["type"])
    definition = question_type.clean_definition(case["definition"])
    answer = question_type.clean_answer(definition, question_type.right_answer(definition))
    assert question_type.grade(definition, answer).fraction == 1.0


# --- feedback --------------------------------------------------------------------------------


def grade(name: str, answer: Any, definition: dict[str, Any] | None = None) -> Grade:
    question_type = qtype(name)
    definition = question_type.clean_definition(definition or SAMPLES[name])
    return question_type.grade(definition, question_type.clean_answer(definition, answer))


def test_feedback_of_choice_types_is_per_option():
    assert grade("single_choice", {"option": "a"}).feedback == "Feedback only for a"
    assert grade("single_choice", {"option": "b"}) == Grade(1.0, "Feedback only for b")
    multiple = grade("multiple_response", {"options": ["c", "a"]})
    assert multiple.feedback == "Feedback only for a\nFeedback only for c"
    assert grade("true_false", {"value": True}).feedback == "Secret feedback true"
    assert grade("true_false", {"value": False}) == Grade(1.0, "Secret feedback false")


def test_feedback_of_typed_types_is_per_accepted_answer():
    assert grade("short_answer", {"text": "enfast"}) == Grade(1.0, "Secret right")
    assert grade("short_answer", {"text": "fugitives"}) == Grade(0.5, "Secret half")
    assert grade("short_answer", {"text": "nothing"}) == Grade(0.0, "")
    assert grade("numerical", {"value": "60,4 km"}) == Grade(1.0, "Secret sixty")
    assert grade("numerical", {"value": "61250 m"}) == Grade(0.5, "Secret close")
    assert grade("cloze", {"gaps": {"g1": "2012", "g2": "o2"}}) == Grade(
        0.5, "Secret year\nSecret warrant"
    )


def test_essay_waits_for_a_person():
    result = grade("essay", {"text": "An answer of some words."})
    assert result == Grade(0.0, "", needs_manual_grading=True)
    assert qtype("essay").manually_graded
    assert not any(qtype(name).manually_graded for name in question_types.names()[:-1])


# --- bad definitions -------------------------------------------------------------------------

SC = SAMPLES["single_choice"]
MR = SAMPLES["multiple_response"]
SA = SAMPLES["short_answer"]
NU = SAMPLES["numerical"]
MA = SAMPLES["matching"]
OR = SAMPLES["ordering"]
CL = SAMPLES["cloze"]


def without(data: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != key}


def gap(index: int, **changes: Any) -> dict[str, Any]:
    gaps = [dict(g) for g in CL["gaps"]]
    gaps[index].update(changes)
    return {**CL, "gaps": gaps}


BAD_DEFINITIONS = [
    ("single_choice", "not a dict", "definition"),
    ("single_choice", without(SC, "options"), "options"),
    ("single_choice", {**SC, "options": "abc"}, "options"),
    ("single_choice", {**SC, "options": opts("b")}, "options"),
    ("single_choice", {**SC, "options": [*opts("a", "b"), *opts("b")]}, "options.2.id"),
    ("single_choice", {**SC, "options": [*opts("a"), {"id": "b", "text": "  "}]}, "options.1.text"),
    ("single_choice", {**SC, "options": [*opts("a"), {"id": "b", "text": 3}]}, "options.1.text"),
    ("single_choice", {**SC, "options": [*opts("a"), {"id": "b c", "text": "x"}]}, "options.1.id"),
    ("single_choice", {**SC, "options": [*opts("a"), {"id": "b-c", "text": "x"}]}, "options.1.id"),
    ("single_choice", {**SC, "options": [*opts("a"), {"text": "x"}]}, "options.1.id"),
    ("single_choice", {**SC, "options": [*opts("a"), "b"]}, "options.1"),
    (
        "single_choice",
        {**SC, "options": [*opts("a", "b"), {"id": "c", "text": "x" * 10_001}]},
        "options.2.text",
    ),
    ("single_choice", {**SC, "correct": "z"}, "correct"),
    ("single_choice", without(SC, "correct"), "correct"),
    ("single_choice", {**SC, "correct": ["b"]}, "correct"),
    ("single_choice", {**SC, "shuffle": "yes"}, "shuffle"),
    ("multiple_response", {**MR, "correct": []}, "correct"),
    ("multiple_response", {**MR, "correct": "a"}, "correct"),
    ("multiple_response", {**MR, "correct": ["a", "z"]}, "correct.1"),
    ("multiple_response", {**MR, "correct": ["a", "a"]}, "correct.1"),
    ("multiple_response", {**MR, "scoring": "negative"}, "scoring"),
    ("multiple_response", {**MR, "options": opts("a")}, "options"),
    ("true_false", {}, "correct"),
    ("true_false", {"correct": "true"}, "correct"),
    ("true_false", {"correct": 1}, "correct"),
    ("true_false", {"correct": True, "feedback_true": 5}, "feedback_true"),
    ("short_answer", without(SA, "answers"), "answers"),
    ("short_answer", {**SA, "answers": []}, "answers"),
    ("short_answer", {**SA, "answers": [{"text": "", "fraction": 1.0}]}, "answers.0.text"),
    ("short_answer", {**SA, "answers": [{"text": "x", "fraction": 1.5}]}, "answers.0.fraction"),
    ("short_answer", {**SA, "answers": [{"text": "x", "fraction": -0.1}]}, "answers.0.fraction"),
    ("short_answer", {**SA, "answers": [{"text": "x", "fraction": True}]}, "answers.0.fraction"),
    ("short_answer", {**SA, "answers": [{"text": "x"}]}, "answers.0.fraction"),
    ("short_answer", {**SA, "answers": [{"text": "x", "fraction": 0.5}]}, "answers"),
    ("short_answer", {**SA, "case_sensitive": "no"}, "case_sensitive"),
    ("short_answer", {**SA, "ignore_diacritics": 0}, "ignore_diacritics"),
    ("numerical", {**NU, "answers": []}, "answers"),
    ("numerical", {**NU, "answers": [{"value": "60", "fraction": 1.0}]}, "answers.0.value"),
    ("numerical", {**NU, "answers": [{"value": float("nan"), "fraction": 1.0}]}, "answers.0.value"),
    (
        "numerical",
        {**NU, "answers": [{"value": 60, "tolerance": -1, "fraction": 1.0}]},
        "answers.0.tolerance",
    ),
    ("numerical", {**NU, "answers": [{"value": 60, "fraction": 2}]}, "answers.0.fraction"),
    ("numerical", {**NU, "units": [{"unit": "km", "multiplier": 0}]}, "units.0.multiplier"),
    ("numerical", {**NU, "units": [{"unit": "", "multiplier": 1}]}, "units.0.unit"),
    ("numerical", {**NU, "units": [{"unit": "2km", "multiplier": 1}]}, "units.0.unit"),
    (
        "numerical",
        {**NU, "units": [{"unit": "km"}, {"unit": "km", "multiplier": 2}]},
        "units.1.unit",
    ),
    ("numerical", {**NU, "units": "km"}, "units"),
    ("numerical", {**NU, "units": [], "unit_required": True}, "unit_required"),
    ("matching", without(MA, "pairs"), "pairs"),
    ("matching", {**MA, "pairs": MA["pairs"][:1]}, "pairs"),
    ("matching", {**MA, "pairs": [MA["pairs"][0], {**MA["pairs"][1], "id": "p1"}]}, "pairs.1.id"),
    (
        "matching",
        {**MA, "pairs": [MA["pairs"][0], {**MA["pairs"][1], "prompt": ""}]},
        "pairs.1.prompt",
    ),
    (
        "matching",
        {**MA, "pairs": [MA["pairs"][0], {**MA["pairs"][1], "answer": ""}]},
        "pairs.1.answer",
    ),
    (
        "matching",
        {**MA, "pairs": [MA["pairs"][0], {**MA["pairs"][1], "answer_id": "c1"}]},
        "pairs.1.answer_id",
    ),
    ("matching", {**MA, "extra_answers": [{"id": "c1", "text": "clash"}]}, "extra_answers.0.id"),
    ("matching", {**MA, "extra_answers": [{"id": "c8", "text": ""}]}, "extra_answers.0.text"),
    ("ordering", {**OR, "items": OR["items"][:1]}, "items"),
    ("ordering", {**OR, "items": [OR["items"][0], OR["items"][0]]}, "items.1.id"),
    ("ordering", {**OR, "items": [OR["items"][0], {"id": "x", "text": ""}]}, "items.1.text"),
    ("ordering", {**OR, "scoring": "relative"}, "scoring"),
    ("cloze", without(CL, "text"), "text"),
    ("cloze", {**CL, "gaps": []}, "gaps"),
    ("cloze", {**CL, "text": "No gaps here.", "gaps": []}, "gaps"),
    ("cloze", {**CL, "text": "Only {{g1}} here."}, "gaps.1.id"),
    ("cloze", {**CL, "text": CL["text"] + " And {{g3}}."}, "text"),
    ("cloze", {**CL, "text": CL["text"] + " Again {{g1}}."}, "text"),
    ("cloze", {**CL, "text": CL["text"] + " {{bad id}}"}, "text"),
    ("cloze", gap(1, id="g1"), "gaps.1.id"),
    ("cloze", gap(0, kind="numeric"), "gaps.0.kind"),
    ("cloze", gap(0, answers=[]), "gaps.0.answers"),
    ("cloze", gap(0, answers=[{"text": "2012", "fraction": 3}]), "gaps.0.answers.0.fraction"),
    ("cloze", gap(0, case_sensitive="yes"), "gaps.0.case_sensitive"),
    ("cloze", gap(1, correct="o3"), "gaps.1.correct"),
    ("cloze", gap(1, options=[{"id": "o1", "text": "a request"}]), "gaps.1.options"),
    (
        "cloze",
        gap(1, options=[{"id": "o1", "text": "x"}, {"id": "o1", "text": "y"}]),
        "gaps.1.options.1.id",
    ),
    ("essay", {"min_words": -1}, "min_words"),
    ("essay", {"max_words": 2.5}, "max_words"),
    ("essay", {"min_words": 100, "max_words": 50}, "max_words"),
    ("essay", {"grader_info": ["x"]}, "grader_info"),
    ("essay", [], "definition"),
]


@pytest.mark.parametrize(
    ("name", "definition", "field"),
    BAD_DEFINITIONS,
    ids=[f"{name}-{field}-{index}" for index, (name, _d, field) in enumerate(BAD_DEFINITIONS)],
)
def test_bad_definition_names_the_field(name, definition, field):
    with pytest.raises(DefinitionError) as raised:
        qtype(name).clean_definition(definition)
    messages = raised.value.message_dict
    assert list(messages) == [field]
    assert all(isinstance(message, str) and message for message in messages[field])


def test_definition_messages_fill_their_placeholders():
    with translation.override("en"), pytest.raises(DefinitionError) as raised:
        qtype("single_choice").clean_definition({**SC, "options": opts("b")})
    with translation.override("en"):
        assert raised.value.message_dict == {"options": ["Give at least 2 entries."]}
    with pytest.raises(DefinitionError) as raised:
        qtype("single_choice").clean_definition({**SC, "correct": "zz"})
    assert "zz" in raised.value.message_dict["correct"][0]


# --- bad answers -----------------------------------------------------------------------------

BAD_ANSWERS = [
    ("single_choice", None, "answer"),
    ("single_choice", "b", "answer"),
    ("single_choice", {}, "answer"),
    ("single_choice", {"option": "z"}, "option"),
    ("single_choice", {"option": 1}, "option"),
    ("single_choice", {"option": ["b"]}, "option"),
    ("multiple_response", {"options": "a"}, "options"),
    ("multiple_response", {"options": ["a", "a"]}, "options"),
    ("multiple_response", {"options": ["a", "z"]}, "options"),
    ("multiple_response", {"options": [{"id": "a"}]}, "options"),
    ("multiple_response", {"option": ["a"]}, "answer"),
    ("true_false", {"value": "true"}, "value"),
    ("true_false", {"value": 1}, "value"),
    ("true_false", {"value": None}, "value"),
    ("true_false", [True], "answer"),
    ("short_answer", {"text": 5}, "text"),
    ("short_answer", {"text": ["ENFAST"]}, "text"),
    ("short_answer", {"text": "x" * 10_001}, "text"),
    ("short_answer", {"answer": "ENFAST"}, "answer"),
    ("numerical", {"value": "abc"}, "value"),
    ("numerical", {"value": ""}, "value"),
    ("numerical", {"value": "1.000,5"}, "value"),
    ("numerical", {"value": "60 mi"}, "value"),
    ("numerical", {"value": "60 km km"}, "value"),
    ("numerical", {"value": "1e999"}, "value"),
    ("numerical", {"value": "6" * 200}, "value"),
    ("numerical", {"value": True}, "value"),
    ("numerical", {"value": None}, "value"),
    ("numerical", {"value": ["60"]}, "value"),
    ("matching", {"matches": []}, "matches"),
    ("matching", {"matches": {"p9": "c1"}}, "matches.p9"),
    ("matching", {"matches": {"p1": "c7"}}, "matches.p1"),
    ("matching", {"matches": {"p2": 3}}, "matches.p2"),
    ("matching", {"pairs": {"p1": "c1"}}, "answer"),
    ("ordering", {"order": "i1,i2,i3,i4"}, "order"),
    ("ordering", {"order": ["i1", "i2", "i3"]}, "order"),
    ("ordering", {"order": ["i1", "i2", "i3", "i3"]}, "order"),
    ("ordering", {"order": ["i1", "i2", "i3", "i4", "i5"]}, "order"),
    ("ordering", {"order": ["i1", "i2", "i3", 4]}, "order"),
    ("cloze", {"gaps": ["2012", "o1"]}, "gaps"),
    ("cloze", {"gaps": {"g3": "x"}}, "gaps.g3"),
    ("cloze", {"gaps": {"g1": 2012}}, "gaps.g1"),
    ("cloze", {"gaps": {"g1": "x" * 1001}}, "gaps.g1"),
    ("cloze", {"gaps": {"g2": "o9"}}, "gaps.g2"),
    ("cloze", {"gaps": {"g2": ["o1"]}}, "gaps.g2"),
    ("essay", {"text": "x" * 10_001}, "text"),
    ("essay", {"text": {"html": "x"}}, "text"),
    ("essay", "text", "answer"),
]


@pytest.mark.parametrize(
    ("name", "answer", "field"),
    BAD_ANSWERS,
    ids=[f"{name}-{field}-{index}" for index, (name, _a, field) in enumerate(BAD_ANSWERS)],
)
def test_bad_answer_names_the_field(name, answer, field):
    with pytest.raises(AnswerError) as raised:
        qtype(name).clean_answer(cleaned(name), answer)
    messages = raised.value.message_dict
    assert list(messages) == [field]
    assert all(isinstance(message, str) and message for message in messages[field])


def test_required_unit_missing_is_an_answer_error():
    definition = qtype("numerical").clean_definition({**NU, "unit_required": True})
    with pytest.raises(AnswerError) as raised:
        qtype("numerical").clean_answer(definition, {"value": "60"})
    assert "km" in raised.value.message_dict["value"][0]


def test_unknown_unit_lists_the_known_ones():
    with pytest.raises(AnswerError) as raised:
        qtype("numerical").clean_answer(cleaned("numerical"), {"value": "60 mi"})
    message = raised.value.message_dict["value"][0]
    assert "mi" in message and "km, m" in message


GARBAGE = [
    None,
    0,
    1.5,
    True,
    "",
    "text",
    [],
    [None],
    {},
    {"": None},
    {"option": None},
    {"options": None},
    {"options": [None, 3]},
    {"value": {}},
    {"value": "NaN"},
    {"value": "inf"},
    {"value": "--1"},
    {"value": "1,2,3"},
    {"text": None},
    {"text": 1},
    {"matches": None},
    {"matches": {"p1": None, "p2": ["c1"]}},
    {"matches": {1: "c1"}},
    {"order": None},
    {"order": [[], {}]},
    {"order": ["i1", None, "i3", "i4"]},
    {"gaps": None},
    {"gaps": {"g1": None, "g2": None}},
    {"gaps": {"g1": {}, "g2": {}}},
    {"gaps": {None: "x"}},
]


@pytest.mark.parametrize("name", question_types.names())
@pytest.mark.parametrize("answer", GARBAGE, ids=[repr(garbage)[:30] for garbage in GARBAGE])
def test_garbage_answers_raise_only_answer_errors(name, answer):
    question_type = qtype(name)
    definition = cleaned(name)
    try:
        cleaned_answer = question_type.clean_answer(definition, answer)
    except AnswerError as error:
        assert error.message_dict
    else:  # what is accepted must grade and report without errors
        question_type.grade(definition, cleaned_answer)
        for version in ("1.2", "2004"):
            question_type.scorm_response(definition, cleaned_answer, version)


def test_accepted_answers_are_normalised():
    sample = qtype("multiple_response")
    assert sample.clean_answer(cleaned("multiple_response"), {"options": ["c", "a"]}) == {
        "options": ["a", "c"]
    }
    assert qtype("numerical").clean_answer(cleaned("numerical"), {"value": " 60\u00a0km "}) == {
        "value": "60 km"
    }
    assert qtype("numerical").clean_answer(cleaned("numerical"), {"value": 60.5}) == {
        "value": "60.5"
    }
    assert qtype("matching").clean_answer(
        cleaned("matching"), {"matches": {"p3": "c3", "p1": "c9", "p2": None}}
    ) == {"matches": {"p1": "c9", "p3": "c3"}}
    assert qtype("cloze").clean_answer(cleaned("cloze"), {"gaps": {"g2": None}}) == {
        "gaps": {"g1": "", "g2": ""}
    }


# --- what the player sees --------------------------------------------------------------------


#: Strings of each sample that would give the key or per-answer feedback away.
SECRETS: dict[str, list[str]] = {
    "single_choice": ["Feedback only for a", "Feedback only for b", "Feedback only for c"],
    "multiple_response": ["Feedback only for a", "Feedback only for d"],
    "true_false": ["Secret feedback true", "Secret feedback false"],
    "short_answer": ["ENFAST", "Fugitive", "Secret right", "Secret half"],
    "numerical": ["60", "61.25", "Secret sixty", "Secret close"],
    "matching": [],  # the key is the pairing itself, checked through the keys below
    "ordering": [],  # the key is the order, checked in its own test
    "cloze": ["2012", "Secret year", "Secret request", "Secret warrant"],
    "essay": ["Secret grading guide"],
}

FORBIDDEN_KEYS = (
    "correct",
    "fraction",
    "feedback",
    "answers",  # accepted answers (matching's "answers" is checked below)
    "tolerance",
    "grader_info",
    "answer_id",
    "answer",
    "pairs",
    "feedback_true",
    "feedback_false",
)


def keys_of(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value).union(*(keys_of(child) for child in value.values()))
    if isinstance(value, list):
        return set().union(*(keys_of(child) for child in value))
    return set()


@pytest.mark.parametrize("name", question_types.names())
@pytest.mark.parametrize("seed", [None, 7])
def test_player_data_never_leaks_the_key(name, seed):
    definition = cleaned(name)
    rng = None if seed is None else random.Random(seed)
    data = qtype(name).player_data(definition, rng)
    dumped = json.dumps(data, ensure_ascii=False)
    allowed = {"answers"} if name == "matching" else set()
    assert not (keys_of(data) - allowed) & set(FORBIDDEN_KEYS)
    for secret in SECRETS[name]:
        assert secret not in dumped, secret
    if name == "matching":
        # Prompts and answers are separate lists of {id, text}: nothing ties them.
        assert keys_of(data["prompts"]) | keys_of(data["answers"]) == {"id", "text"}


def test_player_data_has_what_rendering_needs():
    assert {
        o["id"]
        for o in qtype("single_choice").player_data(cleaned("single_choice"), None)["options"]
    } == {"a", "b", "c"}
    numerical = qtype("numerical").player_data(cleaned("numerical"), None)
    assert numerical == {"units": ["km", "m"], "unit_required": False}
    cloze = qtype("cloze").player_data(cleaned("cloze"), None)
    assert cloze == {
        "text": CL["text"],
        "gaps": [
            {"id": "g1", "kind": "text"},
            {
                "id": "g2",
                "kind": "choice",
                "options": [{"id": "o1", "text": "a request"}, {"id": "o2", "text": "a warrant"}],
            },
        ],
    }
    matching = qtype("matching").player_data(cleaned("matching"), None)
    assert [p["id"] for p in matching["prompts"]] == ["p1", "p2", "p3"]
    # Without a shuffle the answers are alphabetical, never in the key's order.
    assert [a["text"] for a in matching["answers"]] == [
        "arrest",
        "information",
        "missing person",
        "stolen art",
    ]
    assert qtype("essay").player_data(cleaned("essay"), None) == {"min_words": 10, "max_words": 300}


SIX = {"options": opts("a", "b", "c", "d", "e", "f"), "correct": "a", "shuffle": True}


def option_order(definition: dict[str, Any], seed: int | None) -> list[str]:
    question_type = qtype("single_choice")
    rng = None if seed is None else random.Random(seed)
    data = question_type.player_data(question_type.clean_definition(definition), rng)
    return [option["id"] for option in data["options"]]


def test_shuffling_is_reproducible_per_seed():
    assert option_order(SIX, 42) == option_order(SIX, 42)
    orders = {tuple(option_order(SIX, seed)) for seed in range(10)}
    assert len(orders) > 1
    assert all(sorted(order) == list("abcdef") for order in orders)


def test_no_shuffle_without_permission_or_rng():
    assert option_order(SIX, None) == list("abcdef")
    assert option_order({**SIX, "shuffle": False}, 42) == list("abcdef")


@pytest.mark.parametrize("name", ["multiple_response", "matching", "cloze"])
def test_other_types_shuffle_reproducibly(name):
    question_type = qtype(name)
    definition = cleaned(name)
    assert question_type.player_data(definition, random.Random("a:3")) == (
        question_type.player_data(definition, random.Random("a:3"))
    )
    seen = {json.dumps(question_type.player_data(definition, random.Random(s))) for s in range(20)}
    assert len(seen) > 1
    fixed = {**definition, "shuffle": False}
    if name == "matching":  # the prompts stay put; the answer list is shuffled regardless
        prompts = [p["id"] for p in question_type.player_data(fixed, random.Random(1))["prompts"]]
        assert prompts == ["p1", "p2", "p3"]
    else:
        assert question_type.player_data(fixed, random.Random(1)) == (
            question_type.player_data(fixed, None)
        )


@pytest.mark.parametrize("seed", [None, *range(30)])
def test_ordering_is_never_presented_in_the_right_order(seed):
    question_type = qtype("ordering")
    for items in (OR["items"], OR["items"][:2]):
        definition = question_type.clean_definition({**OR, "items": items})
        rng = None if seed is None else random.Random(seed)
        shown = [item["id"] for item in question_type.player_data(definition, rng)["items"]]
        assert sorted(shown) == sorted(item["id"] for item in items)
        assert shown != [item["id"] for item in items]


# --- SCORM -----------------------------------------------------------------------------------

RIGHT_PATTERNS = {
    "single_choice": (("choice", ["b"]), ("choice", ["b"])),
    "multiple_response": (("choice", ["a,c"]), ("choice", ["a[,]c"])),
    "true_false": (("true-false", ["f"]), ("true-false", ["false"])),
    "short_answer": (("fill-in", ["ENFAST"]), ("fill-in", ["{case_matters=false}ENFAST"])),
    "numerical": (("numeric", ["60"]), ("numeric", ["59.5[:]60.5"])),
    "matching": (
        ("matching", ["p1.c1,p2.c2,p3.c3"]),
        ("matching", ["p1[.]c1[,]p2[.]c2[,]p3[.]c3"]),
    ),
    "ordering": (("sequencing", ["i1,i2,i3,i4"]), ("sequencing", ["i1[,]i2[,]i3[,]i4"])),
    "cloze": (
        ("fill-in", ["2012,a request"]),
        ("fill-in", ["{case_matters=false}2012[,]a request"]),
    ),
    "essay": (("fill-in", []), ("long-fill-in", [])),
}

RESPONSES = {
    "single_choice": ({"option": "a"}, "a", "a"),
    "multiple_response": ({"options": ["d", "a"]}, "a,d", "a[,]d"),
    "true_false": ({"value": True}, "t", "true"),
    "short_answer": ({"text": "  Fugitive   teams "}, "Fugitive teams", "Fugitive teams"),
    "numerical": ({"value": "60 500 m"}, "60.5", "60.5"),
    "matching": ({"matches": {"p2": "c9", "p1": "c1"}}, "p1.c1,p2.c9", "p1[.]c1[,]p2[.]c9"),
    "ordering": ({"order": ["i2", "i1", "i3", "i4"]}, "i2,i1,i3,i4", "i2[,]i1[,]i3[,]i4"),
    "cloze": ({"gaps": {"g1": "2011", "g2": "o2"}}, "2011,a warrant", "2011[,]a warrant"),
    "essay": ({"text": "Line one.\nLine two."}, "Line one. Line two.", "Line one.\nLine two."),
}


@pytest.mark.parametrize("name", question_types.names())
def test_scorm_interaction_patterns(name):
    definition = cleaned(name)
    for version, (kind, patterns) in zip(("1.2", "2004"), RIGHT_PATTERNS[name], strict=True):
        assert qtype(name).scorm_interaction(definition, version) == ScormInteraction(
            kind, patterns
        )


@pytest.mark.parametrize("name", question_types.names())
def test_scorm_responses(name):
    question_type = qtype(name)
    definition = cleaned(name)
    answer, response_12, response_2004 = RESPONSES[name]
    answer = question_type.clean_answer(definition, answer)
    assert question_type.scorm_response(definition, answer, "1.2") == response_12
    assert question_type.scorm_response(definition, answer, "2004") == response_2004


# What Moodle's SCORM 2004 runtime accepts (mod/scorm/datamodels/scorm_13.js).
CMI_SHORT_IDENTIFIER = re.compile(r"^[\w.]{1,250}$", re.ASCII)
CMI_DECIMAL = re.compile(r"^-?([0-9]{1,5})(\.[0-9]{1,18})?$")


@pytest.mark.parametrize("name", ["single_choice", "multiple_response", "matching", "ordering"])
def test_scorm_2004_identifiers_pass_moodle_checks(name):
    question_type = qtype(name)
    definition = cleaned(name)
    values = [*question_type.scorm_interaction(definition, "2004").correct_responses]
    values.append(
        question_type.scorm_response(
            definition, question_type.clean_answer(definition, WRONG_ANSWERS[name]), "2004"
        )
    )
    for value in values:
        for part in re.split(r"\[,\]|\[\.\]", value):
            assert CMI_SHORT_IDENTIFIER.match(part), part


def test_scorm_numeric_values_are_plain_decimals():
    question_type = qtype("numerical")
    definition = question_type.clean_definition(
        {"answers": [{"value": 0.00001, "tolerance": 0.000001, "fraction": 1.0}], "units": []}
    )
    low, high = (
        question_type.scorm_interaction(definition, "2004").correct_responses[0].split("[:]")
    )
    assert (low, high) == ("0.000009", "0.000011")
    for value in ("1e-5", "-2,5", "0"):
        response = question_type.scorm_response(
            definition, question_type.clean_answer(definition, {"value": value}), "2004"
        )
        assert CMI_DECIMAL.match(response), response


def test_scorm_fill_in_respects_lengths_and_delimiters():
    question_type = qtype("short_answer")
    definition = question_type.clean_definition(
        {
            "answers": [
                {"text": "Exact", "fraction": 1.0},
                {"text": "Wild*", "fraction": 1.0},
                {"text": "Half", "fraction": 0.5},
            ],
            "case_sensitive": True,
        }
    )
    # Wildcards and part marks cannot be told to the LMS; case sensitivity can.
    assert question_type.scorm_interaction(definition, "2004").correct_responses == [
        "{case_matters=true}Exact"
    ]
    long_text = {"text": "{x} a[,]b " + "y" * 9000}
    answer = question_type.clean_answer(definition, long_text)
    response_2004 = question_type.scorm_response(definition, answer, "2004")
    assert len(response_2004) <= 250
    assert response_2004.startswith("(x} a(,)b ")
    assert len(question_type.scorm_response(definition, answer, "1.2")) <= 255
    essay = qtype("essay")
    essay_answer = essay.clean_answer(cleaned("essay"), {"text": "z" * 10_000})
    assert len(essay.scorm_response(cleaned("essay"), essay_answer, "2004")) == 4000
    assert len(essay.scorm_response(cleaned("essay"), essay_answer, "1.2")) == 255


def test_cloze_with_only_wildcard_answers_has_no_pattern():
    definition = qtype("cloze").clean_definition(gap(0, answers=[{"text": "20*", "fraction": 1.0}]))
    assert qtype("cloze").scorm_interaction(definition, "2004") == ScormInteraction("fill-in", [])


def test_unknown_scorm_version_is_a_programming_error():
    with pytest.raises(ValueError):
        qtype("ordering").scorm_interaction(cleaned("ordering"), "1.3")  # type: ignore[arg-type]


# --- offline grader data ---------------------------------------------------------------------


OFFLINE = {
    "single_choice": {
        "correct": "b",
        "feedback": {f"{i}": f"Feedback only for {i}" for i in "abc"},
    },
    "multiple_response": {
        "options": ["a", "b", "c", "d"],
        "correct": ["a", "c"],
        "scoring": "partial",
        "feedback": {f"{i}": f"Feedback only for {i}" for i in "abcd"},
    },
    "true_false": {
        "correct": False,
        "feedback_true": "Secret feedback true",
        "feedback_false": "Secret feedback false",
    },
    "short_answer": {
        "answers": SAMPLES["short_answer"]["answers"],
        "case_sensitive": False,
        "ignore_diacritics": True,
    },
    "numerical": {
        "answers": SAMPLES["numerical"]["answers"],
        "units": SAMPLES["numerical"]["units"],
        "unit_required": False,
        "epsilon": 1e-9,
    },
    "matching": {"key": {"p1": "c1", "p2": "c2", "p3": "c3"}},
    "ordering": {"order": ["i1", "i2", "i3", "i4"], "scoring": "absolute_position"},
    "cloze": {
        "gaps": [
            {"id": "g1", **{k: v for k, v in CL["gaps"][0].items() if k != "id"}},
            {
                "id": "g2",
                "kind": "choice",
                "correct": "o1",
                "feedback": {"o1": "Secret request", "o2": "Secret warrant"},
            },
        ]
    },
    "essay": {"manually_graded": True},
}


@pytest.mark.parametrize("name", question_types.names())
def test_offline_grader_data_carries_what_the_js_grader_needs(name):
    data = qtype(name).offline_grader_data(cleaned(name))
    assert json.loads(json.dumps(data)) == OFFLINE[name]


def test_interface_methods_keep_the_base_signatures():
    for question_type in question_types.BUILTIN_TYPES:
        for method in METHODS:
            own = inspect.signature(getattr(type(question_type), method))
            base = inspect.signature(getattr(QuestionType, method))
            assert list(own.parameters) == list(base.parameters), (question_type.name, method)


# --- text matching details -------------------------------------------------------------------


def test_diacritics_fold_latin_letters_only():
    assert fold_diacritics("Zażółć gęślą jaźń ŁÓDŹ") == "Zazolc gesla jazn LODZ"
    assert fold_diacritics("Černihiv, Žytomyr, Đakovo") == "Cernihiv, Zytomyr, Dakovo"
    # Ukrainian Cyrillic letters are letters of their own, not accented ones.
    assert fold_diacritics("Київ, Гайсин") == "Київ, Гайсин"
    # Decomposed input (a + combining ogonek) folds like the composed letter.
    assert fold_diacritics("a\u0328") == "a"
    assert normalise_text(
        "  Biała\u00a0 Podlaska ", case_sensitive=False, ignore_diacritics=True
    ) == ("biala podlaska")


def test_many_wildcards_against_a_long_response_stay_fast():
    definition = qtype("short_answer").clean_definition(
        {"answers": [{"text": "*a*a*a*a*a*a*a*a*b", "fraction": 1.0}]}
    )
    answer = qtype("short_answer").clean_answer(definition, {"text": "a" * 10_000})
    assert qtype("short_answer").grade(definition, answer).fraction == 0.0


def test_cloze_placeholders_are_stored_without_spaces():
    definition = qtype("cloze").clean_definition(
        {**CL, "text": "Poland joined ENFAST in {{ g1 }}; a Red Notice is {{g2 }}."}
    )
    assert definition["text"] == CL["text"]


def test_numerical_right_answer_uses_the_base_unit():
    assert qtype("numerical").right_answer(cleaned("numerical")) == {"value": "60 km"}
    no_units = qtype("numerical").clean_definition({**NU, "units": []})
    assert qtype("numerical").right_answer(no_units) == {"value": "60"}


def test_short_answer_right_answer_prefers_a_plain_text():
    definition = qtype("short_answer").clean_definition(
        {"answers": [{"text": "ENF*", "fraction": 1.0}, {"text": "ENFAST", "fraction": 1.0}]}
    )
    assert qtype("short_answer").right_answer(definition) == {"text": "ENFAST"}
