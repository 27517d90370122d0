// Value formats of the SCORM runtime's LMS adapter (scorm_export/runtime/lms.js), checked
// against the patterns Moodle's SCORM runtimes enforce (Moodle's mod/scorm/datamodels/scorm_12.js, scorm_13.js).
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ADAPTERS,
  FAILED,
  MET,
  PENDING,
  decimal,
  description,
  duration2004,
  interactionId,
  score100,
  sessionTime12,
  time12,
  timestamp2004,
} from "../../../scorm_export/runtime/lms.js";
import { pyRound } from "../../../scorm_export/runtime/grader.js";

const MOODLE_TIMESPAN_12 = /^([0-9]{2,4}):([0-9]{2}):([0-9]{2})(\.[0-9]{1,2})?$/;
const MOODLE_SCORE_12 = /^-?([0-9]{0,3})(\.[0-9]*)?$/;
const MOODLE_ID_12 = /^[\u0021-\u007E]{0,255}$/;
const MOODLE_TIME_12 = /^([0-2][0-9]):([0-5][0-9]):([0-5][0-9])(\.[0-9]{1,2})?$/;
const DURATION_2004 = /^P(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d{1,2})?S)?)?$/;
const TIME_2004 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{1,2}Z$/;

test("SCORM 1.2 session time: 2–4 hour digits, centiseconds", () => {
  assert.equal(sessionTime12(0), "00:00:00.00");
  assert.equal(sessionTime12(62_000), "00:01:02.00");
  assert.equal(sessionTime12(3_723_456), "01:02:03.46");
  assert.equal(sessionTime12(1_004), "00:00:01.00");
  assert.equal(sessionTime12(1_005), "00:00:01.01"); // sub-second rounding
  assert.equal(sessionTime12(59_999), "00:01:00.00"); // rounding carries into minutes
  assert.equal(sessionTime12(100 * 3600_000 + 5), "100:00:00.01"); // > 99 h
  assert.equal(sessionTime12(20_000 * 3600_000), "9999:59:59.99"); // capped at 4 digits
  for (const ms of [0, 5, 999, 61_234, 99 * 3600_000, 123 * 3600_000 + 4_567, 1e12]) {
    assert.match(sessionTime12(ms), MOODLE_TIMESPAN_12, String(ms));
  }
});

test("SCORM 2004 session time: ISO 8601 duration, at most 2 decimals", () => {
  assert.equal(duration2004(0), "PT0S");
  assert.equal(duration2004(1_234), "PT1.23S");
  assert.equal(duration2004(1_500), "PT1.5S");
  assert.equal(duration2004(1_995), "PT2S");
  assert.equal(duration2004(3_723_456), "PT1H2M3.46S");
  assert.equal(duration2004(100 * 3600_000), "PT100H0S");
  for (const ms of [0, 4, 5, 999, 61_234, 3600_000, 1e12]) assert.match(duration2004(ms), DURATION_2004, String(ms));
});

test("scores: 0–100, a dot, at most 2 decimals", () => {
  assert.equal(score100(85.5), "85.5");
  assert.equal(score100(66.666666), "66.67");
  assert.equal(score100(100), "100");
  assert.equal(score100(0), "0");
  assert.equal(score100(120), "100");
  assert.equal(score100(-3), "0");
  assert.equal(decimal(0.6667, 4), "0.6667");
  for (const value of [0, 0.01, 33.333, 50, 99.999, 100]) {
    const text = score100(value);
    assert.match(text, MOODLE_SCORE_12);
    assert.ok(!text.includes(","));
    assert.ok(Number(text) >= 0 && Number(text) <= 100);
  }
  const values = Object.fromEntries(ADAPTERS["2004"].scoreValues(75));
  assert.equal(values["cmi.score.scaled"], "0.75");
  assert.equal(values["cmi.score.raw"], "75");
});

test("interaction ids: printable ASCII, no spaces, at most 255", () => {
  assert.equal(interactionId("Q12v3", "quiz-1", "a2"), "Q12v3_quiz-1_a2");
  assert.equal(interactionId("pytanie 1", "Łódź"), "pytanie_1___d_");
  assert.equal(interactionId("urn:x"), "urn_x");
  assert.match(interactionId("x".repeat(300), "ż ó"), MOODLE_ID_12);
  assert.equal(interactionId("x".repeat(300)).length, 255);
});

test("interaction times and descriptions", () => {
  const date = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
  assert.match(time12(date), MOODLE_TIME_12);
  assert.equal(timestamp2004(date), "2026-01-02T03:04:05.67Z");
  assert.match(timestamp2004(new Date()), TIME_2004);
  assert.equal(description("<p>Who  issues a <b>Red Notice</b>?</p>"), "Who issues a Red Notice?");
  assert.equal(Array.from(description("ż".repeat(400))).length, 250);
  assert.ok(!description("{lang=pl} x").startsWith("{"));
});

test("interaction values per version", () => {
  const item = { id: "Q1_quiz-1_a1", type: "long-fill-in", patterns: [], response: "Text", result: "neutral", weighting: 2, date: new Date(), description: "<p>Essay</p>" };
  const v12 = Object.fromEntries(ADAPTERS["1.2"].interactionValues(0, item));
  assert.equal(v12["cmi.interactions.0.type"], "fill-in");
  assert.equal(v12["cmi.interactions.0.student_response"], "Text");
  assert.equal(v12["cmi.interactions.0.result"], "neutral");
  assert.ok(!("cmi.interactions.0.description" in v12));
  const v2004 = Object.fromEntries(ADAPTERS["2004"].interactionValues(3, { ...item, type: "choice", patterns: ["b"], response: "a", result: "incorrect" }));
  assert.equal(v2004["cmi.interactions.3.type"], "choice");
  assert.equal(v2004["cmi.interactions.3.learner_response"], "a");
  assert.equal(v2004["cmi.interactions.3.result"], "incorrect");
  assert.equal(v2004["cmi.interactions.3.correct_responses.0.pattern"], "b");
  assert.equal(v2004["cmi.interactions.3.description"], "Essay");
  const wrong12 = Object.fromEntries(ADAPTERS["1.2"].interactionValues(1, { ...item, type: "choice", result: "incorrect" }));
  assert.equal(wrong12["cmi.interactions.1.result"], "wrong");
});

test("statuses per reporting mode, SCORM 1.2", () => {
  const status = (mode, outcome) => Object.fromEntries(ADAPTERS["1.2"].statusValues(mode, outcome))["cmi.core.lesson_status"];
  assert.equal(status("passed-incomplete", PENDING), "incomplete");
  assert.equal(status("passed-incomplete", FAILED), "incomplete");
  assert.equal(status("passed-incomplete", MET), "passed");
  assert.equal(status("passed-failed", FAILED), "failed");
  assert.equal(status("passed-failed", MET), "passed");
  assert.equal(status("completed-incomplete", FAILED), "incomplete");
  assert.equal(status("completed-incomplete", MET), "completed");
  assert.equal(status("completed-failed", FAILED), "failed");
  assert.equal(status("completed-failed", MET), "completed");
  assert.equal(status("completed-failed", PENDING), "incomplete");
  const exit = (outcome) => Object.fromEntries(ADAPTERS["1.2"].exitValues(outcome, 1000))["cmi.core.exit"];
  assert.equal(exit(PENDING), "suspend");
  assert.equal(exit(MET), "");
});

test("statuses per reporting mode, SCORM 2004", () => {
  const status = (mode, outcome) => {
    const values = Object.fromEntries(ADAPTERS["2004"].statusValues(mode, outcome));
    return `${values["cmi.completion_status"]}/${values["cmi.success_status"]}`;
  };
  assert.equal(status("passed-incomplete", PENDING), "incomplete/unknown");
  assert.equal(status("passed-incomplete", FAILED), "incomplete/unknown");
  assert.equal(status("passed-incomplete", MET), "completed/passed");
  assert.equal(status("passed-failed", FAILED), "completed/failed");
  assert.equal(status("completed-incomplete", MET), "completed/unknown");
  assert.equal(status("completed-failed", FAILED), "completed/failed");
  const exit = (outcome) => Object.fromEntries(ADAPTERS["2004"].exitValues(outcome, 1000))["cmi.exit"];
  assert.equal(exit(FAILED), "suspend");
  assert.equal(exit(MET), "normal");
});

test("stored statuses are read back as outcomes (no downgrade on resume)", () => {
  const stored12 = (status) => ADAPTERS["1.2"].storedOutcome(() => status);
  assert.equal(stored12("passed"), MET);
  assert.equal(stored12("completed"), MET);
  assert.equal(stored12("failed"), FAILED);
  assert.equal(stored12("not attempted"), PENDING);
  const stored2004 = (completion, success) => ADAPTERS["2004"].storedOutcome((key) => (key === "cmi.completion_status" ? completion : success));
  assert.equal(stored2004("completed", "passed"), MET);
  assert.equal(stored2004("completed", "unknown"), MET);
  assert.equal(stored2004("completed", "failed"), FAILED);
  assert.equal(stored2004("incomplete", "unknown"), PENDING);
});

test("Python-style rounding: exact ties go to even", () => {
  assert.equal(pyRound(1 / 256, 7), 0.0039062);
  assert.equal(pyRound(3 / 256, 7), 0.0117188);
  assert.equal(pyRound(2 / 3, 7), 0.6666667);
  assert.equal(pyRound(0.5, 0), 0);
  assert.equal(pyRound(2.675, 2), 2.67); // 2.675 is below the tie in binary
});
