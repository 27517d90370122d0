"""The question editor of Wagtail's admin: every type's editor block converts to and from its
definition, and editors create and edit questions through the admin without JSON."""

from __future__ import annotations

import json
import re
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from wagtail import blocks
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield
from wagtail.users.models import UserProfile

from quizzes import question_types
from quizzes.forms import RICH_TEXT_FEATURES, QuestionForm, content_block
from quizzes.models import Question
from quizzes.question_types import DefinitionError
from quizzes.question_types._editor import (
    GRADES,
    assign_ids,
    editor_error,
    grade_key,
    ids_of_item,
    item_id,
    letters,
)
from tests.quizzes.factories import make_category, make_question

CASES_FILE = Path(question_types.__file__).parent / "grading_cases.json"
CASES: list[dict[str, Any]] = json.loads(CASES_FILE.read_text(encoding="utf-8"))


def first_definitions() -> dict[str, dict[str, Any]]:
    """The first definition of each type in the grading table."""
    found: dict[str, dict[str, Any]] = {}
    for case in CASES:
        found.setdefault(case["type"], case["definition"])
    return found


DEFINITIONS = first_definitions()


def qtype(name: str) -> question_types.QuestionType:
    return question_types.get(name)


def through_block(name: str, raw: Any) -> Any:
    """A raw editor value as the admin form hands it over: converted and cleaned by the block."""
    block = qtype(name).editor_block()
    return block.clean(block.to_python(raw))


def from_editor(name: str, raw: Any) -> dict[str, Any]:
    question_type = qtype(name)
    return question_type.clean_definition(
        question_type.definition_from_editor(through_block(name, raw))
    )


def carried_ids(value: Any) -> Any:
    """A raw editor value with each item id reduced to the definition ids it carries
    (item ids end in a random part)."""
    if isinstance(value, dict):
        return {
            key: ids_of_item(item) if key == "id" else carried_ids(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [carried_ids(item) for item in value]
    return value


def without_ids(value: Any) -> Any:
    """A definition without its ids, references to ids and gap placeholders."""
    if isinstance(value, dict):
        return {
            key: without_ids(item)
            for key, item in value.items()
            if key not in ("id", "answer_id", "correct")
        }
    if isinstance(value, list):
        return [without_ids(item) for item in value]
    if isinstance(value, str):
        return re.sub(r"\{\{.*?\}\}", "{{}}", value)
    return value


def fresh(value: Any) -> Any:
    """A raw editor value as if every item had just been added in the editor (no ids)."""
    if isinstance(value, dict):
        return {
            key: "00000000-0000-4000-8000-000000000000" if key == "id" else fresh(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [fresh(item) for item in value]
    return value


# --- conversions, without the database ------------------------------------------------------


def test_every_type_has_an_editor():
    for question_type in question_types.BUILTIN_TYPES:
        block = question_type.editor_block()
        assert isinstance(block, blocks.StructBlock), question_type.name
        assert str(block.label) == str(question_type.label)
    assert set(DEFINITIONS) == set(question_types.names())
    assert list(content_block().child_blocks) == question_types.names()


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_editor_round_trips_every_grading_case(case):
    question_type = qtype(case["type"])
    original = question_type.clean_definition(case["definition"])
    raw = question_type.editor_value(case["definition"])
    assert json.loads(json.dumps(raw)) == raw
    # As the admin form hands it over (native, cleaned), and as editor_value returns it (raw).
    assert from_editor(case["type"], raw) == original
    assert question_type.clean_definition(question_type.definition_from_editor(raw)) == original
    # Showing the result again gives the same editor value (item ids aside).
    again = question_type.editor_value(from_editor(case["type"], raw))
    assert carried_ids(again) == carried_ids(raw)


def renaming(original: Any, renamed: Any, found: dict[str, str] | None = None) -> dict[str, str]:
    """Old id → new id, reading two definitions of the same shape side by side."""
    found = {} if found is None else found
    if isinstance(original, dict):
        for key, item in original.items():
            if key in ("id", "answer_id"):
                found[item] = renamed[key]
            else:
                renaming(item, renamed[key], found)
    elif isinstance(original, list):
        for item, other in zip(original, renamed, strict=True):
            renaming(item, other, found)
    return found


def renamed_answer(answer: Any, names: dict[str, str]) -> Any:
    if isinstance(answer, dict):
        return {names.get(key, key): renamed_answer(item, names) for key, item in answer.items()}
    if isinstance(answer, list):
        return [renamed_answer(item, names) for item in answer]
    return names.get(answer, answer) if isinstance(answer, str) else answer


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_items_added_in_the_editor_get_valid_ids(case):
    question_type = qtype(case["type"])
    original = question_type.clean_definition(case["definition"])
    definition = from_editor(case["type"], fresh(question_type.editor_value(original)))
    assert question_type.clean_definition(definition) == definition
    assert without_ids(definition) == without_ids(original)
    # Only the ids changed: the grading case, in the new ids, grades the same.
    answer = renamed_answer(case["answer"], renaming(original, definition))
    grade = question_type.grade(definition, question_type.clean_answer(definition, answer))
    assert grade.fraction == case["fraction"]


def test_new_options_get_letters_and_kept_ones_keep_their_ids():
    single = qtype("single_choice")
    raw = single.editor_value(
        {
            "options": [
                {"id": "yes", "text": "Tak"},
                {"id": "no", "text": "Nie"},
                {"id": "b", "text": "Nie wiem"},
            ],
            "correct": "no",
        }
    )
    del raw["options"][0]  # "yes" deleted...
    raw["options"][1]["value"]["text"] = "Nie mam pewności"  # ..."b" corrected...
    for text in ("Raczej tak", "Zależy"):  # ...and two options added
        new = {"text": text, "is_correct": False, "feedback": ""}
        raw["options"].append({"type": "item", "value": new, "id": str(uuid.uuid4())})
    definition = from_editor("single_choice", raw)
    assert [option["id"] for option in definition["options"]] == ["no", "b", "a", "c"]
    assert definition["options"][1]["text"] == "Nie mam pewności"
    assert definition["correct"] == "no"


def test_matching_answers_keep_their_ids_and_share_them_by_text():
    matching = qtype("matching")
    raw = matching.editor_value(
        {
            "pairs": [
                {"id": "europol", "prompt": "Europol", "answer_id": "eu", "answer": "EU agency"},
                {"id": "interpol", "prompt": "Interpol", "answer_id": "intl", "answer": "UN body"},
            ],
            "extra_answers": [{"id": "ngo", "text": "NGO"}],
        }
    )
    raw["pairs"][1]["value"]["answer"] = "international organisation"  # corrected
    new = {"prompt": "Frontex", "answer": "EU agency"}
    raw["pairs"].append({"type": "item", "value": new, "id": str(uuid.uuid4())})
    definition = from_editor("matching", raw)
    assert [(p["id"], p["answer_id"], p["answer"]) for p in definition["pairs"]] == [
        ("europol", "eu", "EU agency"),
        ("interpol", "intl", "international organisation"),
        ("p1", "eu", "EU agency"),
    ]
    assert definition["extra_answers"] == [{"id": "ngo", "text": "NGO"}]


def test_generated_ids_follow_each_types_scheme():
    def item(value: Any) -> dict[str, Any]:
        return {"type": "item", "value": value, "id": ""}

    option = {"feedback": "", "is_correct": False}
    choice = from_editor(
        "multiple_response",
        {
            "options": [
                item({**option, "text": "A", "is_correct": True}),
                item({**option, "text": "B"}),
                item({**option, "text": "C", "is_correct": True}),
            ],
            "scoring": "partial",
            "shuffle": False,
        },
    )
    assert [o["id"] for o in choice["options"]] == ["a", "b", "c"]
    assert choice["correct"] == ["a", "c"]

    matching = from_editor(
        "matching",
        {
            "pairs": [
                item({"prompt": "Europol", "answer": "EU agency"}),
                item({"prompt": "Interpol", "answer": "international organisation"}),
                item({"prompt": "Frontex", "answer": "EU agency"}),
            ],
            "extra_answers": [item("national police")],
            "shuffle": True,
        },
    )
    assert [(p["id"], p["answer_id"]) for p in matching["pairs"]] == [
        ("p1", "c1"),
        ("p2", "c2"),
        ("p3", "c1"),
    ]
    assert matching["extra_answers"] == [{"id": "c3", "text": "national police"}]

    ordering = from_editor(
        "ordering",
        {"items": [item("First"), item("Second"), item("Third")], "scoring": "all_or_nothing"},
    )
    assert [i["id"] for i in ordering["items"]] == ["i1", "i2", "i3"]

    cloze = from_editor(
        "cloze",
        {
            "text": "Sent to [[2]] within [[1]] days.",
            "gaps": [
                {
                    "type": "text",
                    "value": {
                        "number": 1,
                        "answers": [item({"text": "60", "fraction": "1.0", "feedback": ""})],
                        "case_sensitive": False,
                        "ignore_diacritics": True,
                    },
                },
                {
                    "type": "choice",
                    "value": {
                        "number": 2,
                        "options": [
                            item({**option, "text": "Europol"}),
                            item({**option, "text": "the court", "is_correct": True}),
                        ],
                    },
                },
            ],
            "shuffle": True,
        },
    )
    assert cloze["text"] == "Sent to {{g2}} within {{g1}} days."
    assert [gap["id"] for gap in cloze["gaps"]] == ["g1", "g2"]
    assert cloze["gaps"][1]["correct"] == "b"


def test_id_helpers():
    assert list(zip(range(28), letters(), strict=False))[-3:] == [(25, "z"), (26, "aa"), (27, "ab")]
    assert assign_ids(["b", None, "b", None], letters()) == ["b", "a", "c", "d"]
    assert assign_ids([None, "g1"], letters(), preferred=["g1", "g2"]) == ["a", "g1"]
    carrying = item_id("p1", "c1")
    assert carrying.startswith("qid-p1-c1-") and ids_of_item(carrying) == ["p1", "c1"]
    assert ids_of_item("5b1f2e2c-3c1d-4a7e-9d3f-2b0c1e9a8f00") == []
    assert ids_of_item(None) == []


def test_grades_offer_moodles_list():
    assert [grade_key(fraction) for fraction in GRADES][:3] == ["1.0", "0.9", "0.8333333"]
    assert len(set(GRADES)) == len(GRADES) == 21


def untick(raw: dict[str, Any], *indexes: int) -> None:
    for index in indexes:
        raw["options"][index]["value"]["is_correct"] = False


@pytest.mark.parametrize(
    ("name", "change", "path"),
    [
        ("single_choice", lambda raw: untick(raw, 1), ["options"]),
        (
            "single_choice",
            lambda raw: raw["options"][0]["value"].update(is_correct=True),
            ["options"],
        ),
        ("multiple_response", lambda raw: untick(raw, *range(5)), ["options"]),
        (
            "short_answer",
            lambda raw: [answer["value"].update(fraction="0.5") for answer in raw["answers"]],
            ["answers"],
        ),
        (
            "cloze",
            lambda raw: raw.update(text=raw["text"].replace("[[2]]", "")),
            ["gaps", 1, "number"],
        ),
        ("cloze", lambda raw: raw.update(text=raw["text"] + " [[7]]"), ["text"]),
        ("cloze", lambda raw: raw.update(text=raw["text"] + " {{x}}"), ["text"]),
        (
            "cloze",
            lambda raw: raw["gaps"][1]["value"]["options"][0]["value"].update(is_correct=False),
            ["gaps", 1, "options"],
        ),
        ("matching", lambda raw: raw["extra_answers"][0].update(value="missing person"), []),
        ("essay", lambda raw: raw.update(min_words=10, max_words=5), ["max_words"]),
        ("numerical", lambda raw: raw.update(units=[], unit_required=True), ["unit_required"]),
    ],
)
def test_definition_errors_land_on_the_editor_field(name, change, path):
    question_type = qtype(name)
    raw = question_type.editor_value(DEFINITIONS[name])
    change(raw)
    block = question_type.editor_block()
    value = through_block(name, raw)
    with pytest.raises(DefinitionError) as caught:
        question_type.clean_definition(question_type.definition_from_editor(value))
    data = editor_error(block, value, caught.value).as_json_data()
    for step in path or ["extra_answers", 0]:
        data = data["blockErrors"][step]
    assert data["messages"], data


def test_an_unknown_path_shows_on_the_nearest_block():
    question_type = qtype("matching")
    raw = question_type.editor_value(DEFINITIONS["matching"])
    block = question_type.editor_block()
    value = through_block("matching", raw)
    error = DefinitionError({"pairs.1.answer_id": ["Bad id."], "nowhere": ["Lost?"]})
    data = editor_error(block, value, error).as_json_data()
    assert data["messages"] == ["Lost?"]
    assert data["blockErrors"]["pairs"]["blockErrors"][1]["messages"] == ["Bad id."]


# --- the admin ------------------------------------------------------------------------------


def block_data(block: blocks.Block, value: Any) -> Any:
    """Form data for a block, from its raw value (nested, for `nested_form_data`)."""
    if isinstance(block, blocks.BaseStreamBlock):
        data: dict[str, Any] = {"count": str(len(value))}
        for index, item in enumerate(value):
            data[str(index)] = {
                "type": item["type"],
                "value": block_data(block.child_blocks[item["type"]], item["value"]),
                "deleted": "",
                "order": str(index),
                "id": item.get("id") or "",
            }
        return data
    if isinstance(block, blocks.ListBlock):
        data = {"count": str(len(value))}
        for index, item in enumerate(value):
            data[str(index)] = {
                "value": block_data(block.child_block, item["value"]),
                "deleted": "",
                "order": str(index),
                "id": item.get("id") or "",
            }
        return data
    if isinstance(block, blocks.BaseStructBlock):
        return {
            name: block_data(child, value.get(name)) for name, child in block.child_blocks.items()
        }
    if isinstance(block, blocks.BooleanBlock):
        return "on" if value else ""
    return "" if value is None else str(value)


def form_data(
    category,
    type_name: str,
    editor_value: dict[str, Any],
    *,
    name: str = "Kara za przemyt",
    text: str = "<p>Jaki jest próg?</p>",
    general_feedback: str = "<p>Art. 2.</p>",
    **fields: Any,
) -> dict[str, Any]:
    block = content_block().child_blocks[type_name]
    return nested_form_data(
        {
            "name": name,
            "category": str(category.pk),
            "difficulty": "medium",
            "default_mark": "1",
            "tags": "akcyza, poziom-1",
            "text": rich_text(text, features=RICH_TEXT_FEATURES),
            "general_feedback": rich_text(general_feedback, features=RICH_TEXT_FEATURES),
            "content": streamfield([(type_name, block_data(block, editor_value))]),
            **fields,
        }
    )


def content_errors(response) -> dict[str, Any]:
    errors = response.context["form"].errors["content"].as_data()
    return errors[0].as_json_data()


def single_choice_value(correct: str | None = "b") -> dict[str, Any]:
    texts = {"a": "6 miesięcy", "b": "12 miesięcy", "c": "3 lata"}
    return {
        "options": [
            {
                "type": "item",
                "value": {"text": text, "is_correct": key == correct, "feedback": f"Opcja {key}."},
                "id": "",
            }
            for key, text in texts.items()
        ],
        "shuffle": True,
    }


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("redaktor", password="x-Password-1")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    """The editor works in English, so messages can be asserted as written in the code."""
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(editor)
    with translation.override("en"):
        yield client


def add_url() -> str:
    return reverse("wagtailsnippets_quizzes_question:add")


def edit_url(question: Question) -> str:
    return reverse("wagtailsnippets_quizzes_question:edit", args=[question.pk])


@pytest.mark.django_db
def test_editor_creates_then_edits_a_single_choice_question(editor_client, editor):
    category = make_category()
    response = editor_client.post(
        add_url(), form_data(category, "single_choice", single_choice_value())
    )
    assert response.status_code == 302, response.context and response.context["form"].errors

    question = Question.objects.get(name="Kara za przemyt")
    assert question.type == "single_choice"
    assert sorted(question.tags.names()) == ["akcyza", "poziom-1"]
    first = question.latest_version
    assert first.number == 1 and first.created_by == editor
    assert first.text == "<p>Jaki jest próg?</p>"
    assert first.general_feedback == "<p>Art. 2.</p>"
    assert first.definition == {
        "options": [
            {"id": "a", "text": "6 miesięcy", "feedback": "Opcja a."},
            {"id": "b", "text": "12 miesięcy", "feedback": "Opcja b."},
            {"id": "c", "text": "3 lata", "feedback": "Opcja c."},
        ],
        "correct": "b",
        "shuffle": True,
    }

    # The edit page shows the stored options, with their ids carried by the list items.
    page = editor_client.get(edit_url(question))
    assert page.status_code == 200
    shown = page.context["form"].initial["content"][0]
    assert shown.block_type == "single_choice"
    assert [ids_of_item(child.id) for child in shown.value["options"].bound_blocks] == [
        ["a"],
        ["b"],
        ["c"],
    ]

    value = qtype("single_choice").editor_value(first.definition)
    value["options"][1]["value"]["is_correct"] = False
    value["options"][2]["value"]["is_correct"] = True
    value["options"][2]["value"]["text"] = "2 lata"
    response = editor_client.post(edit_url(question), form_data(category, "single_choice", value))
    assert response.status_code == 302, response.context and response.context["form"].errors

    question.refresh_from_db()
    assert list(question.versions.values_list("number", flat=True)) == [1, 2]
    second = question.latest_version
    assert second.number == 2 and second.definition["correct"] == "c"
    assert second.definition["options"][2] == {"id": "c", "text": "2 lata", "feedback": "Opcja c."}
    first.refresh_from_db()
    assert first.definition["correct"] == "b"
    assert first.definition["options"][2]["text"] == "3 lata"


@pytest.mark.django_db
def test_metadata_only_edit_adds_no_version(editor_client):
    question = make_question(text="Jaki jest minimalny próg kary dla ENA?")
    other = make_category("Akcyza")
    value = qtype("single_choice").editor_value(question.latest_version.definition)
    data = form_data(
        other,
        "single_choice",
        value,
        name="Nowa nazwa",
        text=question.latest_version.text,  # plain text: the editor wraps it in a paragraph
        general_feedback=question.latest_version.general_feedback,
        difficulty="hard",
        default_mark="2.5",
    )
    response = editor_client.post(edit_url(question), data)
    assert response.status_code == 302, response.context and response.context["form"].errors

    question.refresh_from_db()
    assert question.versions.count() == 1
    assert question.latest_version.number == 1
    assert (question.name, question.category, question.difficulty) == ("Nowa nazwa", other, "hard")
    assert question.default_mark == Decimal("2.5")
    assert sorted(question.tags.names()) == ["akcyza", "poziom-1"]


@pytest.mark.django_db
def test_a_definition_error_re_renders_the_form(editor_client):
    category = make_category()
    response = editor_client.post(
        add_url(), form_data(category, "single_choice", single_choice_value(correct=None))
    )
    assert response.status_code == 200
    errors = content_errors(response)
    assert errors["blockErrors"][0]["blockErrors"]["options"]["messages"] == [
        "Tick the correct option."
    ]
    assert not Question.objects.exists()


@pytest.mark.django_db
def test_block_errors_re_render_the_form(editor_client):
    value = single_choice_value()
    value["options"][0]["value"]["text"] = ""
    response = editor_client.post(add_url(), form_data(make_category(), "single_choice", value))
    assert response.status_code == 200
    options = content_errors(response)["blockErrors"][0]["blockErrors"]["options"]
    assert options["blockErrors"][0]["blockErrors"]["text"]["messages"]
    assert not Question.objects.exists()


@pytest.mark.django_db
def test_no_type_chosen_re_renders_the_form(editor_client):
    data = form_data(make_category(), "single_choice", single_choice_value())
    data = {key: value for key, value in data.items() if not key.startswith("content-")}
    data["content-count"] = "0"
    response = editor_client.post(add_url(), data)
    assert response.status_code == 200
    assert content_errors(response)["messages"]
    assert not Question.objects.exists()


@pytest.mark.django_db
def test_a_question_keeps_its_type(editor_client):
    question = make_question()
    value = qtype("true_false").editor_value({"correct": True})
    response = editor_client.post(
        edit_url(question), form_data(question.category, "true_false", value)
    )
    assert response.status_code == 200
    assert "keeps its type" in content_errors(response)["messages"][0]
    question.refresh_from_db()
    assert question.type == "single_choice" and question.versions.count() == 1


@pytest.mark.django_db
def test_the_bank_lists_questions_with_their_type(editor_client):
    make_question(name="Próg kary")
    response = editor_client.get(reverse("wagtailsnippets_quizzes_question:list"))
    assert response.status_code == 200
    assert "Próg kary" in response.content.decode()
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        assert str(qtype("single_choice").label) in response.content.decode()


@pytest.mark.django_db
def test_the_add_page_offers_every_type(editor_client):
    response = editor_client.get(add_url())
    assert response.status_code == 200
    content = response.context["form"].fields["content"].block
    assert list(content.child_blocks) == question_types.names()


@pytest.mark.django_db
@pytest.mark.parametrize("name", question_types.names())
def test_every_type_opens_and_saves_unchanged_in_the_editor(editor_client, name):
    question = make_question(type=name, definition=DEFINITIONS[name])
    response = editor_client.get(edit_url(question))
    assert response.status_code == 200
    assert response.context["form"].initial["content"][0].block_type == name
    assert "Current version:" in response.content.decode()

    # Saving what the editor shows, untouched, changes nothing.
    value = qtype(name).editor_value(question.latest_version.definition)
    data = form_data(
        question.category,
        name,
        value,
        name=question.name,
        text=question.latest_version.text,
        general_feedback=question.latest_version.general_feedback,
    )
    response = editor_client.post(edit_url(question), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert question.versions.count() == 1

    # Copying opens the create form filled with the question's content.
    copy = reverse("wagtailsnippets_quizzes_question:copy", args=[question.pk])
    response = editor_client.get(copy)
    assert response.status_code == 200
    assert response.context["form"].initial["content"][0].block_type == name


@pytest.mark.django_db
@pytest.mark.parametrize("name", question_types.names())
def test_every_type_can_be_created_in_the_editor(editor_client, name):
    value = fresh(qtype(name).editor_value(DEFINITIONS[name]))
    response = editor_client.post(add_url(), form_data(make_category(), name, value))
    assert response.status_code == 302, response.context and response.context["form"].errors
    question = Question.objects.get()
    assert question.type == name
    definition = question.latest_version.definition
    assert qtype(name).clean_definition(definition) == definition


@pytest.mark.django_db
def test_numbers_may_use_a_decimal_comma(editor_client):
    value = qtype("numerical").editor_value(DEFINITIONS["numerical"])
    value["answers"][0]["value"]["value"] = "3,5"
    value["answers"][0]["value"]["tolerance"] = "0,1"
    response = editor_client.post(add_url(), form_data(make_category(), "numerical", value))
    assert response.status_code == 302, response.context and response.context["form"].errors
    answer = Question.objects.get().latest_version.definition["answers"][0]
    assert (answer["value"], answer["tolerance"]) == (3.5, 0.1)


@pytest.mark.django_db
def test_the_form_needs_no_view(editor):
    category = make_category()
    data = form_data(category, "single_choice", single_choice_value())
    form = QuestionForm(data=data, for_user=editor)
    assert form.is_valid(), form.errors
    question = form.save()
    assert question.latest_version.number == 1
    with pytest.raises(ValueError):
        QuestionForm(data=data, for_user=editor).save()
