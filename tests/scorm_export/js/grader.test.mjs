// The offline grader's hidden-key helpers: its SHA-256 against Node's, the hash format of
// the packager's `_scorm.key_hash`, and an ordering with a hidden key never shown in key
// order. Grading parity with Python (plain and hidden keys) is test_runtime_parity.py's.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { gradeAnswer, seal, sha256Hex } from "../../../scorm_export/runtime/grader.js";
import { OfflineBackend } from "../../../scorm_export/runtime/offline.js";

const SALT = "0123456789abcdef0123456789abcdef";
const nodeHash = (text) => createHash("sha256").update(text, "utf8").digest("hex");

test("SHA-256 agrees with Node's on every padding length and on non-ASCII text", () => {
  for (let length = 0; length <= 130; length += 1) {
    const text = "a".repeat(length);
    assert.equal(sha256Hex(text), nodeHash(text), `length ${length}`);
  }
  for (const text of ["Łódź Żytomyr", "Житомир", "🚓 pościg", "x".repeat(10000)]) {
    assert.equal(sha256Hex(text), nodeHash(text));
  }
});

test("seal: the value itself without a salt, else the hash of salt:context:value", () => {
  assert.equal(seal(undefined, "b"), "b");
  assert.equal(seal(undefined, true), true);
  assert.equal(seal(SALT, "b"), nodeHash(`${SALT}::b`));
  assert.equal(seal(SALT, true), nodeHash(`${SALT}::true`));
  assert.equal(seal(SALT, "c1", "p1"), nodeHash(`${SALT}:p1:c1`));
  assert.equal(seal(SALT, null), null);
  assert.equal(seal(SALT, undefined, "p1"), null);
});

test("an ordering with a hidden key is graded and never presented in key order", () => {
  const items = [
    { id: "i1", text: "First" },
    { id: "i2", text: "Second" },
  ];
  const q = {
    id: "Q1v1",
    type: "ordering",
    data: { items },
    grader: { order: items.map((item, index) => nodeHash(`${SALT}:${index}:${item.id}`)), scoring: "all_or_nothing", salt: SALT },
  };
  assert.equal(gradeAnswer(q, { order: ["i1", "i2"] }).fraction, 1);
  assert.equal(gradeAnswer(q, { order: ["i2", "i1"] }).fraction, 0);
  const backend = new OfflineBackend({ quiz: { key: "quiz-1", shuffleOptions: true, slots: [{ mark: 1, count: 1, questions: [q] }] } });
  for (let seed = 0; seed < 50; seed += 1) {
    const [drawn] = backend.draw(seed);
    assert.deepEqual(
      drawn.data.items.map((item) => item.id),
      ["i2", "i1"],
      `seed ${seed}`,
    );
  }
});
