"""The SCO runtime (scorm_export/runtime/) played under a real SCORM runtime in Chromium.

A harness page loads scorm-again (npm) as the LMS: `Scorm12API` on `window.API` or
`Scorm2004API` on `window.API_1484_11`, and opens the SCO in an iframe as an LMS does. The
test takes the quiz through the UI (all right → passed with full marks; all wrong →
failed), then relaunches with the stored CMI and checks that the answers and the page were
restored. Every API call is recorded: none may return an error, and every value set must
match the stricter patterns of Moodle's SCORM runtimes (../shared/scorm/NOTES.md).

The SCO is a small hand-built package following docs/scorm-package.md (two pages, a
three-question quiz of different types, built with the question type registry) until the
packager's `export_package` can be used here instead.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from quizzes import question_types

pytestmark = pytest.mark.browser

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


# --- the SCO under test ---------------------------------------------------------------------

QUESTIONS: list[dict[str, Any]] = [
    {
        "id": "Q1v1",
        "type": "single_choice",
        "text": "<p>Which agency issues a Red Notice?</p>",
        "definition": {
            "options": [
                {"id": "a", "text": "Europol", "feedback": "No: Europol does not."},
                {"id": "b", "text": "Interpol", "feedback": "Right."},
                {"id": "c", "text": "Frontex", "feedback": "No."},
            ],
            "correct": "b",
        },
        "right": ("label", "Interpol"),
        "wrong": ("label", "Frontex"),
    },
    {
        "id": "Q2v1",
        "type": "true_false",
        "text": "<p>Hot pursuit may continue across any border without limits.</p>",
        "definition": {"correct": False, "feedback_true": "No.", "feedback_false": "Right."},
        "right": ("label", "False"),
        "wrong": ("label", "True"),
    },
    {
        "id": "Q3v1",
        "type": "short_answer",
        "text": "<p>The European network of fugitive search teams (acronym)?</p>",
        "definition": {"answers": [{"text": "ENFAST", "fraction": 1.0, "feedback": "Yes."}]},
        "right": ("text", "enfast"),
        "wrong": ("text", "EMPACT"),
    },
]


def question_config(question: dict[str, Any], version: str) -> dict[str, Any]:
    """One `Q` of sco-config as docs/scorm-package.md describes it."""
    question_type = question_types.get(question["type"])
    definition = question_type.clean_definition(question["definition"])
    interaction = question_type.scorm_interaction(definition, version)
    return {
        "id": question["id"],
        "type": question_type.name,
        "widget": question_type.widget or question_type.name,
        "text": question["text"],
        "mark": 1.0,
        "data": question_type.player_data(definition, None),
        "generalFeedback": "",
        "rightAnswer": question_type.right_answer(definition),
        "grader": question_type.offline_grader_data(definition),
        "interaction": {
            "type": interaction.type,
            "correctResponses": list(interaction.correct_responses),
        },
    }


def sco_config(version: str) -> dict[str, Any]:
    return {
        "version": version,
        "sco": "fugitive-search-basics",
        "title": "Fugitive search basics",
        "language": "en",
        "reporting": "passed-failed",
        "pages": [{"id": "page-1", "title": "Basics"}, {"id": "page-2", "title": "Check"}],
        "strings": {},
        "quizzes": [
            {
                "key": "quiz-1",
                "title": "Check your knowledge",
                "intro": "<p>Three questions.</p>",
                "passMark": 80,
                "attemptsAllowed": 0,
                "gradingMethod": "last",
                "timeLimit": None,
                "layout": "one_per_page",
                "shuffleQuestions": False,
                "shuffleOptions": True,
                "reviewOptions": {
                    "immediately": ["correctness", "marks", "feedback", "overall_feedback"]
                },
                "overallFeedback": [{"min": 80, "text": "Well done."}],
                "slots": [
                    {"mark": 1.0, "count": 1, "questions": [question_config(q, version)]}
                    for q in QUESTIONS
                ],
            }
        ],
    }


SCO_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fugitive search basics</title>
<link rel="stylesheet" href="../runtime/sco.css">
<link rel="stylesheet" href="../runtime/player.css">
</head>
<body>
<div id="sco">
<nav class="sco-toc" aria-label="Contents"><ol>
<li><a href="#page-1">Basics</a></li><li><a href="#page-2">Check</a></li>
</ol></nav>
<main>
<section class="sco-page" id="page-1" data-page="page-1" aria-labelledby="page-1-title">
<h1 id="page-1-title">Basics</h1><p>International searches for fugitives start with…</p>
</section>
<section class="sco-page" id="page-2" data-page="page-2" aria-labelledby="page-2-title">
<h1 id="page-2-title">Check</h1>
<section class="module-quiz" aria-labelledby="quiz-1-title">
<h2 id="quiz-1-title">Check your knowledge</h2>
<div class="sco-quiz" data-quiz="quiz-1"></div>
</section>
</section>
</main>
</div>
<script type="application/json" id="sco-config">CONFIG</script>
<script type="module" src="../runtime/sco.js"></script>
</body>
</html>
"""

HARNESS = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>LMS harness</title>
<script src="../scorm12.js"></script><script src="../scorm2004.js"></script></head>
<body>
<iframe id="sco" title="Course" style="width:100%;height:90vh;border:0"></iframe>
<script>
window.calls = [];
window.errors = [];
window.sets = [];
function launch(version, cmi) {
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
  document.getElementById("sco").src = "sco/index.html";
}
function closeSco() {
  return new Promise((resolve) => {
    const frame = document.getElementById("sco");
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


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A local web server over a folder holding the harness, scorm-again and one SCO per
    SCORM version ("sco12/…", "sco2004/…", sharing runtime/)."""
    if not (SCORM_AGAIN / "scorm12.js").exists():
        pytest.skip("scorm-again not installed: run `npm ci`")
    root = tmp_path_factory.mktemp("lms")
    runtime = root / "runtime"
    shutil.copytree(ROOT / "scorm_export" / "runtime", runtime)
    for name in ("player.js", "player.css"):
        shutil.copy(ROOT / "quizzes" / "static" / "quizzes" / name, runtime / name)
    for name in ("scorm12.js", "scorm2004.js"):
        shutil.copy(SCORM_AGAIN / name, root / name)
    for version in ("1.2", "2004"):
        folder = root / f"v{version.replace('.', '')}"
        (folder / "sco").mkdir(parents=True)
        (folder / "harness.html").write_text(HARNESS, encoding="utf-8")
        config = json.dumps(sco_config(version)).replace("<", "\\u003c")
        page = SCO_PAGE.replace("CONFIG", config)
        (folder / "sco" / "index.html").write_text(page, encoding="utf-8")
        # The SCO's page links ../runtime/: give each version's folder its own copy.
        shutil.copytree(runtime, folder / "runtime")
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    served_root[url] = str(root)
    yield url
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
    context = browser.new_context(viewport=PHONE, locale="en-GB")
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


def open_lms(page, served: str, version: str, cmi: dict[str, Any] | None = None):
    page.goto(f"{served}/v{version.replace('.', '')}/harness.html")
    page.evaluate("([version, cmi]) => launch(version, cmi)", [version, cmi])
    frame = page.frame_locator("#sco")
    expect(frame.locator(".sco-pager")).to_be_attached()  # the runtime has started
    expect(frame.locator(".sco-page:not([hidden]) h1")).to_be_visible()
    return frame


def answer(frame, question: dict[str, Any], which: str) -> None:
    kind, value = question[which]
    if kind == "label":
        frame.locator(".quiz-question:not([hidden]) label", has_text=value).click()
    else:
        frame.locator(".quiz-question:not([hidden]) input[type=text]").fill(value)


def take_quiz(frame, which: str, *, submit: bool = True, count: int = len(QUESTIONS)) -> None:
    frame.locator(".sco-toc a", has_text="Check").click()
    frame.get_by_role("button", name="Start the quiz").click()
    for index, question in enumerate(QUESTIONS[:count]):
        expect(frame.locator(".quiz-question:not([hidden])")).to_contain_text(
            re.sub("<[^>]+>", "", question["text"])
        )
        answer(frame, question, which)
        if index < len(QUESTIONS) - 1:
            frame.locator(".quiz-player__next").click()
    if submit:
        frame.locator(".quiz-player__submit").click()
        frame.locator(".quiz-player__confirm").click()
        expect(frame.locator(".quiz-result")).to_be_visible()


def close_and_check(page, version: str) -> dict[str, str]:
    """Unload the SCO as an LMS does (pagehide); check every call and value; return the
    last value set of every element."""
    page.evaluate("() => closeSco()")
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


def interactions(values: dict[str, str]) -> dict[int, dict[str, str]]:
    found: dict[int, dict[str, str]] = {}
    for key, value in values.items():
        match = re.match(r"^cmi\.interactions\.(\d+)\.(.+)$", key)
        if match:
            found.setdefault(int(match[1]), {})[match[2]] = value
    return found


VERSIONS = ["1.2", "2004"]


@pytest.mark.parametrize("version", VERSIONS)
def test_all_right_is_passed_with_full_marks(page, served, version):
    frame = open_lms(page, served, version)
    expect(frame.locator(".sco-notice")).to_have_count(0)  # an LMS was found
    take_quiz(frame, "right")
    expect(frame.locator(".quiz-result__verdict--passed")).to_be_visible()
    values = close_and_check(page, version)
    found = interactions(values)
    assert len(found) == 3
    if version == "1.2":
        assert values["cmi.core.lesson_status"] == "passed"
        assert values["cmi.core.score.raw"] == "100"
        assert values["cmi.core.exit"] == ""
        assert {item["result"] for item in found.values()} == {"correct"}
        assert {item["type"] for item in found.values()} == {"choice", "true-false", "fill-in"}
        assert {item["student_response"] for item in found.values()} == {"b", "f", "enfast"}
    else:
        assert values["cmi.completion_status"] == "completed"
        assert values["cmi.success_status"] == "passed"
        assert values["cmi.score.scaled"] == "1"
        assert values["cmi.exit"] == "normal"
        assert {item["result"] for item in found.values()} == {"correct"}
        assert {item["learner_response"] for item in found.values()} == {"b", "false", "enfast"}
    assert all(" " not in item["id"] for item in found.values())


@pytest.mark.parametrize("version", VERSIONS)
def test_all_wrong_is_failed(page, served, version):
    frame = open_lms(page, served, version)
    take_quiz(frame, "wrong")
    expect(frame.locator(".quiz-result__verdict--failed")).to_be_visible()
    values = close_and_check(page, version)
    results = {item["result"] for item in interactions(values).values()}
    if version == "1.2":
        assert values["cmi.core.lesson_status"] == "failed"
        assert values["cmi.core.score.raw"] == "0"
        assert values["cmi.core.exit"] == "suspend"
        assert results == {"wrong"}
    else:
        assert values["cmi.success_status"] == "failed"
        assert values["cmi.score.raw"] == "0"
        assert values["cmi.exit"] == "suspend"
        assert results == {"incorrect"}


@pytest.mark.parametrize("version", VERSIONS)
def test_relaunch_restores_answers_and_position(page, served, version):
    frame = open_lms(page, served, version)
    take_quiz(frame, "right", submit=False, count=2)
    values = close_and_check(page, version)
    if version == "1.2":
        cmi = {
            "core": {
                "lesson_location": values["cmi.core.lesson_location"],
                "lesson_status": values["cmi.core.lesson_status"],
            },
            "suspend_data": values["cmi.suspend_data"],
        }
        assert values["cmi.core.lesson_status"] == "incomplete"
        assert values["cmi.core.exit"] == "suspend"
    else:
        cmi = {
            "location": values["cmi.location"],
            "completion_status": values["cmi.completion_status"],
            "success_status": values["cmi.success_status"],
            "suspend_data": values["cmi.suspend_data"],
        }
    page.evaluate("() => { calls.length = 0; errors.length = 0; sets.length = 0; }")
    frame = open_lms(page, served, version, cmi)
    # Back on the quiz's page, with the attempt to continue.
    expect(frame.locator(".sco-page:not([hidden]) h1")).to_have_text("Check")
    frame.get_by_role("button", name="Continue the quiz").click()
    expect(frame.locator(".quiz-question:not([hidden])")).to_contain_text("acronym")
    frame.locator(".quiz-player__nav-button").nth(0).click()
    expect(frame.locator(".quiz-question:not([hidden]) input:checked")).to_have_count(1)
    expect(
        frame.locator(".quiz-question:not([hidden]) label", has=frame.locator("input:checked"))
    ).to_have_text("Interpol")
    frame.locator(".quiz-player__nav-button").nth(1).click()
    expect(
        frame.locator(".quiz-question:not([hidden]) label", has=frame.locator("input:checked"))
    ).to_have_text("False")
    frame.locator(".quiz-player__nav-button").nth(2).click()
    answer(frame, QUESTIONS[2], "right")
    frame.locator(".quiz-player__submit").click()
    frame.locator(".quiz-player__confirm").click()
    expect(frame.locator(".quiz-result__verdict--passed")).to_be_visible()
    values = close_and_check(page, version)
    status = "cmi.core.lesson_status" if version == "1.2" else "cmi.success_status"
    assert values[status] == "passed"


def test_preview_without_an_lms(page, served, assert_accessible):
    page.goto(f"{served}/v12/sco/index.html")
    expect(page.locator(".sco-pager")).to_be_attached()
    expect(page.locator(".sco-notice")).to_contain_text("not recorded")
    page.get_by_role("button", name="Next page").click()
    expect(page.locator(".sco-page:not([hidden]) h1")).to_have_text("Check")
    page.get_by_role("button", name="Start the quiz").click()
    answer(page, QUESTIONS[0], "right")
    expect(page.locator(".quiz-player__save-status")).to_have_text("Saved")
    assert_accessible(page)


# --- a demo module exported by the real packager ---------------------------------------------


@pytest.fixture(scope="module")
def exported(served, django_db_setup, django_db_blocker, tmp_path_factory):
    """The first demo module exported by scorm_export.services.export_package in both
    versions, unzipped next to the hand-built SCO ("real12/", "real2004/")."""
    import zipfile
    from io import StringIO

    from django.core.management import call_command
    from django.db import transaction
    from django.test.utils import override_settings

    from courses.models import ModulePage
    from scorm_export.options import ExportOptions
    from scorm_export.services import export_package

    root = Path(served_root[served])
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(DEBUG=True, MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        call_command("seed_demo", stdout=StringIO())
        module = ModulePage.objects.live().filter(locale__language_code="pl").first()
        for version in VERSIONS:
            archive = tmp_path_factory.mktemp("zip") / "package.zip"
            with archive.open("wb") as output:
                export_package(module, ExportOptions(version=version, locale="pl"), output)
            folder = root / f"real{version.replace('.', '')}"
            with zipfile.ZipFile(archive) as package:
                package.extractall(folder / "package")
            (folder / "harness.html").write_text(
                HARNESS.replace('"sco/index.html"', "SCO_URL"), encoding="utf-8"
            )
            launch = next(
                path.relative_to(folder).as_posix()
                for path in sorted((folder / "package").glob("*/index.html"))
            )
            html = (folder / "harness.html").read_text(encoding="utf-8")
            (folder / "harness.html").write_text(
                html.replace("SCO_URL", json.dumps(launch)), encoding="utf-8"
            )
        transaction.set_rollback(True)
    return served


#: The served folder of each server URL (set by `served`).
served_root: dict[str, str] = {}


@pytest.mark.django_db
@pytest.mark.parametrize("version", VERSIONS)
def test_a_demo_module_from_the_packager_tracks_under_scorm_again(page, exported, version):
    page.goto(f"{exported}/real{version.replace('.', '')}/harness.html")
    page.evaluate("([version]) => launch(version, null)", [version])
    frame = page.frame_locator("#sco")
    expect(frame.locator(".sco-pager")).to_be_attached()
    expect(frame.locator(".sco-notice")).to_have_count(0)
    # Every page in turn, to the quiz; submitted without answers.
    while frame.locator(".sco-pager__next:not([hidden])").count():
        frame.locator(".sco-pager__next").click()
    start = frame.locator(".sco-page:not([hidden]) .quiz-player__start")
    expect(start).to_be_visible()
    start.click()
    frame.locator(".quiz-player__submit").click()
    frame.locator(".quiz-player__confirm").click()
    expect(frame.locator(".quiz-result__verdict--failed")).to_be_visible()
    values = close_and_check(page, version)
    if version == "1.2":
        assert values["cmi.core.lesson_status"] == "incomplete"  # passed-incomplete
        assert values["cmi.core.score.raw"] == "0"
    else:
        assert values["cmi.completion_status"] == "incomplete"
        assert values["cmi.score.scaled"] == "0"
