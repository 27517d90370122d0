"""Packages exported with "hide answer keys", on a small hand-made course: no accepted
text in any file, no right answers in the review, no correct-response patterns, salts that
keep exports deterministic, and the questions whose keys stay readable named (plan, CLI)."""

from __future__ import annotations

import io
import re
import zipfile
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings

from scorm_export.options import ExportOptions
from scorm_export.plan import PackagePlan, build_plan
from scorm_export.services import export_package
from tests.factories import make_catalogue, make_course, make_home, make_module
from tests.quizzes.factories import make_question, make_question_of_each_type, make_quiz

from .test_runtime_parity import key_leaves
from .xsd import validate

pytestmark = pytest.mark.django_db

#: Accepted texts found nowhere else in the course: their presence in a file is the key's.
SECRET_TEXT = "Kryptonim Wrzos"
SECRET_GAP = "Zielony Szczupak"
WILDCARD = "Nadbu*"
HEX_HASH = re.compile(r"[0-9a-f]{64}")


@pytest.fixture
def module():
    secret = make_question(
        type="short_answer",
        name="Kryptonim",
        text="<p>Podaj kryptonim operacji.</p>",
        definition={"answers": [{"text": SECRET_TEXT, "fraction": 1, "feedback": "Tak."}]},
    )
    secret_gap = make_question(
        type="cloze",
        name="Kolor i ryba",
        text="<p>Uzupełnij.</p>",
        definition={
            "text": "Hasło: {{g1}}, wydział {{g2}}.",
            "gaps": [
                {"id": "g1", "kind": "text", "answers": [{"text": SECRET_GAP, "fraction": 1}]},
                {
                    "id": "g2",
                    "kind": "choice",
                    "options": [
                        {"id": "o1", "text": "kryminalny", "feedback": ""},
                        {"id": "o2", "text": "ruchu drogowego", "feedback": ""},
                    ],
                    "correct": "o1",
                },
            ],
        },
    )
    wildcard = make_question(
        type="short_answer",
        name="Oddział nad Bugiem",
        text="<p>Nazwa oddziału?</p>",
        definition={
            "answers": [
                {"text": WILDCARD, "fraction": 1, "feedback": ""},
                {"text": "Bug", "fraction": 0.5, "feedback": ""},
            ]
        },
    )
    quiz = make_quiz(
        [*make_question_of_each_type(), secret, secret_gap, wildcard],
        review_options={
            "immediately": ["marks", "right_answer", "feedback"],
            "after_close": ["right_answer"],
        },
    )
    course = make_course(make_catalogue(make_home()), title="Kurs z kluczami")
    return make_module(course, title="Moduł", body=[{"type": "quiz", "value": {"quiz": quiz.pk}}])


def export(page, **options: Any) -> bytes:
    output = io.BytesIO()
    export_package(page, ExportOptions(**options), output)
    return output.getvalue()


def questions_of(plan: PackagePlan) -> list[dict[str, Any]]:
    return [
        question
        for sco in plan.scos
        for quiz in sco.config["quizzes"]
        for slot in quiz["slots"]
        for question in slot["questions"]
    ]


def file_texts(package: bytes) -> dict[str, str]:
    """Every file of a package as lower-case text, "\\uXXXX" escapes (JSON) decoded."""
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        texts = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
    return {
        name: re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), text).lower()
        for name, text in texts.items()
    }


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_no_accepted_text_is_left_in_any_file(module, version):
    plain = file_texts(export(module, version=version))
    hidden_package = export(module, version=version, hide_keys=True)
    hidden = file_texts(hidden_package)
    for secret in (SECRET_TEXT.lower(), SECRET_GAP.lower()):
        assert any(secret in text for text in plain.values())  # the scan would find it
        assert not [name for name, text in hidden.items() if secret in text], secret
    # A wildcard pattern cannot be hashed: it stays, and says so (below).
    assert any(WILDCARD.lower() in text for text in hidden.values())
    with zipfile.ZipFile(io.BytesIO(hidden_package)) as archive:
        assert validate(archive.read("imsmanifest.xml"), version) == []


def test_the_package_holds_hashes_and_no_right_answers(module):
    plan = build_plan(module, ExportOptions(version="2004", hide_keys=True))
    (quiz,) = plan.scos[0].config["quizzes"]
    assert quiz["reviewOptions"] == {
        "immediately": ["marks", "feedback"],
        "after_close": [],
    }
    questions = questions_of(plan)
    assert len(questions) == 12
    for question in questions:
        assert "rightAnswer" not in question
        assert question["interaction"]["correctResponses"] == []
        assert question["interaction"]["type"]
        for value in key_leaves(question["grader"]):
            assert HEX_HASH.fullmatch(value), (question["type"], value)
        if question["type"] not in {"numerical", "essay"}:
            assert re.fullmatch(r"[0-9a-f]{32}", question["grader"]["salt"])
    by_type = {question["type"]: question for question in questions}
    # Per-option feedback stays: the review shows it for the options picked.
    assert by_type["single_choice"]["grader"]["feedback"]["a"] == "Za mało."
    # A key that cannot be hashed stays readable: numerical answers.
    assert by_type["numerical"]["grader"]["answers"][0]["value"] == 3.5

    plain = build_plan(module, ExportOptions(version="2004"))
    assert all("rightAnswer" in question for question in questions_of(plain))
    assert plain.readable_keys == ()


def test_the_questions_whose_keys_stay_readable_are_named(module):
    plan = build_plan(module, ExportOptions(version="1.2", hide_keys=True))
    assert [(key.name, key.type) for key in plan.readable_keys] == [
        ("<p>Podejrzany oddalił się o 3500 m. Ile to kilomet", "numerical"),
        ("Oddział nad Bugiem", "short_answer"),
    ]
    by_id = {question["id"]: question for question in questions_of(plan)}
    assert [by_id[key.question_id]["type"] for key in plan.readable_keys] == [
        "numerical",
        "short_answer",
    ]


def test_salts_are_deterministic_per_question_and_package_and_secret(module):
    def salts(**options: Any) -> dict[str, str]:
        plan = build_plan(module, ExportOptions(hide_keys=True, **options))
        return {q["id"]: q["grader"]["salt"] for q in questions_of(plan) if "salt" in q["grader"]}

    first = salts(version="2004")
    assert first == salts(version="2004")
    assert len(set(first.values())) == len(first) == 10  # all but numerical and essay
    assert set(first.values()).isdisjoint(salts(version="1.2").values())
    with override_settings(SECRET_KEY="another-secret-" * 4):
        assert set(first.values()).isdisjoint(salts(version="2004").values())

    package = export(module, version="2004", hide_keys=True)
    assert package == export(module, version="2004", hide_keys=True)


def test_cli_warns_about_each_readable_key(module, tmp_path):
    stdout, stderr = StringIO(), StringIO()
    target = tmp_path / "modul.zip"
    call_command(
        "export_scorm",
        module.slug,
        "--scorm",
        "2004",
        "--output",
        str(target),
        "--hide-keys",
        "--no-progress",
        stdout=stdout,
        stderr=stderr,
    )
    warnings = stderr.getvalue().strip().splitlines()
    assert len(warnings) == 2, warnings
    assert "Oddział nad Bugiem" in warnings[1] and "Krótka odpowiedź" in warnings[1]
    assert "Podejrzany oddalił" in warnings[0] and "Odpowiedź liczbowa" in warnings[0]
    assert zipfile.is_zipfile(target)

    call_command(
        "export_scorm",
        module.slug,
        "--scorm",
        "2004",
        "--output",
        str(target),
        "--no-progress",
        stdout=StringIO(),
        stderr=(quiet := StringIO()),
    )
    assert quiet.getvalue() == ""
