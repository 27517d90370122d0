/**
 * suspend_data codec of the SCORM runtime: the SCO's whole state in a few characters, so
 * that a SCORM 1.2 LMS (4,096 characters) resumes a 100-question quiz.
 *
 * The state: {page: index of the section shown, seen: [indices of the sections seen],
 * quizzes: [{attempts: [{seed, started, state, timedOut, percent, codes}]}]} with the
 * quizzes in config order. The questions of an attempt are not stored: they follow from
 * its seed. `codes` holds one compact string per position (ANSWER_CODECS below: option
 * indices instead of ids, base-36 numbers); "" means no answer.
 *
 * Text form: JSON of arrays without keys,
 *   [1, page, seenBits36, [[seed36, started36, flag, percent36, "code,code,…"], …], …]
 * flag: 0 in progress, 1 submitted, 2 submitted when time ran out. In the codes, "%" and
 * "," are percent-encoded. When the text would exceed the limit, `encode` drops the answers
 * of submitted attempts (their review; the result stays), then shortens the longest typed
 * answers of the attempt in progress.
 */

const FORMAT = 1;

// ------------------------------------------------------------------------ answer codes

const b36 = (n) => Number(n).toString(36);
const un36 = (text) => parseInt(text, 36);

/** Per-character base-36 indices, or "."-separated when any index reaches 36. */
function indexList(indices) {
  return indices.every((i) => i >= 0 && i < 36) ? indices.map(b36).join("") : indices.map(b36).join(".");
}

function unIndexList(code) {
  return (code.includes(".") ? code.split(".") : Array.from(code)).map(un36);
}

const ids = (items) => (items || []).map((item) => item.id);

/** One entry per question type: {encode(q, answer) → string, decode(q, code) → answer}.
 * `q` is the question of the sco-config (type, data, grader). */
export const ANSWER_CODECS = {
  single_choice: {
    encode: (q, answer) => b36(ids(q.data.options).indexOf(answer.option)),
    decode: (q, code) => ({ option: ids(q.data.options)[un36(code)] }),
  },
  multiple_response: {
    encode: (q, answer) => {
      const options = ids(q.data.options);
      let bits = 0n;
      for (const id of answer.options || []) if (options.includes(id)) bits |= 1n << BigInt(options.indexOf(id));
      return `m${bits.toString(36)}`; // never empty: "m0" is "nothing ticked"
    },
    decode: (q, code) => {
      let bits = 0n;
      for (const char of code.slice(1)) bits = bits * 36n + BigInt(un36(char));
      return { options: ids(q.data.options).filter((id, index) => (bits >> BigInt(index)) & 1n) };
    },
  },
  true_false: {
    encode: (q, answer) => (answer.value ? "1" : "0"),
    decode: (q, code) => ({ value: code === "1" }),
  },
  short_answer: {
    encode: (q, answer) => `t${answer.text ?? ""}`,
    decode: (q, code) => ({ text: code.slice(1) }),
  },
  essay: {
    encode: (q, answer) => `t${answer.text ?? ""}`,
    decode: (q, code) => ({ text: code.slice(1) }),
  },
  numerical: {
    encode: (q, answer) => `t${answer.value ?? ""}`,
    decode: (q, code) => ({ value: code.slice(1) }),
  },
  matching: {
    // For each prompt (in data order): 0 = unmatched, else 1 + the answer's index.
    encode: (q, answer) => {
      const answers = ids(q.data.answers);
      const matches = answer.matches || {};
      return `m${indexList(ids(q.data.prompts).map((id) => (matches[id] ? answers.indexOf(matches[id]) + 1 : 0)))}`;
    },
    decode: (q, code) => {
      const answers = ids(q.data.answers);
      const matches = {};
      unIndexList(code.slice(1)).forEach((value, index) => {
        const prompt = ids(q.data.prompts)[index];
        if (value > 0 && prompt) matches[prompt] = answers[value - 1];
      });
      return { matches };
    },
  },
  ordering: {
    encode: (q, answer) => `o${indexList((answer.order || []).map((id) => ids(q.data.items).indexOf(id)))}`,
    decode: (q, code) => ({ order: unIndexList(code.slice(1)).map((index) => ids(q.data.items)[index]) }),
  },
  cloze: {
    // Gaps in data order joined by "|": a choice gap by 1 + its option's index ("0": none),
    // a typed gap as its text; "|" and "\" in texts are escaped with "\".
    encode: (q, answer) => {
      const values = answer.gaps || {};
      return `c${q.data.gaps
        .map((gap) => {
          const value = values[gap.id] ?? "";
          if (gap.kind === "choice") return b36(ids(gap.options).indexOf(value) + 1);
          return String(value).replace(/[\\|]/g, "\\$&");
        })
        .join("|")}`;
    },
    decode: (q, code) => {
      const parts = [""];
      const text = code.slice(1);
      for (let i = 0; i < text.length; i += 1) {
        if (text[i] === "\\" && i + 1 < text.length) parts[parts.length - 1] += text[(i += 1)];
        else if (text[i] === "|") parts.push("");
        else parts[parts.length - 1] += text[i];
      }
      const gaps = {};
      q.data.gaps.forEach((gap, index) => {
        const raw = parts[index] || "";
        if (gap.kind === "choice") gaps[gap.id] = ids(gap.options)[un36(raw || "0") - 1] || "";
        else gaps[gap.id] = raw;
      });
      return { gaps };
    },
  },
};

/** Any other type: its answer as JSON. */
const JSON_CODEC = {
  encode: (q, answer) => `j${JSON.stringify(answer)}`,
  decode: (q, code) => JSON.parse(code.slice(1)),
};

export function encodeAnswer(q, answer) {
  if (answer === null || answer === undefined) return "";
  return (ANSWER_CODECS[q.type] || JSON_CODEC).encode(q, answer);
}

/** The answer of a code, or null when it cannot be read (a changed package…). */
export function decodeAnswer(q, code) {
  if (!code) return null;
  try {
    return (ANSWER_CODECS[q.type] || JSON_CODEC).decode(q, code);
  } catch {
    return null;
  }
}

// -------------------------------------------------------------------------- the state

const escapeCode = (code) => code.replace(/%/g, "%25").replace(/,/g, "%2C");
const unescapeCode = (code) => code.replace(/%2C/gi, ",").replace(/%25/g, "%");

function attemptRow(attempt, keepCodes = true) {
  const flag = attempt.state === "in_progress" ? 0 : attempt.timedOut ? 2 : 1;
  const percent = attempt.percent === null || attempt.percent === undefined ? "" : b36(Math.round(attempt.percent * 100));
  const codes = keepCodes ? (attempt.codes || []).map(escapeCode).join(",").replace(/,+$/, "") : "";
  return [b36(attempt.seed >>> 0), b36(Math.floor((attempt.started || 0) / 1000)), flag, percent, codes];
}

function bits(indices) {
  let value = 0n;
  for (const index of indices || []) value |= 1n << BigInt(index);
  return value.toString(36);
}

function unbits(text) {
  let value = 0n;
  for (const char of text || "") value = value * 36n + BigInt(un36(char));
  const result = [];
  for (let index = 0; value >> BigInt(index); index += 1) if ((value >> BigInt(index)) & 1n) result.push(index);
  return result;
}

function serialise(state, { keepReview = true, textLimit = Infinity } = {}) {
  const quizzes = (state.quizzes || []).map((quiz) =>
    (quiz.attempts || []).map((attempt) => {
      const submitted = attempt.state !== "in_progress";
      const row = attemptRow(
        { ...attempt, codes: (attempt.codes || []).map((code) => (code.length > textLimit ? code.slice(0, textLimit) : code)) },
        keepReview || !submitted,
      );
      return row;
    }),
  );
  return JSON.stringify([FORMAT, state.page || 0, bits(state.seen), ...quizzes]);
}

/** The state as suspend_data within `limit` characters (see the module docstring). */
export function encode(state, limit = 4096) {
  let text = serialise(state);
  if (text.length <= limit) return text;
  text = serialise(state, { keepReview: false });
  for (let textLimit = 2000; text.length > limit && textLimit >= 20; textLimit = Math.floor(textLimit / 2)) {
    text = serialise(state, { keepReview: false, textLimit });
  }
  return text;
}

/** The state of a suspend_data text; an empty state when it is empty or unreadable. */
export function decode(text) {
  const empty = { page: 0, seen: [], quizzes: [] };
  if (!text) return empty;
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    return empty;
  }
  if (!Array.isArray(data) || data[0] !== FORMAT) return empty;
  const [, page, seen, ...quizzes] = data;
  return {
    page: Number(page) || 0,
    seen: unbits(seen),
    quizzes: quizzes.map((rows) => ({
      attempts: (Array.isArray(rows) ? rows : []).map(([seed, started, flag, percent, codes]) => ({
        seed: un36(seed),
        started: un36(started) * 1000,
        state: flag ? "submitted" : "in_progress",
        timedOut: flag === 2,
        percent: percent === "" ? null : un36(percent) / 100,
        codes: codes ? codes.split(",").map(unescapeCode) : [],
      })),
    })),
  };
}
