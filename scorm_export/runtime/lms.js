/**
 * The LMS adapter of the SCORM runtime: one object per SCORM version (`ADAPTERS["1.2"]`,
 * `ADAPTERS["2004"]`) over the LMS's API object, plus the value formats both versions
 * need, written to pass the stricter LMSs (Moodle's mod/scorm runtime checks), not only
 * lenient ones. Plain ES module, no dependencies; no DOM use, so Node can test it.
 */

// ------------------------------------------------------------------------------ formats

const pad = (n, width = 2) => String(n).padStart(width, "0");

/** SCORM 1.2 CMITimespan "HHHH:MM:SS.SS" (2–4 hour digits, centiseconds), capped at
 * 9999:59:59.99 (Moodle: ^([0-9]{2,4}):([0-9]{2}):([0-9]{2})(\.[0-9]{1,2})?$). */
export function sessionTime12(milliseconds) {
  let cs = Math.max(0, Math.round((Number(milliseconds) || 0) / 10));
  cs = Math.min(cs, 9999 * 360000 + 59 * 6000 + 59 * 100 + 99);
  const hours = Math.floor(cs / 360000);
  const minutes = Math.floor((cs % 360000) / 6000);
  const seconds = Math.floor((cs % 6000) / 100);
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}.${pad(cs % 100)}`;
}

/** SCORM 2004 timeinterval: an ISO 8601 duration, at most 2 decimals on the seconds. */
export function duration2004(milliseconds) {
  const cs = Math.max(0, Math.round((Number(milliseconds) || 0) / 10));
  const hours = Math.floor(cs / 360000);
  const minutes = Math.floor((cs % 360000) / 6000);
  const rest = cs % 6000;
  const seconds = rest % 100 ? `${Math.floor(rest / 100)}.${pad(rest % 100)}`.replace(/0$/, "") : String(rest / 100);
  return `PT${hours ? `${hours}H` : ""}${minutes ? `${minutes}M` : ""}${seconds}S`;
}

/** SCORM 1.2 CMITime: the time of day "HH:MM:SS" (local time). */
export function time12(date = new Date()) {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** SCORM 2004 time(second,10,0): "YYYY-MM-DDThh:mm:ss.ssZ" in UTC (Moodle wants the zone
 * only after 1–2 decimals of seconds). */
export function timestamp2004(date = new Date()) {
  return (
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}` +
    `.${pad(Math.floor(date.getUTCMilliseconds() / 10))}Z`
  );
}

/** A decimal with at most `places` decimals and a dot, no exponent, no trailing zeros. */
export function decimal(value, places = 2) {
  const text = (Math.round(Number(value) * 10 ** places) / 10 ** places).toFixed(places);
  const trimmed = text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
  return trimmed === "-0" ? "0" : trimmed;
}

/** A score on the 0–100 scale (1.2 CMIDecimal range; raw in both versions). */
export function score100(percent) {
  return decimal(Math.min(100, Math.max(0, Number(percent) || 0)), 2);
}

/** An interaction id: printable ASCII without spaces (Moodle 1.2: ^[\u0021-\u007E]{0,255}$),
 * parts joined by "_", never starting with "urn:" (a 2004 URN must be well formed). */
export function interactionId(...parts) {
  const id = parts
    .map((part) => String(part))
    .join("_")
    .replace(/[^\u0021-\u007e]/g, "_")
    .replace(/^urn:/i, "urn_");
  return id.slice(0, 255) || "q";
}

/** Plain text of question HTML for a 2004 description (localized_string_type, SPM 250). */
export function description(text, limit = 250) {
  let plain = String(text || "")
    .replace(/<\/?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|blockquote)\b[^>]*>/gi, " ")
    .replace(/<[^>]*>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
  if (plain.startsWith("{")) plain = `(${plain.slice(1)}`; // "{lang=…}" would be read as a prefix
  const points = Array.from(plain);
  return points.length > limit ? `${points.slice(0, limit - 1).join("")}…` : plain;
}

// ------------------------------------------------------------------------------ status

/** Reporting modes: what to report once the criteria are met (the quiz passed, or every
 * page seen without a quiz) and when a quiz was failed. */
export const REPORTING = {
  "passed-incomplete": { met: "passed", failed: "incomplete" },
  "passed-failed": { met: "passed", failed: "failed" },
  "completed-incomplete": { met: "completed", failed: "incomplete" },
  "completed-failed": { met: "completed", failed: "failed" },
};

/** Outcomes, ranked: a relaunch never reports a lower one than the LMS already has. */
export const PENDING = 0;
export const FAILED = 1;
export const MET = 2;

function mode(reporting) {
  return REPORTING[reporting] || REPORTING["passed-incomplete"];
}

// ---------------------------------------------------------------------------- adapters

const RESULT_12 = { correct: "correct", incorrect: "wrong", neutral: "neutral" };
const RESULT_2004 = { correct: "correct", incorrect: "incorrect", neutral: "neutral" };

/** SCORM 1.2 (API: LMSInitialize, LMSGetValue…). */
const SCORM12 = {
  version: "1.2",
  apiName: "API",
  initialize: (api) => api.LMSInitialize(""),
  terminate: (api) => api.LMSFinish(""),
  getValue: (api, key) => api.LMSGetValue(key),
  setValue: (api, key, value) => api.LMSSetValue(key, value),
  commit: (api) => api.LMSCommit(""),
  lastError: (api) => String(api.LMSGetLastError()),
  errorString: (api, code) => String(api.LMSGetErrorString(code)),
  keys: { location: "cmi.core.lesson_location", suspend: "cmi.suspend_data", entry: "cmi.core.entry" },
  /** The outcome the LMS has stored. */
  storedOutcome(get) {
    const status = get("cmi.core.lesson_status");
    if (status === "passed" || status === "completed") return MET;
    if (status === "failed") return FAILED;
    return PENDING;
  },
  statusValues(reporting, outcome) {
    const words = mode(reporting);
    const status = outcome === MET ? words.met : outcome === FAILED ? words.failed : "incomplete";
    return [["cmi.core.lesson_status", status]];
  },
  scoreValues(percent) {
    return [
      ["cmi.core.score.min", "0"],
      ["cmi.core.score.max", "100"],
      ["cmi.core.score.raw", score100(percent)],
    ];
  },
  exitValues(outcome, elapsedMs) {
    return [
      ["cmi.core.exit", outcome === MET ? "" : "suspend"],
      ["cmi.core.session_time", sessionTime12(elapsedMs)],
    ];
  },
  /** Values of one interaction n; `item` as built by sco.js (see interactionValues). */
  interactionValues(n, item) {
    const base = `cmi.interactions.${n}.`;
    const values = [
      [`${base}id`, item.id],
      [`${base}type`, item.type === "long-fill-in" ? "fill-in" : item.type],
      [`${base}time`, time12(item.date)],
      [`${base}weighting`, decimal(Math.min(100, item.weighting), 2)],
    ];
    item.patterns.forEach((pattern, index) => values.push([`${base}correct_responses.${index}.pattern`, pattern]));
    values.push([`${base}student_response`, item.response]);
    values.push([`${base}result`, RESULT_12[item.result]]);
    return values;
  },
  interactionCount: (get) => Number(get("cmi.interactions._count")) || 0,
  maxInteractions: 1000,
  suspendLimit: 4096,
  locationLimit: 255,
};

/** SCORM 2004 4th Edition (API_1484_11: Initialize, GetValue…). */
const SCORM2004 = {
  version: "2004",
  apiName: "API_1484_11",
  initialize: (api) => api.Initialize(""),
  terminate: (api) => api.Terminate(""),
  getValue: (api, key) => api.GetValue(key),
  setValue: (api, key, value) => api.SetValue(key, value),
  commit: (api) => api.Commit(""),
  lastError: (api) => String(api.GetLastError()),
  errorString: (api, code) => String(api.GetErrorString(code)),
  keys: { location: "cmi.location", suspend: "cmi.suspend_data", entry: "cmi.entry" },
  storedOutcome(get) {
    const completion = get("cmi.completion_status");
    const success = get("cmi.success_status");
    if (success === "passed" || (completion === "completed" && success !== "failed")) return MET;
    if (success === "failed") return FAILED;
    return PENDING;
  },
  /** "passed" = completion completed + success passed; "completed" leaves success unknown;
   * "failed" = completed + failed; "incomplete" = incomplete + unknown. */
  statusValues(reporting, outcome) {
    const words = mode(reporting);
    const word = outcome === MET ? words.met : outcome === FAILED ? words.failed : "incomplete";
    const table = {
      passed: ["completed", "passed"],
      completed: ["completed", "unknown"],
      failed: ["completed", "failed"],
      incomplete: ["incomplete", "unknown"],
    };
    const [completion, success] = table[word];
    return [
      ["cmi.completion_status", completion],
      ["cmi.success_status", success],
    ];
  },
  scoreValues(percent) {
    const raw = Math.min(100, Math.max(0, Number(percent) || 0));
    return [
      ["cmi.score.scaled", decimal(raw / 100, 4)],
      ["cmi.score.raw", score100(raw)],
      ["cmi.score.min", "0"],
      ["cmi.score.max", "100"],
    ];
  },
  exitValues(outcome, elapsedMs) {
    return [
      ["cmi.exit", outcome === MET ? "normal" : "suspend"],
      ["cmi.session_time", duration2004(elapsedMs)],
    ];
  },
  interactionValues(n, item) {
    const base = `cmi.interactions.${n}.`;
    const values = [
      [`${base}id`, item.id],
      [`${base}type`, item.type],
      [`${base}timestamp`, timestamp2004(item.date)],
      [`${base}weighting`, decimal(item.weighting, 2)],
    ];
    item.patterns.forEach((pattern, index) => values.push([`${base}correct_responses.${index}.pattern`, pattern]));
    if (item.response !== "") values.push([`${base}learner_response`, item.response]);
    values.push([`${base}result`, RESULT_2004[item.result]]);
    if (item.description) values.push([`${base}description`, description(item.description)]);
    return values;
  },
  interactionCount: (get) => Number(get("cmi.interactions._count")) || 0,
  maxInteractions: 250, // the SPM an LMS must keep
  suspendLimit: 64000,
  locationLimit: 1000,
};

export const ADAPTERS = { "1.2": SCORM12, 2004: SCORM2004 };

/** The adapter of a package's SCORM version ("1.2" or "2004"). */
export function adapterFor(version) {
  return String(version).startsWith("2004") ? SCORM2004 : SCORM12;
}

/** The result word of an interaction from a grade fraction. */
export function interactionResult(fraction, manual = false) {
  if (manual) return "neutral";
  return fraction >= 1 ? "correct" : "incorrect";
}

/** Find the LMS API the standard way: this window and its parents up to the top (bounded,
 * cross-origin frames skipped), then the opener and its parents. */
export function findApi(win, name, maxDepth = 20) {
  const search = (start) => {
    let current = start;
    for (let depth = 0; current && depth <= maxDepth; depth += 1) {
      try {
        if (current[name]) return current[name];
      } catch {
        /* a cross-origin frame: keep walking up */
      }
      let parent = null;
      try {
        parent = current.parent;
      } catch {
        parent = null;
      }
      if (!parent || parent === current) break;
      current = parent;
    }
    return null;
  };
  let api = search(win);
  if (api) return api;
  try {
    if (win.opener && !win.opener.closed) api = search(win.opener);
  } catch {
    api = null;
  }
  if (api) return api;
  try {
    if (win.top && win.top.opener) api = search(win.top.opener);
  } catch {
    api = null;
  }
  return api || null;
}
