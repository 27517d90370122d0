// suspend_data codec (scorm_export/runtime/suspend.js) and the OfflineBackend's state:
// round trips, and a 100-question quiz within SCORM 1.2's 4,096 characters.
import assert from "node:assert/strict";
import { test } from "node:test";
import { decode, decodeAnswer, encode, encodeAnswer } from "../../../scorm_export/runtime/suspend.js";
import { OfflineBackend } from "../../../scorm_export/runtime/offline.js";

const opts = (...ids) => ids.map((id) => ({ id, text: `Option ${id}` }));

/** One question of each type, as the packager puts them in sco-config. */
const SAMPLES = [
  { type: "single_choice", data: { options: opts("a", "b", "c", "d") }, grader: { correct: "b", feedback: { a: "", b: "Yes", c: "", d: "" } }, interaction: { type: "choice", correctResponses: ["b"] }, answer: { option: "c" } },
  { type: "multiple_response", data: { options: opts("a", "b", "c", "d", "e") }, grader: { options: ["a", "b", "c", "d", "e"], correct: ["a", "c"], scoring: "partial", feedback: {} }, answer: { options: ["a", "e"] } },
  { type: "true_false", data: { values: [true, false] }, grader: { correct: false, feedback_true: "", feedback_false: "" }, answer: { value: false } },
  { type: "short_answer", data: { max_length: 10000 }, grader: { answers: [{ text: "ENFAST", fraction: 1, feedback: "" }], case_sensitive: false, ignore_diacritics: true }, answer: { text: "enfast, 100% – żółć|x\\y" } },
  { type: "numerical", data: { units: ["km", "m"], unit_required: false }, grader: { answers: [{ value: 60, tolerance: 0, fraction: 1, feedback: "" }], units: [{ unit: "km", multiplier: 1 }, { unit: "m", multiplier: 1000 }], unit_required: false, epsilon: 1e-9 }, answer: { value: "60 000 m" } },
  { type: "matching", data: { prompts: [{ id: "p1", text: "A" }, { id: "p2", text: "B" }, { id: "p3", text: "C" }], answers: opts("c1", "c2", "c3", "c9") }, grader: { key: { p1: "c1", p2: "c2", p3: "c3" } }, answer: { matches: { p1: "c2", p3: "c3" } } },
  { type: "ordering", data: { items: opts("i3", "i1", "i2") }, grader: { order: ["i1", "i2", "i3"], scoring: "all_or_nothing" }, answer: { order: ["i1", "i3", "i2"] } },
  { type: "cloze", data: { text: "{{g1}} {{g2}}", gaps: [{ id: "g1", kind: "text" }, { id: "g2", kind: "choice", options: opts("o1", "o2") }] }, grader: { gaps: [{ id: "g1", kind: "text", answers: [{ text: "2012", fraction: 1, feedback: "" }], case_sensitive: false, ignore_diacritics: true }, { id: "g2", kind: "choice", correct: "o1", feedback: {} }] }, answer: { gaps: { g1: "a|b,c", g2: "o2" } } },
  { type: "essay", data: { min_words: 0, max_words: 0 }, grader: { manually_graded: true }, answer: { text: "Line one\nline two, {x}" } },
];

test("every type's answer survives encoding", () => {
  for (const sample of SAMPLES) {
    const code = encodeAnswer(sample, sample.answer);
    assert.ok(code.length > 0, sample.type);
    assert.deepEqual(decodeAnswer(sample, code), sample.answer, sample.type);
  }
  assert.equal(encodeAnswer(SAMPLES[0], null), "");
  assert.equal(decodeAnswer(SAMPLES[0], ""), null);
  assert.deepEqual(decodeAnswer({ type: "future_type", data: {} }, encodeAnswer({ type: "future_type" }, { x: [1] })), { x: [1] });
});

test("the state round-trips through suspend_data", () => {
  const state = {
    page: 3,
    seen: [0, 1, 2, 3, 7],
    quizzes: [
      {
        attempts: [
          { seed: 4294967295, started: 1767225600000, state: "submitted", timedOut: false, percent: 66.67, codes: ["1", "", "t100%, ok"] },
          { seed: 12345, started: 1767229200000, state: "in_progress", timedOut: false, percent: null, codes: ["", "m5"] },
        ],
      },
      { attempts: [{ seed: 0, started: 1767225600000, state: "submitted", timedOut: true, percent: 0, codes: [] }] },
    ],
  };
  const text = encode(state);
  assert.deepEqual(decode(text), state);
  assert.deepEqual(decode(""), { page: 0, seen: [], quizzes: [] });
  assert.deepEqual(decode("not json"), { page: 0, seen: [], quizzes: [] });
});

function hundredQuestionQuiz() {
  const questions = Array.from({ length: 100 }, (_, index) => ({ ...SAMPLES[index % (SAMPLES.length - 1)], id: `Q${index + 1}v2` }));
  return {
    key: "quiz-1",
    title: "Final test",
    passMark: 80,
    attemptsAllowed: 0,
    gradingMethod: "highest",
    shuffleQuestions: true,
    shuffleOptions: true,
    slots: questions.map((q) => ({ mark: 1, count: 1, questions: [q] })),
  };
}

async function answerAll(backend, attempt) {
  for (const question of attempt.questions) {
    const sample = SAMPLES.find((item) => item.type === question.type);
    await backend.save(attempt.id, question.position, sample.answer);
  }
}

test("a 100-question quiz fits SCORM 1.2's 4,096 characters, and resumes", async () => {
  const quiz = hundredQuestionQuiz();
  const backend = new OfflineBackend({ quiz });
  const attempt = await backend.start();
  assert.equal(attempt.questions.length, 100);
  await answerAll(backend, attempt);
  const state = { page: 2, seen: [0, 1, 2], quizzes: [backend.exportState()] };
  const text = encode(state, 4096);
  assert.ok(text.length <= 4096, `${text.length} characters`);

  const resumed = new OfflineBackend({ quiz, state: decode(text).quizzes[0] });
  const again = await resumed.load(attempt.id);
  assert.deepEqual(again.questions.map((q) => [q.position, q.type, q.data]), attempt.questions.map((q) => [q.position, q.type, q.data]));
  for (const question of again.questions) {
    const sample = SAMPLES.find((item) => item.type === question.type);
    assert.deepEqual(question.answer, sample.answer, question.type);
  }
});

test("over the limit, past attempts lose their review but keep their result", async () => {
  const quiz = hundredQuestionQuiz();
  const backend = new OfflineBackend({ quiz });
  for (let round = 0; round < 4; round += 1) {
    const attempt = await backend.start();
    await answerAll(backend, attempt);
    await backend.submit(attempt.id);
  }
  const current = await backend.start();
  await answerAll(backend, current);
  const full = encode({ page: 0, seen: [0], quizzes: [backend.exportState()] }, 64000);
  assert.ok(full.length > 4096, "the test needs more than 4,096 characters of state");
  const text = encode({ page: 0, seen: [0], quizzes: [backend.exportState()] }, 4096);
  assert.ok(text.length <= 4096, `${text.length} characters`);
  const resumed = new OfflineBackend({ quiz, state: decode(text).quizzes[0] });
  assert.equal(resumed.attempts.length, 5);
  assert.deepEqual(resumed.results(), backend.results());
  const again = await resumed.load(current.id);
  assert.equal(again.questions.filter((q) => q.answer !== null).length, 100);
});

test("the offline backend grades like the server: marks, percent, pass mark, grading method", async () => {
  const right = { ...SAMPLES[0], id: "Q1", answer: undefined };
  const quiz = {
    key: "q",
    passMark: 50,
    attemptsAllowed: 2,
    gradingMethod: "average",
    reviewOptions: { immediately: ["marks", "correctness", "right_answer", "overall_feedback"] },
    overallFeedback: [{ min: 0, text: "Try again" }, { min: 50, text: "Well done" }],
    slots: [
      { mark: 2, count: 1, questions: [{ ...right, rightAnswer: { option: "b" } }] },
      { mark: 1, count: 1, questions: [{ ...SAMPLES[2], id: "Q2" }] },
    ],
  };
  const backend = new OfflineBackend({ quiz });
  let attempt = await backend.start();
  await backend.save(attempt.id, attempt.questions.find((q) => q.type === "single_choice").position, { option: "b" });
  let result = await backend.submit(attempt.id);
  assert.equal(result.result.score, 2);
  assert.equal(result.result.max_score, 3);
  assert.equal(result.result.percent, 66.67);
  assert.equal(result.result.passed, true);
  assert.equal(result.result.overall_feedback, "Well done");
  assert.deepEqual(result.questions.map((q) => q.correctness).sort(), ["correct", "incorrect"]);
  assert.ok(result.questions.every((q) => !("feedback" in q)));
  attempt = await backend.start();
  result = await backend.submit(attempt.id);
  assert.equal(result.result.percent, 0);
  assert.equal(backend.grade(), 33.34); // (66.67 + 0) / 2, half up
  assert.equal(backend.passed(), false);
  await assert.rejects(backend.start(), (error) => error.message !== undefined);
});

test("random slots draw without repeats, reproducibly from the seed", () => {
  const pool = Array.from({ length: 6 }, (_, i) => ({ ...SAMPLES[2], id: `P${i}` }));
  const quiz = { key: "q", slots: [{ mark: 1, count: 1, questions: [pool[0]] }, { mark: 1, count: 3, questions: pool }] };
  const backend = new OfflineBackend({ quiz });
  const ids = backend.draw(42).map((item) => item.q.id);
  assert.equal(ids.length, 4);
  assert.equal(new Set(ids).size, 4);
  assert.equal(ids[0], "P0");
  assert.deepEqual(backend.draw(42).map((item) => item.q.id), ids);
});
