// Grades every case of a parity table (written by tests/scorm_export/test_runtime_parity.py)
// with the SCORM runtime's offline grader, from the plain grader data and from its
// hidden-key form, and compares with the Python results.
// Usage: node parity_runner.mjs table.json — exits 1 and lists every mismatch.
import { readFileSync } from "node:fs";
import { GRADERS, gradeAnswer, scormResponse } from "../../../scorm_export/runtime/grader.js";

const table = JSON.parse(readFileSync(process.argv[2], "utf8"));
const failures = [];
for (const row of table) {
  if (!GRADERS[row.type]) {
    failures.push(`${row.name}: no offline grader for the type ${row.type}`);
    continue;
  }
  for (const [form, grader] of [["plain", row.grader], ["hidden key", row.hidden_grader]]) {
    const question = { type: row.type, grader, data: row.data };
    const got = gradeAnswer(question, row.answer);
    const checks = [
      ["fraction", got.fraction, row.fraction],
      ["feedback", got.feedback, row.feedback],
      ["needs manual grading", got.needsManualGrading, row.needs_manual_grading],
      ["response 1.2", scormResponse(question, row.answer, "1.2"), row.response_12],
      ["response 2004", scormResponse(question, row.answer, "2004"), row.response_2004],
    ];
    for (const [what, actual, expected] of checks) {
      if (!Object.is(actual, expected)) failures.push(`${row.name} (${row.type}, ${form}): ${what} ${JSON.stringify(actual)} != Python ${JSON.stringify(expected)}`);
    }
  }
}
if (failures.length) {
  console.error(`${failures.length} mismatches out of ${table.length} cases:\n${failures.join("\n")}`);
  process.exit(1);
}
console.log(`${table.length} cases agree`);
