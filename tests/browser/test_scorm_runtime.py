"""Real SCORM packages from the packager played under a real SCORM runtime in Chromium.

The demo course "itinerant-criminal-groups" (seeded once for the module) is exported by
`scorm_export.services.export_package` in both SCORM versions: one SCO per module, the whole
course as one SCO, and one module alone with another reporting mode. Its three modules'
quizzes hold all nine question types between them (the essay in the third).

A harness page loads scorm-again (npm) as the LMS: `Scorm12API` on `window.API` or
`Scorm2004API` on `window.API_1484_11`, and opens a SCO in an iframe as an LMS does. The
tests take the quizzes through the UI, answering from each question's `rightAnswer` in the
SCO's own `#sco-config` (all right → passed with full marks; all wrong → failed or
incomplete by the reporting mode, with no marks), then relaunch with the stored CMI and
check that the page and the answers were restored. Every API call is recorded: none may
return an error, and every value set must match the stricter patterns of Moodle's SCORM
runtimes (Moodle's mod/scorm/datamodels/scorm_12.js and scorm_13.js).
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import threading
import urllib.request
import zipfile
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from quizzes import question_types
from tests.browser.quiz_ui import expect_answer, give_answer, question, submit_attempt

# The packages are exported once, in the `lms` fixture, from a test database that the
# django_db mark sets up.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

ROOT = Path(__file__).resolve().parents[2]
SCORM_AGAIN = ROOT / "node_modules" / "scorm-again" / "dist"
PHONE = {"width": 390, "height": 844}

# --- Moodle's checks (mod/scorm/datamodels/scorm_12.js and scorm_13.js) ---------------------
TIMESPAN_12 = re.compile(r"^([0-9]{2,4}):([0-9]{2}):([0-9]{2})(\.[0-9]{1,2})?$")
DECIMAL_12 = re.compile(r"^-?([0-9]{0,3})(\.[0-9]*)?$")
ID_12 = re.compile(r"^[\u0021-\u007E]{0,255}$")
TIME_12 = re.compile(r"^([0-2][0-9]):([0-5][0-9]):([0-5][0-9])(\.[0-9]{1,2})?$")
DURATION_2004 = re.compile(
    r"^P(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d{1,2})?S)?)?$"
)
TIME_2004 = re.compile(
    r"^(19[7-9][0-9]|20[0-2][0-9]|203[0-8])((-(0[1-9]|1[0-2]))((-(0[1-9]|[1-2][0-9]|3[0-1]))"
    r"(T([0-1][0-9]|2[0-3])((:[0-5][0-9])((:[0-5][0-9])((\.[0-9]{1,2})((Z|([+|-]([0-1][0-9]"
    r"|2[0-3])))(:[0-5][0-9])?)?)?)?)?)?)?)?$"
)
LONG_ID_2004 = re.compile(r"^(?:(?!urn:)\S{1,4000}|urn:[A-Za-z0-9-]{1,31}:\S{1,4000})$")
TYPES_12 = {"true-false", "choice", "fill-in", "matching", "performance", "sequencing"}
TYPES_12 |= {"likert", "numeric"}
TYPES_2004 = TYPES_12 | {"long-fill-in", "other"}


def check_value_12(key: str, value: str) -> str | None:
    """Why Moodle's SCORM 1.2 runtime would refuse this value, or None."""
    interaction = re.match(r"^cmi\.interactions\.\d+\.(.+)$", key)
    field = interaction[1] if interaction else None
    if key == "cmi.core.session_time" and not TIMESPAN_12.match(value):
        return "session time"
    if key.startswith("cmi.core.score.") and not (
        DECIMAL_12.match(value) and 0 <= float(value) <= 100
    ):
        return "score"
    if key == "cmi.core.lesson_status" and value not in {
        "passed",
        "completed",
        "failed",
        "incomplete",
        "browsed",
    }:
        return "lesson status"
    if key == "cmi.core.exit" and value not in {"time-out", "suspend", "logout", ""}:
        return "exit"
    if key == "cmi.suspend_data" and len(value) > 4096:
        return "suspend data over 4,096 characters"
    if key == "cmi.core.lesson_location" and len(value) > 255:
        return "location"
    if field == "id" and not (value and ID_12.match(value)):
        return "interaction id"
    if field == "time" and not TIME_12.match(value):
        return "interaction time"
    if field == "type" and value not in TYPES_12:
        return "interaction type"
    results = {"correct", "wrong", "unanticipated", "neutral"}
    if field == "result" and value not in results and not DECIMAL_12.match(value):
        return "interaction result"
    if field == "weighting" and not (DECIMAL_12.match(value) and -100 <= float(value) <= 100):
        return "interaction weighting"
    is_response = field == "student_response" or (field or "").endswith(".pattern")
    if is_response and len(value) > 255:
        return "response over 255 characters"
    return None


def check_value_2004(key: str, value: str) -> str | None:
    """Why Moodle's SCORM 2004 runtime would refuse this value, or None."""
    interaction = re.match(r"^cmi\.interactions\.\d+\.(.+)$", key)
    field = interaction[1] if interaction else None
    if key == "cmi.session_time" and not DURATION_2004.match(value):
        return "session time"
    if key == "cmi.score.scaled" and not -1 <= float(value) <= 1:
        return "scaled score"
    if key in {"cmi.score.raw", "cmi.score.min", "cmi.score.max"} and not re.match(
        r"^-?\d+(\.\d+)?$", value
    ):
        return "score"
    if key == "cmi.completion_status" and value not in {
        "completed",
        "incomplete",
        "not attempted",
        "unknown",
    }:
        return "completion status"
    if key == "cmi.success_status" and value not in {"passed", "failed", "unknown"}:
        return "success status"
    if key == "cmi.exit" and value not in {"time-out", "suspend", "logout", "normal", ""}:
        return "exit"
    if key == "cmi.suspend_data" and len(value) > 64000:
        return "suspend data"
    if key == "cmi.location" and len(value) > 1000:
        return "location"
    if field == "id" and not LONG_ID_2004.match(value):
        return "interaction id"
    if field == "timestamp" and not TIME_2004.match(value):
        return "interaction timestamp"
    if field == "type" and value not in TYPES_2004:
        return "interaction type"
    results = {"correct", "incorrect", "unanticipated", "neutral"}
    if field == "result" and value not in results and not re.match(r"^-?\d+(\.\d+)?$", value):
        return "interaction result"
    if field == "description" and len(value) > 250:
        return "description over 250 characters"
    return None


# --- the LMS: a harness page with scorm-again, and the packages -----------------------------

HARNESS = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>LMS harness</title>
<script src="scorm12.js"></script><script src="scorm2004.js"></script></head>
<body>
<iframe id="sco" title="Course" style="width:100%;height:90vh;border:0"></iframe>
<script>
window.calls = [];
window.errors = [];
window.sets = [];
function launch(version, cmi, url) {
  const v12 = version === "1.2";
  const settings = {lmsCommitUrl: false, autocommit: false, logLevel: 5};
  const api = v12 ? new Scorm12API(settings) : new Scorm2004API(settings);
  if (cmi) api.loadFromJSON(cmi, "");
  const names = v12
    ? ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit"]
    : ["Initialize", "Terminate", "GetValue", "SetValue", "Commit"];
  const lastError = v12 ? "LMSGetLastError" : "GetLastError";
  for (const name of names) {
    const original = api[name].bind(api);
    api[name] = (...args) => {
      const result = original(...args);
      const code = String(api[lastError]());
      calls.push([name, args.map(String), String(result), code]);
      // A 2004 GetValue of an element never set answers 403 (not initialised): expected.
      const expected = name === "GetValue" && code === "403";
      if (code !== "0" && !expected) errors.push([name, args.map(String), code]);
      if (name.endsWith("SetValue")) sets.push([String(args[0]), String(args[1])]);
      return result;
    };
  }
  window.lmsApi = api;
  if (v12) window.API = api; else window.API_1484_11 = api;
  document.getElementById("sco").src = url;
}
function closeSco(remove) {
  const frame = document.getElementById("sco");
  // Some LMSs take the frame away: the SCO then gets pagehide without beforeunload.
  if (remove) return frame.remove();
  return new Promise((resolve) => {
    frame.addEventListener("load", resolve, {once: true});
    frame.src = "about:blank";
  });
}
function lastValues() {
  const values = {};
  for (const [key, value] of sets) values[key] = value;
  return values;
}
</script>
</body></html>
"""

COURSE = "itinerant-criminal-groups"
MIXED, DIRECTIVE, PRUM = (
    "what-are-mobile-groups",  # short answer, single choice, multiple response, cloze, matching
    "information-exchange-directive",  # numerical, single choice, ordering, true/false, matching
    "prum-data-comparison",  # multiple response, true/false, ordering, essay
)
VERSIONS = ["1.2", "2004"]


def folder(version: str) -> str:
    return f"v{version.replace('.', '')}"


@pytest.fixture(scope="module")
def lms(django_db_setup, django_db_blocker, tmp_path_factory):
    """A local web server over the harness, scorm-again and, per SCORM version
    ("v12/", "v2004/"), the packages unzipped:

    - `modules/<module>/`: the course, one SCO per module (reporting passed-incomplete);
    - `course/course/`: the whole course as one SCO;
    - `passed-failed/<module>/`: the module information-exchange-directive alone,
      reporting passed-failed;
    - `hidden-keys/<module>/`: the course, one SCO per module, with hidden answer keys.
    """
    if not (SCORM_AGAIN / "scorm12.js").exists():
        pytest.skip("scorm-again not installed: run `npm ci`")
    from django.core.management import call_command
    from django.db import transaction
    from django.test.utils import override_settings

    from courses.models import CoursePage, ModulePage
    from scorm_export.options import ExportOptions
    from scorm_export.services import export_package

    root = tmp_path_factory.mktemp("lms")
    (root / "harness.html").write_text(HARNESS, encoding="utf-8")
    for name in ("scorm12.js", "scorm2004.js"):
        shutil.copy(SCORM_AGAIN / name, root / name)
    packages = {
        "modules": ("course", {}),
        "course": ("course", {"single_sco": True}),
        "passed-failed": ("module", {"reporting": "passed-failed"}),
        "hidden-keys": ("course", {"hide_keys": True}),
    }
    with (
        django_db_blocker.unblock(),
        override_settings(DEBUG=True, MEDIA_ROOT=tmp_path_factory.mktemp("media")),
        transaction.atomic(),
    ):
        call_command("seed_demo", stdout=StringIO())
        pages = {
            "course": CoursePage.objects.live().get(slug=COURSE, locale__language_code="pl"),
            "module": ModulePage.objects.live().get(slug=DIRECTIVE, locale__language_code="pl"),
        }
        for version in VERSIONS:
            for name, (scope, options) in packages.items():
                archive = tmp_path_factory.mktemp("zip") / "package.zip"
                with archive.open("wb") as output:
                    export_package(
                        pages[scope], ExportOptions(version=version, locale="pl", **options), output
                    )
                with zipfile.ZipFile(archive) as package:
                    package.extractall(root / folder(version) / name)
        transaction.set_rollback(True)
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
    }

    def log_message(self, format, *args):
        pass


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=PHONE, locale="pl-PL")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and "favicon" not in message.location.get("url", "")
            and errors.append(message.text)
        ),
    )
    yield page
    context.close()
    assert not errors, errors


# --- driving the LMS and the SCO -------------------------------------------------------------


def launch(page, lms: str, version: str, sco: str, cmi: dict[str, Any] | None = None):
    """Open the harness with a new LMS API (holding `cmi`, if given) and launch the SCO at
    `sco` ("<package>/<sco folder>") of this version; returns the SCO's frame."""
    page.goto(f"{lms}/harness.html")
    url = f"{folder(version)}/{sco}/index.html"
    page.evaluate("([version, cmi, url]) => launch(version, cmi, url)", [version, cmi, url])
    frame = page.frame_locator("#sco")
    expect(frame.locator(".sco-pager")).to_be_attached()  # the runtime has started
    expect(frame.locator(".sco-page:not([hidden]) h1")).to_be_visible()
    expect(frame.locator(".sco-notice")).to_have_count(0)  # an LMS was found
    return frame


def sco_config(frame) -> dict[str, Any]:
    return json.loads(frame.locator("#sco-config").text_content())


def shown_page(frame):
    return frame.locator(".sco-page:not([hidden])")


def quiz_on_page(frame, config: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """The key and the questions (`Q`s, in order) of the quiz on the page shown. The demo
    quizzes have fixed slots and keep their order, so question n is the n-th `Q`."""
    key = shown_page(frame).locator(".sco-quiz").get_attribute("data-quiz")
    quiz = next(quiz for quiz in config["quizzes"] if quiz["key"] == key)
    assert not quiz["shuffleQuestions"]
    assert all(len(slot["questions"]) == slot["count"] for slot in quiz["slots"])
    return key, [q for slot in quiz["slots"] for q in slot["questions"]]


ESSAY = " ".join(
    ["Po trafieniu w systemie ekspert porównuje profil, a punkt kontaktowy prosi o dane."] * 14
)  # 168 words: over the essay's minimum of 150


def right_answer(q: dict[str, Any]) -> Any:
    return {"text": ESSAY} if q["type"] == "essay" else q["rightAnswer"]


def wrong_answer(q: dict[str, Any]) -> Any:
    """An answer worth nothing, built from the question's right answer and options."""
    kind, key, data = q["type"], q["rightAnswer"], q["data"]
    if kind == "single_choice":
        return {"option": next(o["id"] for o in data["options"] if o["id"] != key["option"])}
    if kind == "multiple_response":
        others = [o["id"] for o in data["options"] if o["id"] not in key["options"]]
        assert others, q["id"]
        return {"options": others}
    if kind == "true_false":
        return {"value": not key["value"]}
    if kind == "short_answer":
        return {"text": "zzz"}
    if kind == "numerical":
        return {"value": re.sub(r"^\S+", "987654", key["value"])}  # keeps the unit, if any
    if kind == "matching":  # every prompt gets the next prompt's answer
        prompts = list(key["matches"])
        chosen = [key["matches"][prompt] for prompt in prompts]
        assert len(set(chosen)) == len(chosen) > 1, q["id"]
        return {"matches": dict(zip(prompts, chosen[1:] + chosen[:1], strict=True))}
    if kind == "ordering":  # rotated: no item in its place
        return {"order": key["order"][1:] + key["order"][:1]}
    if kind == "cloze":
        gaps = {}
        for gap in data["gaps"]:
            if gap["kind"] == "choice":
                right = key["gaps"][gap["id"]]
                gaps[gap["id"]] = next(o["id"] for o in gap["options"] if o["id"] != right)
            else:
                gaps[gap["id"]] = "zzz"
        return {"gaps": gaps}
    raise AssertionError(f"no wrong answer for a {kind} question")


def answer_questions(page, frame, questions: list[dict[str, Any]], answers: list[Any]) -> None:
    """Answer the started quiz on the page shown, question by question (None: skip one)."""
    total = len(questions)
    for n, (q, answer) in enumerate(zip(questions, answers, strict=True), start=1):
        group = question(shown_page(frame), n, total)
        expect(group).to_be_visible()
        if answer is not None:
            give_answer(page, group, q, answer)
        if n < total:
            shown_page(frame).get_by_role("button", name="Następne", exact=True).click()


def take_quiz(page, frame, config: dict[str, Any], answer) -> tuple[str, list[dict[str, Any]]]:
    """Start the quiz on the page shown, answer every question with answer(Q), submit."""
    key, questions = quiz_on_page(frame, config)
    shown_page(frame).get_by_role("button", name="Rozpocznij test").click()
    answer_questions(page, frame, questions, [answer(q) for q in questions])
    submit_attempt(shown_page(frame))
    return key, questions


def close_and_check(page, version: str, *, remove: bool = False) -> dict[str, str]:
    """Unload the SCO as an LMS does (pagehide; `remove`: by taking its frame away); check
    every call and value; return the last value set of every element."""
    page.evaluate("(remove) => closeSco(remove)", remove)
    calls = page.evaluate("() => calls")
    errors = page.evaluate("() => errors")
    assert not errors, errors
    names = [call[0] for call in calls]
    start, end = ("LMSInitialize", "LMSFinish") if version == "1.2" else ("Initialize", "Terminate")
    assert names.count(start) == 1 and names.count(end) == 1, names
    assert names[0] == start and names[-1] == end
    assert names[-2] in {"LMSCommit", "Commit"}, "a final commit before the end"
    check = check_value_12 if version == "1.2" else check_value_2004
    refused = [
        (key, value, why)
        for key, value in page.evaluate("() => sets")
        if (why := check(key, value))
    ]
    assert not refused, refused
    return page.evaluate("() => lastValues()")


def stored_cmi(page) -> dict[str, Any]:
    """Everything the LMS stored, to relaunch with (as an LMS gives it back)."""
    return page.evaluate("() => lmsApi.renderCMIToJSONObject()")


def interactions(values: dict[str, str]) -> dict[str, dict[str, str]]:
    """The interactions set, by id."""
    found: dict[int, dict[str, str]] = {}
    for key, value in values.items():
        match = re.match(r"^cmi\.interactions\.(\d+)\.(.+)$", key)
        if match:
            found.setdefault(int(match[1]), {})[match[2]] = value
    return {item["id"]: item for item in found.values()}


def matches_pattern(kind: str, response: str, pattern: str, version: str) -> bool:
    """Whether a learner response fits a correct-response pattern, as an LMS would judge."""
    many = "," if version == "1.2" else "[,]"
    if kind == "numeric" and "[:]" in pattern:
        low, high = pattern.split("[:]")
        return float(low) <= float(response) <= float(high)
    if kind in {"choice", "matching"}:  # the order of the values does not count
        return set(response.split(many)) == set(pattern.split(many))
    if kind == "fill-in" and (case := re.match(r"^\{case_matters=(true|false)\}", pattern)):
        pattern = pattern[case.end() :]
        if case[1] == "false":
            return response.casefold() == pattern.casefold()
    return response == pattern


def check_interactions(
    values: dict[str, str],
    version: str,
    key: str,
    questions: list[dict[str, Any]],
    results: dict[str, str],
) -> dict[str, dict[str, str]]:
    """One interaction per question of attempt 1 of quiz `key`, with the question's type,
    weighting and correct-response patterns, and results[Q type] (else results["*"])."""
    found = interactions(values)
    response = "student_response" if version == "1.2" else "learner_response"
    by_type: dict[str, dict[str, str]] = {}
    for q in questions:
        item = found.pop(f"{q['id']}_{key}_a1")
        kind = q["interaction"]["type"]
        if version == "1.2" and kind == "long-fill-in":
            kind = "fill-in"
        assert item["type"] == kind
        assert float(item["weighting"]) == q["mark"]
        patterns = [value for name, value in item.items() if name.startswith("correct_")]
        assert patterns == q["interaction"]["correctResponses"]
        assert item["result"] == results.get(q["type"], results["*"]), (q["type"], item)
        if item["result"] == "correct" and patterns:  # hidden keys give the LMS none
            assert any(matches_pattern(kind, item[response], p, version) for p in patterns), (
                q["type"],
                item,
            )
        by_type[q["type"]] = item
    assert not found, f"interactions of no question: {found}"
    return by_type


# --- the tests ----------------------------------------------------------------------------


def test_the_course_holds_every_question_type(lms):
    with urllib.request.urlopen(f"{lms}/v2004/course/course/index.html") as response:
        html = response.read().decode("utf-8")
    config = json.loads(re.search(r'id="sco-config"[^>]*>(.*?)</script>', html, re.S)[1])
    types = {q["type"] for quiz in config["quizzes"] for s in quiz["slots"] for q in s["questions"]}
    assert types == set(question_types.names())


@pytest.mark.parametrize("version", VERSIONS)
def test_all_right_is_passed_with_full_marks(page, lms, version):
    """Two modules between them hold eight question types (all but the essay); the second
    comes from a package reporting passed-failed: passed is passed in both modes."""
    for sco in (f"modules/{MIXED}", f"passed-failed/{DIRECTIVE}"):
        frame = launch(page, lms, version, sco)
        key, questions = take_quiz(page, frame, sco_config(frame), right_answer)
        expect(frame.locator(".quiz-result__verdict--passed")).to_be_visible()
        values = close_and_check(page, version)
        check_interactions(values, version, key, questions, {"*": "correct"})
        if version == "1.2":
            assert values["cmi.core.lesson_status"] == "passed"
            assert values["cmi.core.score.raw"] == values["cmi.core.score.max"] == "100"
            assert values["cmi.core.score.min"] == "0"
            assert values["cmi.core.exit"] == ""
        else:
            assert values["cmi.completion_status"] == "completed"
            assert values["cmi.success_status"] == "passed"
            assert values["cmi.score.raw"] == values["cmi.score.max"] == "100"
            assert values["cmi.score.scaled"] == "1"
            assert values["cmi.exit"] == "normal"


@pytest.mark.parametrize("version", VERSIONS)
def test_all_wrong_is_failed_or_incomplete_by_the_reporting_mode(page, lms, version):
    """The same two modules, every answer wrong: passed-incomplete reports incomplete,
    passed-failed reports failed; no marks either way."""
    wrong = "wrong" if version == "1.2" else "incorrect"
    for sco, reporting in (
        (f"modules/{MIXED}", "passed-incomplete"),
        (f"passed-failed/{DIRECTIVE}", "passed-failed"),
    ):
        frame = launch(page, lms, version, sco)
        config = sco_config(frame)
        assert config["reporting"] == reporting
        key, questions = take_quiz(page, frame, config, wrong_answer)
        expect(frame.locator(".quiz-result__verdict--failed")).to_be_visible()
        values = close_and_check(page, version)
        check_interactions(values, version, key, questions, {"*": wrong})
        if version == "1.2":
            status = {"passed-incomplete": "incomplete", "passed-failed": "failed"}[reporting]
            assert values["cmi.core.lesson_status"] == status
            assert values["cmi.core.score.raw"] == "0"
            assert values["cmi.core.exit"] == "suspend"
        else:
            completion = {"passed-incomplete": "incomplete", "passed-failed": "completed"}
            success = {"passed-incomplete": "unknown", "passed-failed": "failed"}
            assert values["cmi.completion_status"] == completion[reporting]
            assert values["cmi.success_status"] == success[reporting]
            assert values["cmi.score.raw"] == values["cmi.score.scaled"] == "0"
            assert values["cmi.exit"] == "suspend"


@pytest.mark.parametrize("version", VERSIONS)
def test_hidden_keys_grade_as_the_plain_package_does(page, lms, version):
    """The module with short answer, single choice, multiple response, cloze and matching,
    exported with hidden keys: its SCO holds no right answers, so they are taken from the
    plain package. All right → passed with full marks; all wrong → incomplete, no marks;
    results reported, correct responses not."""
    with urllib.request.urlopen(f"{lms}/{folder(version)}/modules/{MIXED}/index.html") as response:
        html = response.read().decode("utf-8")
    config = json.loads(re.search(r'id="sco-config"[^>]*>(.*?)</script>', html, re.S)[1])
    plain = {
        q["id"]: q for quiz in config["quizzes"] for s in quiz["slots"] for q in s["questions"]
    }
    wrong = "wrong" if version == "1.2" else "incorrect"
    for answer, verdict, result in (
        (right_answer, "passed", "correct"),
        (wrong_answer, "failed", wrong),
    ):
        frame = launch(page, lms, version, f"hidden-keys/{MIXED}")
        hidden = sco_config(frame)
        assert all("rightAnswer" not in q for q in quiz_on_page(frame, hidden)[1])
        key, questions = take_quiz(
            page, frame, hidden, lambda q, answer=answer: answer(plain[q["id"]])
        )
        expect(frame.locator(f".quiz-result__verdict--{verdict}")).to_be_visible()
        values = close_and_check(page, version)
        check_interactions(values, version, key, questions, {"*": result})
        assert not [name for name in values if ".correct_responses." in name]
        passed = verdict == "passed"
        if version == "1.2":
            assert values["cmi.core.lesson_status"] == ("passed" if passed else "incomplete")
            assert values["cmi.core.score.raw"] == ("100" if passed else "0")
        else:
            assert values["cmi.success_status"] == ("passed" if passed else "unknown")
            assert values["cmi.score.raw"] == ("100" if passed else "0")


@pytest.mark.parametrize("version", VERSIONS)
def test_relaunch_restores_the_page_and_the_answers(page, lms, version):
    """The whole course as one SCO: paged through its modules (next, previous, contents),
    left in the middle of the third module's quiz, relaunched with the stored CMI."""
    frame = launch(page, lms, version, "course/course")
    config = sco_config(frame)
    titles = [item["title"] for item in config["pages"]]
    assert len(titles) == 3  # one page per module
    position = frame.locator(".sco-pager__position")
    expect(shown_page(frame).locator("h1")).to_have_text(titles[0])
    expect(position).to_have_text("Strona 1 z 3")
    frame.get_by_role("button", name="Następna strona").click()
    expect(shown_page(frame).locator("h1")).to_have_text(titles[1])
    expect(shown_page(frame).locator("h1")).to_be_focused()
    expect(position).to_have_text("Strona 2 z 3")
    frame.get_by_role("button", name="Poprzednia strona").click()
    expect(shown_page(frame).locator("h1")).to_have_text(titles[0])
    expect(frame.get_by_role("button", name="Poprzednia strona")).to_be_hidden()
    contents = frame.get_by_role("navigation", name="Spis treści")
    contents.get_by_role("link", name=titles[2]).click()
    expect(shown_page(frame).locator("h1")).to_have_text(titles[2])
    expect(contents.get_by_role("link", name=titles[2])).to_have_attribute("aria-current", "page")
    expect(frame.get_by_role("button", name="Następna strona")).to_be_hidden()

    # The third module's quiz: multiple response, true/false, ordering, essay. The
    # ordering is left unanswered, the essay answered; then the LMS takes the frame away
    # at once (the essay still waits for the player's autosave pause).
    key, questions = quiz_on_page(frame, config)
    assert [q["type"] for q in questions] == [
        "multiple_response",
        "true_false",
        "ordering",
        "essay",
    ]
    answers = [right_answer(q) for q in questions]
    shown_page(frame).get_by_role("button", name="Rozpocznij test").click()
    answer_questions(page, frame, questions, [answers[0], answers[1], None, answers[3]])
    values = close_and_check(page, version, remove=True)
    location = "cmi.core.lesson_location" if version == "1.2" else "cmi.location"
    assert values[location] == "page-3"
    if version == "1.2":
        assert values["cmi.core.lesson_status"] == "incomplete"
        assert values["cmi.core.exit"] == "suspend"
    else:
        assert values["cmi.completion_status"] == "incomplete"
        assert values["cmi.exit"] == "suspend"
    assert not interactions(values)

    frame = launch(page, lms, version, "course/course", stored_cmi(page))
    expect(shown_page(frame).locator("h1")).to_have_text(titles[2])
    expect(position).to_have_text("Strona 3 z 3")
    shown_page(frame).get_by_role("button", name="Kontynuuj test").click()
    # Back at the first question without an answer, every answer given still there.
    total = len(questions)
    expect(question(shown_page(frame), 3, total)).to_be_visible()
    navigator = shown_page(frame).get_by_role("navigation", name="Pytania")
    for n in (1, 2, 4):
        navigator.get_by_role("button", name=f"Pytanie {n}, z odpowiedzią").click()
        expect_answer(question(shown_page(frame), n, total), questions[n - 1], answers[n - 1])
    navigator.get_by_role("button", name="Pytanie 3, bez odpowiedzi").click()
    give_answer(page, question(shown_page(frame), 3, total), questions[2], answers[2])
    submit_attempt(shown_page(frame))

    # Offline, the essay scores 0 (no one grades it inside the package): 3 marks of 7.
    assert [q["mark"] for q in questions] == [1, 1, 1, 4]
    expect(frame.locator(".quiz-result__verdict--failed")).to_be_visible()
    values = close_and_check(page, version)
    found = check_interactions(
        values, version, key, questions, {"essay": "neutral", "*": "correct"}
    )
    essay = " ".join(ESSAY.split())
    if version == "1.2":
        assert found["essay"]["student_response"] == essay[:255]
        assert values["cmi.core.score.raw"] == "42.86"
        assert values["cmi.core.lesson_status"] == "incomplete"
    else:
        assert found["essay"]["learner_response"] == essay
        assert values["cmi.score.raw"] == "42.86"
        assert values["cmi.score.scaled"] == "0.4286"
        assert values["cmi.completion_status"] == "incomplete"
        assert values["cmi.success_status"] == "unknown"


def test_preview_without_an_lms(page, lms, assert_accessible):
    page.goto(f"{lms}/v12/course/course/index.html")
    expect(page.locator(".sco-pager")).to_be_attached()
    expect(page.locator(".sco-notice")).to_contain_text("nie są zapisywane")
    page.get_by_role("button", name="Następna strona").click()
    expect(page.locator(".sco-pager__position")).to_have_text("Strona 2 z 3")
    config = sco_config(page)
    _, questions = quiz_on_page(page, config)
    shown_page(page).get_by_role("button", name="Rozpocznij test").click()
    group = question(shown_page(page), 1, len(questions))
    give_answer(page, group, questions[0], right_answer(questions[0]))
    expect(shown_page(page).locator(".quiz-player__save-status")).to_have_text("Zapisano")
    assert_accessible(page)


@pytest.mark.parametrize("version", VERSIONS)
def test_a_refused_commit_is_shown_and_retried(page, lms, version):
    """An LMS that refuses a commit (its server unreachable, say) gets it again; meanwhile
    the learner is told not to leave. The notice goes when a commit is accepted."""
    frame = launch(page, lms, version, "course/course")
    sco = page.locator("#sco").element_handle().content_frame()
    commit = "LMSCommit" if version == "1.2" else "Commit"
    api = "API" if version == "1.2" else "API_1484_11"
    page.evaluate(
        f"() => {{ window.acceptCommit = {api}.{commit}; {api}.{commit} = () => 'false'; }}"
    )
    sco.evaluate("() => { scoRuntime.lms.set([[scoRuntime.lms.adapter.keys.location, 'x']]); }")
    sco.evaluate("() => scoRuntime.lms.commit()")
    alert = frame.locator(".sco-lms-error")
    expect(alert).to_contain_text("nie przyjęła")
    expect(alert).to_have_attribute("role", "alert")
    assert sco.evaluate("() => scoRuntime.lms.dirty") is True  # kept for the next try

    page.evaluate(f"() => {{ {api}.{commit} = window.acceptCommit; }}")
    sco.evaluate("() => scoRuntime.lms.commit()")
    expect(alert).to_have_count(0)
    assert sco.evaluate("() => scoRuntime.lms.dirty") is False
    close_and_check(page, version)
