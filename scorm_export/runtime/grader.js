/**
 * The offline grader of the SCORM runtime: the JavaScript twin of the Python graders in
 * quizzes/question_types/. Plain ES module, no dependencies.
 *
 * `GRADERS` has one entry per question type, keyed by the type's name:
 *   grade(grader, answer) → {fraction, feedback, needsManualGrading}
 *   response(grader, data, answer, version) → the learner response in SCORM "1.2" / "2004"
 *     syntax (the same text as the Python type's `scorm_response`).
 * `grader` is the type's `offline_grader_data(definition)`, `data` its
 * `player_data(definition, rng=None)`, `answer` an answer in the type's (cleaned) shape.
 * Adding a type = one entry here. tests/scorm_export/test_runtime_parity.py runs every
 * case of quizzes/question_types/grading_cases.json through both and compares.
 *
 * A package exported with hidden answer keys carries the type's `hide_key(definition,
 * salt)` instead: the same shape plus `salt`, every key value replaced by its salted
 * SHA-256 (`_scorm.key_hash`). The graders compare `seal(salt, value, context)` of the
 * learner's value with the key, which is the value itself when there is no salt; an
 * accepted text that could not be hashed (a wildcard pattern) keeps its `text`.
 */

// ------------------------------------------------------------- Python-compatible helpers

/** The characters Python's str.split()/strip() treat as whitespace (str.isspace). */
const PY_SPACE = "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const SPACE_RUN = new RegExp(`[${PY_SPACE}]+`, "u");
const STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, "gu");

/** Python's " ".join(text.split()). */
export function squash(text) {
  return String(text)
    .split(SPACE_RUN)
    .filter((part) => part !== "")
    .join(" ");
}

/** Python's str.strip(). */
export function pyStrip(text) {
  return String(text).replace(STRIP, "");
}

/** Python's text[:n], counted in code points rather than UTF-16 units. */
export function pySlice(text, n) {
  const points = Array.from(text);
  return points.length <= n ? text : points.slice(0, n).join("");
}

/** Round a finite number to `digits` decimals like Python's round(): by the exact binary
 * value, exact ties to even (toFixed alone takes the larger one). */
export function pyRound(value, digits) {
  if (!Number.isFinite(value) || Math.abs(value) >= 1e21) return value;
  const sign = value < 0 ? -1 : 1;
  const x = Math.abs(value);
  let text = x.toFixed(digits);
  // A tie is a dyadic number with at most digits+1 binary fraction bits whose
  // (digits+1)-th decimal is 5; only then is the decimal expansion exact there.
  if (Number.isInteger(x * 2 ** (digits + 1))) {
    const longer = x.toFixed(digits + 1);
    if (longer.endsWith("5")) {
      const down = longer.slice(0, -1).replace(/\.$/, "");
      const lastDown = Number(down[down.length - 1]);
      if (lastDown % 2 === 0) text = down;
    }
  }
  return sign * Number(text) + 0;
}

/** `round_fraction` of quizzes/question_types/base.py: clamp to 0..1, 7 decimals. */
export function roundFraction(value) {
  return pyRound(Math.min(1, Math.max(0, value)) + 0, 7);
}

// ------------------------------------------------------------------- hidden answer keys

const SHA256_K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const rotr = (x, n) => (x >>> n) | (x << (32 - n));

/** SHA-256 of a text's UTF-8 bytes, in hex (FIPS 180-4). Plain and synchronous rather than
 * WebCrypto's digest, which is asynchronous (grading is not) and missing from pages served
 * without HTTPS, as many LMSs on closed networks are. */
export function sha256Hex(text) {
  const bytes = new TextEncoder().encode(text);
  const padded = new Uint8Array((((bytes.length + 8) >> 6) + 1) << 6);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bytes.length / 0x20000000)); // bit length, high word
  view.setUint32(padded.length - 4, (bytes.length << 3) >>> 0);
  const hash = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const w = new Uint32Array(64); // stores every sum modulo 2^32
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let i = 0; i < 16; i += 1) w[i] = view.getUint32(offset + i * 4);
    for (let i = 16; i < 64; i += 1) {
      const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
      const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    let [a, b, c, d, e, f, g, h] = hash;
    for (let i = 0; i < 64; i += 1) {
      const t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + SHA256_K[i] + w[i]) | 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      [h, g, f, e, d, c, b, a] = [g, f, e, (d + t1) | 0, c, b, a, (t1 + t2) | 0];
    }
    [a, b, c, d, e, f, g, h].forEach((value, index) => {
      hash[index] += value;
    });
  }
  return Array.from(hash, (word) => word.toString(16).padStart(8, "0")).join("");
}

/** A learner's value as the key holds it: with a `salt` (hidden keys) the hash
 * `_scorm.key_hash` gives, of `salt:context:value` (booleans as "true" / "false"); without
 * one, the value itself. No value (null, undefined) stays null and matches no key. */
export function seal(salt, value, context = "") {
  if (value === null || value === undefined) return null;
  return salt === undefined ? value : sha256Hex(`${salt}:${context}:${value}`);
}

// --------------------------------------------------------------------- text comparison

const STROKED = { ł: "l", Ł: "L", đ: "d", Đ: "D", ø: "o", Ø: "O", ı: "i", ħ: "h" };
const COMBINING = /\p{Mn}/gu;

function foldChar(char) {
  if (char in STROKED) return STROKED[char];
  const code = char.codePointAt(0);
  if ((code >= 0xc0 && code <= 0x24f) || (code >= 0x1e00 && code <= 0x1eff)) {
    return char.normalize("NFD").replace(COMBINING, "");
  }
  return char;
}

/** Latin letters without their diacritics ("Łódź" → "Lodz"); other scripts untouched. */
export function foldDiacritics(text) {
  return Array.from(text.normalize("NFC"), foldChar).join("");
}

export function normaliseText(text, { caseSensitive, ignoreDiacritics }) {
  let result = squash(String(text).normalize("NFC"));
  if (ignoreDiacritics) result = foldDiacritics(result);
  if (!caseSensitive) result = result.toLowerCase();
  return result;
}

function literalText(pattern) {
  return pattern.replaceAll("\\*", "*");
}

/** `*` is any run of characters, `\*` a literal asterisk (see _text.glob_match). */
export function globMatch(pattern, text) {
  const segments = pattern.split(/(?<!\\)\*+/).map(literalText);
  if (segments.length === 1) return text === segments[0];
  const first = segments[0];
  const last = segments[segments.length - 1];
  if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false;
  let position = first.length;
  const end = text.length - last.length;
  for (const segment of segments.slice(1, -1)) {
    const found = text.slice(0, end).indexOf(segment, position);
    if (found < 0) return false;
    position = found + segment.length;
  }
  return true;
}

/** The accepted answer with the highest fraction for which `matches` holds; the first wins a tie. */
function bestAnswer(answers, matches) {
  let best = null;
  for (const answer of answers) if (matches(answer) && (best === null || answer.fraction > best.fraction)) best = answer;
  return best;
}

function grade(fraction, feedback = "", needsManualGrading = false) {
  return { fraction, feedback, needsManualGrading };
}

/** A typed text against `settings.answers` (short answer; a cloze text gap, its id as the
 * `context` of hidden keys). An empty text matches nothing. */
function gradeText(settings, response, salt, context = "") {
  const options = { caseSensitive: settings.case_sensitive, ignoreDiacritics: settings.ignore_diacritics };
  const typed = normaliseText(response, options);
  const typedKey = typed && salt !== undefined ? seal(salt, typed, context) : null;
  const matches = (answer) => (answer.hash === undefined ? globMatch(normaliseText(answer.text, options), typed) : answer.hash === typedKey);
  const best = typed ? bestAnswer(settings.answers, matches) : null;
  return best === null ? grade(0) : grade(roundFraction(best.fraction), best.feedback || "");
}

function joinFeedback(parts) {
  return parts.filter((part) => part).join("\n");
}

// ----------------------------------------------------------------------------- numbers

/** Decimal value of a Unicode decimal digit (Python's re `\d` and float() accept them). */
function digitValue(char) {
  if (char >= "0" && char <= "9") return char.charCodeAt(0) - 48;
  let code = char.codePointAt(0);
  let steps = 0;
  while (steps < 1000 && /\p{Nd}/u.test(String.fromCodePoint(code - 1))) {
    code -= 1;
    steps += 1;
  }
  return steps % 10;
}

function asciiDigits(text) {
  return Array.from(text, (char) => String(digitValue(char))).join("");
}

const NUMBER_RE = /^([-+\u2212]?)\s*(\p{Nd}{1,3}(?:[ \u00a0\u202f]\p{Nd}{3})+|\p{Nd}*)(?:[.,](\p{Nd}*))?(?:[eE]([-+]?\p{Nd}+))?/u;

/** The number and unit of a numerical response (numerical.parse_response); null if invalid. */
export function parseNumber(text, units) {
  text = squash(text);
  const match = NUMBER_RE.exec(text);
  if (!match || !(match[2] || match[3])) return null;
  const digits = asciiDigits(match[2].replace(/[ \u00a0\u202f]/g, ""));
  const sign = match[1] === "-" || match[1] === "\u2212" ? "-" : "";
  const frac = match[3] ? asciiDigits(match[3]) : "0";
  const exp = match[4] ? match[4].replace(/\p{Nd}/gu, (d) => String(digitValue(d))) : "0";
  const value = Number(`${sign}${digits || "0"}.${frac}e${exp}`);
  if (!Number.isFinite(value)) return null;
  const unitText = pyStrip(text.slice(match[0].length));
  if (!unitText) return { value, unit: null };
  const unit = (units || []).find((item) => item.unit === unitText);
  return unit ? { value, unit } : null;
}

/** A response in the base unit, or null when it is not a number with a known unit. */
export function responseValue(grader, text) {
  const parsed = parseNumber(String(text ?? ""), grader.units);
  if (!parsed) return null;
  return parsed.unit ? parsed.value / parsed.unit.multiplier : parsed.value;
}

/** Python's format(Decimal(repr(x)), "f"): shortest digits, no exponent. */
function plainDecimal(x) {
  const text = String(Math.abs(x));
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  const match = /^(\d+)(?:\.(\d+))?(?:e([-+]\d+))?$/.exec(text);
  if (!match) return sign + text;
  let digits = match[1] + (match[2] || "");
  let point = match[1].length + Number(match[3] || 0);
  if (point <= 0) {
    digits = "0".repeat(1 - point) + digits;
    point = 1;
  }
  if (point >= digits.length) {
    // Python keeps the ".0" of repr("1.0") only when repr has a point; trailing zeros go anyway.
    return sign + digits + "0".repeat(point - digits.length);
  }
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** `_scorm.number`: a plain decimal, no exponent, no trailing zeros. */
export function scormNumber(value) {
  let text = plainDecimal(pyRound(Number(value), 10));
  if (text.includes(".")) text = text.replace(/0+$/, "").replace(/\.$/, "");
  return text === "-0" || text === "" ? "0" : text;
}

// ------------------------------------------------------------------------ SCORM syntax

function join(values, version) {
  return values.join(version === "1.2" ? "," : "[,]");
}

function pair(source, target, version) {
  return version === "1.2" ? `${source}.${target}` : `${source}[.]${target}`;
}

function fillInValue(text) {
  text = squash(text).replaceAll("[,]", "(,)").replaceAll("[.]", "(.)");
  if (text.startsWith("{")) text = `(${text.slice(1)}`;
  return pySlice(text, 250);
}

function fillIn(values, version) {
  if (version === "1.2") return pySlice(values.map((value) => squash(value)).join(","), 255);
  return join(values.slice(0, 10).map(fillInValue), version);
}

function longFillIn(text, version) {
  if (version === "1.2") return pySlice(squash(text), 255);
  text = pyStrip(text);
  if (text.startsWith("{")) text = `(${text.slice(1)}`;
  return pySlice(text, 4000);
}

// ---------------------------------------------------------------------------- the table

const GAP_KINDS = {
  text: {
    grade: (gap, value, salt) => gradeText(gap, value, salt, gap.id),
    value: (gap, dataGap, value) => value,
  },
  choice: {
    grade: (gap, value, salt) => grade(seal(salt, value, gap.id) === gap.correct ? 1 : 0, (gap.feedback && value in gap.feedback && gap.feedback[value]) || ""),
    value: (gap, dataGap, value) => {
      const option = ((dataGap && dataGap.options) || []).find((item) => item.id === value);
      return option ? option.text : "";
    },
  },
};

export const GRADERS = {
  single_choice: {
    grade: (g, answer) => grade(roundFraction(seal(g.salt, answer.option) === g.correct ? 1 : 0), (g.feedback && g.feedback[answer.option]) || ""),
    response: (g, data, answer, version) => join([answer.option], version),
  },

  multiple_response: {
    grade(g, answer) {
      const picked = new Set(answer.options);
      const correct = new Set(g.correct);
      const right = [...picked].filter((id) => correct.has(seal(g.salt, id))).length;
      let fraction;
      if (g.scoring === "partial") {
        const wrongOptions = g.options.length - correct.size;
        const wrongShare = wrongOptions ? (picked.size - right) / wrongOptions : 0;
        fraction = Math.max(0, right / correct.size - wrongShare);
      } else {
        fraction = picked.size === correct.size && right === correct.size ? 1 : 0;
      }
      return grade(roundFraction(fraction), joinFeedback(g.options.filter((id) => picked.has(id)).map((id) => (g.feedback && g.feedback[id]) || "")));
    },
    response: (g, data, answer, version) => join(g.options.filter((id) => answer.options.includes(id)), version),
  },

  true_false: {
    grade: (g, answer) => grade(roundFraction(seal(g.salt, answer.value) === g.correct ? 1 : 0), (answer.value ? g.feedback_true : g.feedback_false) || ""),
    response: (g, data, answer, version) => (version === "1.2" ? (answer.value ? "t" : "f") : answer.value ? "true" : "false"),
  },

  short_answer: {
    grade: (g, answer) => gradeText(g, answer.text ?? "", g.salt),
    response: (g, data, answer, version) => fillIn([answer.text ?? ""], version),
  },

  numerical: {
    grade(g, answer) {
      const value = responseValue(g, answer.value);
      if (value === null) return grade(0);
      const epsilon = g.epsilon ?? 1e-9;
      const best = bestAnswer(g.answers, (accepted) => Math.abs(value - accepted.value) <= accepted.tolerance + epsilon * Math.max(1, Math.abs(accepted.value)));
      return best === null ? grade(0) : grade(roundFraction(best.fraction), best.feedback || "");
    },
    response(g, data, answer) {
      const value = responseValue(g, answer.value);
      return value === null ? "" : scormNumber(value);
    },
  },

  matching: {
    grade(g, answer) {
      const pairs = Object.keys(g.key);
      const matches = answer.matches || {};
      const right = pairs.filter((id) => seal(g.salt, matches[id], id) === g.key[id]).length;
      return grade(roundFraction(right / pairs.length));
    },
    response(g, data, answer, version) {
      const matches = answer.matches || {};
      const pairs = Object.keys(g.key).filter((id) => matches[id] !== null && matches[id] !== undefined);
      return join(pairs.map((id) => pair(id, matches[id], version)), version);
    },
  },

  ordering: {
    grade(g, answer) {
      const order = answer.order || [];
      const inPlace = g.order.filter((key, index) => seal(g.salt, order[index], String(index)) === key).length;
      const fraction = g.scoring === "absolute_position" ? inPlace / g.order.length : inPlace === g.order.length ? 1 : 0;
      return grade(roundFraction(fraction));
    },
    response: (g, data, answer, version) => join(answer.order || [], version),
  },

  cloze: {
    grade(g, answer) {
      const values = answer.gaps || {};
      const grades = g.gaps.map((gap) => GAP_KINDS[gap.kind].grade(gap, values[gap.id] ?? "", g.salt));
      let sum = 0;
      for (const item of grades) sum += item.fraction;
      return grade(roundFraction(sum / grades.length), joinFeedback(grades.map((item) => item.feedback)));
    },
    response(g, data, answer, version) {
      const values = answer.gaps || {};
      const dataGaps = new Map(((data && data.gaps) || []).map((gap) => [gap.id, gap]));
      return fillIn(
        g.gaps.map((gap) => GAP_KINDS[gap.kind].value(gap, dataGaps.get(gap.id), values[gap.id] ?? "")),
        version,
      );
    },
  },

  essay: {
    grade: () => grade(0, "", true),
    response: (g, data, answer, version) => longFillIn(answer.text ?? "", version),
  },
};

/** Grade one answer of a question ({type, grader}); no answer (null) scores 0. */
export function gradeAnswer(question, answer) {
  const entry = GRADERS[question.type];
  if (answer === null || answer === undefined || !entry) return grade(0);
  try {
    return entry.grade(question.grader, answer);
  } catch {
    return grade(0); // an answer of the wrong shape scores 0, as in services._grade_question
  }
}

/** The learner response of one answer in SCORM `version` syntax ("" when unknown). */
export function scormResponse(question, answer, version) {
  const entry = GRADERS[question.type];
  if (answer === null || answer === undefined || !entry) return "";
  try {
    return entry.response(question.grader, question.data, answer, version);
  } catch {
    return "";
  }
}
