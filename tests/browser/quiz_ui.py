"""Answering the quiz player's widgets (quizzes/static/quizzes/player.js) through its UI, in
Polish, as a trainee does: by labels, buttons and the keyboard.

Shared by the site's player tests and the SCORM package tests (a package runs the same
player.js). `scope` is anything with Playwright's `get_by_*` methods: a page, a frame
locator, or a locator within them.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

TRUE_FALSE = {True: "Prawda", False: "Fałsz"}


def question(scope, n: int, total: int):
    """The question shown as group "Pytanie n z total"."""
    return scope.get_by_role("group", name=re.compile(rf"^Pytanie {n} z {total}\b"))


def choose(group, *labels: str) -> None:
    """Tick the radio button or the check boxes with these labels."""
    for label in labels:
        group.get_by_label(label, exact=True).check()


def type_answer(group, text: str) -> None:
    """Type into the answer box (short answer, numerical, essay)."""
    group.get_by_label("Twoja odpowiedź").fill(text)


def match(group, pairs: dict[str, str]) -> None:
    """Pick the answer for each prompt: {prompt label: answer label}."""
    for prompt, answer in pairs.items():
        group.get_by_label(prompt, exact=True).select_option(label=answer)


def fill_gap(control, value: str) -> None:
    """A cloze gap: pick the option labelled `value` in a drop-down, or type it."""
    if control.evaluate("(node) => node.tagName") == "SELECT":
        control.select_option(label=value)
    else:
        control.fill(value)


def put_in_order(page, group, texts: list[str]) -> None:
    """Order the items with the Up buttons, from the keyboard. An ordering counts as answered
    once moved: when the items already stand in this order, the first goes down and back."""
    items = group.locator(".quiz-ordering__text")
    moved = False
    for target, text in enumerate(texts):
        while (current := items.all_inner_texts()).index(text) > target:
            button = group.get_by_role("button", name=f"Przesuń w górę: {text}", exact=True)
            button.focus()
            page.keyboard.press("Enter")
            expect(button).to_be_focused()  # the pressed button keeps the focus
            moved = True
        assert current.index(text) == target
    if not moved:
        for name in (f"Przesuń w dół: {texts[0]}", f"Przesuń w górę: {texts[0]}"):
            button = group.get_by_role("button", name=name, exact=True)
            button.focus()
            page.keyboard.press("Enter")
    expect(items).to_have_text(texts)


# --- any question from its JSON (the player's data, as the API or a SCO's config gives it) ---


def _text(items: list[dict[str, Any]], item_id: str) -> str:
    return next(item["text"] for item in items if item["id"] == item_id)


def give_answer(page, group, q: dict[str, Any], answer: Any) -> None:
    """Answer question `q` (`type`/`widget` and `data` as in the player's JSON) with `answer`
    in the API's answer format (as `right_answer` gives it) through the widget's UI."""
    kind, data = q.get("widget") or q["type"], q["data"]
    if kind == "single_choice":
        choose(group, _text(data["options"], answer["option"]))
    elif kind == "multiple_response":
        for option in data["options"]:
            group.get_by_label(option["text"], exact=True).set_checked(
                option["id"] in answer["options"]
            )
    elif kind == "true_false":
        choose(group, TRUE_FALSE[answer["value"]])
    elif kind in {"short_answer", "essay"}:
        type_answer(group, answer["text"])
    elif kind == "numerical":
        type_answer(group, answer["value"])
    elif kind == "matching":
        match(
            group,
            {
                _text(data["prompts"], prompt): _text(data["answers"], chosen)
                for prompt, chosen in answer["matches"].items()
            },
        )
    elif kind == "ordering":
        put_in_order(page, group, [_text(data["items"], item) for item in answer["order"]])
    elif kind == "cloze":
        for gap in data["gaps"]:
            value = answer["gaps"][gap["id"]]
            if gap["kind"] == "choice":
                value = _text(gap["options"], value)
            fill_gap(group.locator(f'[data-gap="{gap["id"]}"]'), value)
    else:
        raise AssertionError(f"no way to answer a {kind} question")


def expect_answer(group, q: dict[str, Any], answer: Any) -> None:
    """The widget of `q` shows `answer` (after a reload or a relaunch)."""
    kind, data = q.get("widget") or q["type"], q["data"]
    if kind == "single_choice":
        label = _text(data["options"], answer["option"])
        expect(group.get_by_label(label, exact=True)).to_be_checked()
    elif kind == "multiple_response":
        for option in data["options"]:
            box = group.get_by_label(option["text"], exact=True)
            expect(box).to_be_checked(checked=option["id"] in answer["options"])
    elif kind == "true_false":
        expect(group.get_by_label(TRUE_FALSE[answer["value"]], exact=True)).to_be_checked()
    elif kind in {"short_answer", "essay"}:
        expect(group.get_by_label("Twoja odpowiedź")).to_have_value(answer["text"])
    elif kind == "numerical":
        expect(group.get_by_label("Twoja odpowiedź")).to_have_value(answer["value"])
    elif kind == "matching":
        for prompt, chosen in answer["matches"].items():
            select = group.get_by_label(_text(data["prompts"], prompt), exact=True)
            expect(select).to_have_value(chosen)
    elif kind == "ordering":
        texts = [_text(data["items"], item) for item in answer["order"]]
        expect(group.locator(".quiz-ordering__text")).to_have_text(texts)
    elif kind == "cloze":
        for gap in data["gaps"]:
            control = group.locator(f'[data-gap="{gap["id"]}"]')
            expect(control).to_have_value(answer["gaps"][gap["id"]])
    else:
        raise AssertionError(f"no way to check a {kind} question")


def submit_attempt(scope) -> None:
    """Send the answers and confirm; the result is shown."""
    scope.get_by_role("button", name="Wyślij odpowiedzi").click()
    dialog = scope.get_by_role("dialog", name="Wysłać odpowiedzi?")
    dialog.get_by_role("button", name="Wyślij", exact=True).click()
    expect(scope.get_by_role("heading", name="Wynik")).to_be_visible()
