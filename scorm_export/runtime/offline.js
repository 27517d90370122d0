/**
 * OfflineBackend: the quiz player's backend inside a SCORM package. It draws, saves and
 * grades attempts in memory with the offline grader, giving the player the same JSON as
 * the site's API (quizzes/selectors.attempt_payload) and keeping to the quiz's settings as
 * quizzes/services.py and quizzes/review.py do: fixed and random slots, shuffling, attempts
 * allowed, time limit, pass mark, review options, overall feedback and grading method.
 *
 * Its state (seed, start time, answers and result of every attempt) goes to suspend_data
 * through `exportState()` / the `state` option; the questions of an attempt follow from
 * its seed. `onChange(kind)` is called after "save", "start" and "submit".
 *
 * Differences from the site, by necessity: essays cannot be graded by a person here, so
 * they score 0 and the attempt is graded at once; the quiz never "closes", so the
 * "immediately" review options apply.
 */

import { gradeAnswer, parseNumber } from "./grader.js";
import { decodeAnswer, encodeAnswer } from "./suspend.js";

const REVIEW_DEFAULTS = ["correctness", "marks", "feedback", "general_feedback", "overall_feedback"];

/** A small seeded PRNG (mulberry32): the same seed draws the same questions on every LMS. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed from a text (FNV-1a), for the per-question shuffles "seed:position". */
export function hashSeed(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

function shuffle(items, random) {
  const result = [...items];
  for (let i = result.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [result[i], result[j]] = [result[j], result[i]];
  }
  return result;
}

function newSeed() {
  try {
    return crypto.getRandomValues(new Uint32Array(1))[0];
  } catch {
    return Math.floor(Math.random() * 4294967296);
  }
}

const clone = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

/** Per-type shuffling of the player data, as each Python type's player_data does with an
 * rng. `allowed` is the question's own shuffle setting (`shuffle` in its config, default
 * true); matching answers are always shuffled, ordering items never shown in key order. */
const SHUFFLERS = {
  single_choice: (data, random, allowed) => (allowed ? { ...data, options: shuffle(data.options, random) } : data),
  multiple_response: (data, random, allowed) => (allowed ? { ...data, options: shuffle(data.options, random) } : data),
  matching: (data, random, allowed) => ({
    ...data,
    prompts: allowed ? shuffle(data.prompts, random) : data.prompts,
    answers: shuffle(data.answers, random),
  }),
  ordering: (data, random, allowed, q) => {
    let items = shuffle(data.items, random);
    // Asked of the grader, which knows the key also when it is hidden (hashed).
    const inKeyOrder = gradeAnswer(q, { order: items.map((item) => item.id) }).fraction === 1;
    if (inKeyOrder) items = [...items.slice(1), items[0]];
    return { ...data, items };
  },
  cloze: (data, random, allowed) =>
    allowed ? { ...data, gaps: data.gaps.map((gap) => (gap.options ? { ...gap, options: shuffle(gap.options, random) } : gap)) } : data,
};

/** Money-like rounding of non-negative numbers to hundredths, half up (Decimal ROUND_HALF_UP
 * in services._mark and _total), done in integers. */
function hundredths(numerator, denominator) {
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

export class OfflineBackend {
  /**
   * quiz: one entry of sco-config `quizzes`; state: {attempts} from suspend data;
   * errorClass: the player's BackendError; strings: the SCO's strings;
   * onChange(kind): called after every change worth saving; now(): the clock (tests).
   */
  constructor({ quiz, state = null, errorClass = Error, strings = {}, onChange = () => {}, now = () => Date.now() } = {}) {
    this.quiz = quiz;
    this.ErrorClass = errorClass;
    this.strings = strings;
    this.onChange = onChange;
    this.now = now;
    this.attempts = ((state && state.attempts) || []).map((saved, index) => this.restore(saved, index + 1));
  }

  // -- drawing

  /** The questions of an attempt with this seed: [{q, mark, data}] in position order. */
  draw(seed) {
    const random = prng(seed);
    const slots = this.quiz.slots || [];
    const fixed = (slot) => (slot.questions || []).length <= (slot.count ?? 1);
    const used = new Set(slots.filter(fixed).flatMap((slot) => slot.questions.map((q) => q.id)));
    let drawn = [];
    for (const slot of slots) {
      const count = slot.count ?? 1;
      let picked;
      if (fixed(slot)) picked = slot.questions;
      else {
        const pool = slot.questions.filter((q) => !used.has(q.id));
        picked = shuffle(pool, random).slice(0, count);
        picked.forEach((q) => used.add(q.id));
      }
      drawn.push(...picked.map((q) => ({ q, mark: Number(q.mark ?? slot.mark ?? 1) })));
    }
    if (this.quiz.shuffleQuestions) drawn = shuffle(drawn, random);
    return drawn.map((item, index) => {
      const position = index + 1;
      let data = clone(item.q.data) || {};
      const shuffler = SHUFFLERS[item.q.type];
      if (this.quiz.shuffleOptions && shuffler) data = shuffler(data, prng(hashSeed(`${seed}:${position}`)), item.q.shuffle !== false, item.q);
      return { ...item, position, data };
    });
  }

  restore(saved, number) {
    const questions = this.draw(saved.seed);
    const answers = new Map();
    questions.forEach((item, index) => {
      const answer = decodeAnswer(item.q, (saved.codes || [])[index]);
      if (answer !== null) answers.set(item.position, answer);
    });
    const attempt = {
      id: `${this.quiz.key}-${number}`,
      number,
      seed: saved.seed,
      started: saved.started,
      state: saved.state,
      timedOut: saved.timedOut,
      percent: saved.percent,
      answers,
      questions,
      reviewLost: saved.state !== "in_progress" && !(saved.codes || []).length,
    };
    if (attempt.state !== "in_progress") attempt.graded = this.gradeAll(attempt);
    return attempt;
  }

  exportState() {
    return {
      attempts: this.attempts.map((attempt) => ({
        seed: attempt.seed,
        started: attempt.started,
        state: attempt.state,
        timedOut: attempt.timedOut,
        percent: attempt.percent,
        codes: attempt.reviewLost ? [] : attempt.questions.map((item) => encodeAnswer(item.q, attempt.answers.get(item.position))),
      })),
    };
  }

  // -- grading

  gradeAll(attempt) {
    let score = 0;
    let max = 0;
    const questions = attempt.questions.map((item) => {
      const answer = attempt.answers.has(item.position) ? attempt.answers.get(item.position) : null;
      const graded = gradeAnswer(item.q, answer);
      const markCents = Math.round(item.mark * 100);
      const fraction7 = Math.round(graded.fraction * 1e7);
      const mark = hundredths(fraction7 * markCents, 1e7);
      score += mark;
      max += markCents;
      return { ...item, answer, graded, markCents: mark };
    });
    const percent = max ? hundredths(score * 10000, max) / 100 : 0;
    return { questions, scoreCents: score, maxCents: max, percent };
  }

  /** The attempt's percent (as submitted), whether passed, for the SCO's report. */
  results() {
    return this.attempts.filter((attempt) => attempt.state !== "in_progress").map((attempt) => attempt.percent);
  }

  /** The quiz grade by its grading method (highest, average, first, last), or null. */
  grade() {
    const percents = this.results();
    if (!percents.length) return null;
    const method = this.quiz.gradingMethod || "highest";
    if (method === "first") return percents[0];
    if (method === "last") return percents[percents.length - 1];
    if (method === "average") return hundredths(Math.round(percents.reduce((a, b) => a + b, 0) * 100), percents.length) / 100;
    return Math.max(...percents);
  }

  passed() {
    const grade = this.grade();
    return grade === null ? null : grade >= Number(this.quiz.passMark || 0);
  }

  // -- the player's backend interface

  error(status, code, detail) {
    return new this.ErrorClass(status, { code, detail: detail || this.strings[code] || code });
  }

  inProgress() {
    const attempt = this.attempts.find((item) => item.state === "in_progress") || null;
    if (attempt && this.overdue(attempt)) {
      this.close(attempt, true);
      return null;
    }
    return attempt;
  }

  deadline(attempt) {
    return this.quiz.timeLimit ? attempt.started + this.quiz.timeLimit * 1000 : null;
  }

  overdue(attempt) {
    const deadline = this.deadline(attempt);
    return deadline !== null && this.now() >= deadline;
  }

  async info() {
    const current = this.inProgress();
    return {
      quiz: {
        id: this.quiz.key,
        title: this.quiz.title,
        pass_mark: Number(this.quiz.passMark || 0),
        attempts_allowed: Number(this.quiz.attemptsAllowed || 0),
        attempts_used: this.attempts.length,
        time_limit_seconds: this.quiz.timeLimit || null,
        grading_method: this.quiz.gradingMethod || "highest",
      },
      inProgress: current ? this.payload(current) : null,
    };
  }

  async start() {
    const current = this.inProgress();
    if (current) return this.payload(current);
    const allowed = Number(this.quiz.attemptsAllowed || 0);
    if (allowed && this.attempts.length >= allowed) {
      throw this.error(409, "no_attempts_left", this.strings.noAttemptsLeft || "No attempts left.");
    }
    const seed = newSeed();
    const number = this.attempts.length + 1;
    const attempt = {
      id: `${this.quiz.key}-${number}`,
      number,
      seed,
      started: Math.floor(this.now() / 1000) * 1000,
      state: "in_progress",
      timedOut: false,
      percent: null,
      answers: new Map(),
      questions: this.draw(seed),
      reviewLost: false,
    };
    this.attempts.push(attempt);
    this.onChange("start");
    return this.payload(attempt);
  }

  find(attemptId) {
    const attempt = this.attempts.find((item) => item.id === attemptId);
    if (!attempt) throw this.error(404, "not_found", "Not found.");
    return attempt;
  }

  async load(attemptId) {
    const attempt = this.find(attemptId);
    if (attempt.state === "in_progress" && this.overdue(attempt)) this.close(attempt, true);
    return this.payload(attempt);
  }

  async save(attemptId, position, answer) {
    const attempt = this.find(attemptId);
    if (attempt.state !== "in_progress") throw this.error(409, "attempt_closed");
    if (this.overdue(attempt)) {
      this.close(attempt, true);
      throw this.error(409, "time_up");
    }
    const item = attempt.questions.find((question) => question.position === position);
    if (!item) throw this.error(404, "not_found", "Not found.");
    if (item.q.type === "numerical" && answer && answer.value !== undefined) {
      // The API refuses what is not a number with a known unit (numerical.clean_answer).
      const parsed = parseNumber(String(answer.value), (item.q.grader && item.q.grader.units) || []);
      const units = ((item.q.grader && item.q.grader.units) || []).map((unit) => unit.unit).join(", ");
      if (!parsed) throw new this.ErrorClass(400, { value: [this.strings.invalidNumber || "Enter a number (with a unit from the list, if any)."] });
      if (!parsed.unit && item.q.grader.unit_required) throw new this.ErrorClass(400, { value: [(this.strings.unitsRequired || "Give a unit: {units}.").replace("{units}", units)] });
    }
    if (answer === null) attempt.answers.delete(position);
    else attempt.answers.set(position, clone(answer));
    this.onChange("save");
    return { position, answer, answered_at: new Date(this.now()).toISOString() };
  }

  async submit(attemptId) {
    const attempt = this.find(attemptId);
    if (attempt.state !== "in_progress") throw this.error(409, "attempt_closed");
    this.close(attempt, this.overdue(attempt));
    return this.payload(attempt);
  }

  close(attempt, timedOut) {
    attempt.graded = this.gradeAll(attempt);
    attempt.state = "submitted";
    attempt.timedOut = timedOut;
    attempt.percent = attempt.graded.percent;
    attempt.submittedAt = this.now();
    this.onChange("submit", attempt);
  }

  // -- the API's JSON

  shown() {
    const options = this.quiz.reviewOptions || {};
    return new Set(Array.isArray(options.immediately) ? options.immediately : REVIEW_DEFAULTS);
  }

  overallFeedback(percent) {
    const bands = [...(this.quiz.overallFeedback || [])].sort((a, b) => (b.min || 0) - (a.min || 0));
    const band = bands.find((item) => percent >= (item.min || 0));
    return band ? band.text || "" : "";
  }

  payload(attempt) {
    const submitted = attempt.state !== "in_progress";
    const shown = submitted ? this.shown() : new Set();
    const deadline = this.deadline(attempt);
    const graded = submitted ? attempt.graded : null;
    const payload = {
      id: attempt.id,
      quiz: this.quiz.key,
      quiz_title: this.quiz.title || "",
      number: attempt.number,
      state: submitted ? "submitted" : "in_progress",
      layout: this.quiz.layout === "all" || this.quiz.layout === "all_on_one_page" ? "all" : "one_per_page",
      started_at: new Date(attempt.started).toISOString(),
      deadline: deadline === null ? null : new Date(deadline).toISOString(),
      seconds_left: !submitted && deadline !== null ? Math.max(0, Math.floor((deadline - this.now()) / 1000)) : null,
      submitted_at: submitted ? new Date(attempt.submittedAt || attempt.started).toISOString() : null,
      timed_out: Boolean(attempt.timedOut),
      result: null,
      questions: [],
    };
    if (submitted) {
      const result = { needs_grading: false };
      if (shown.has("marks")) {
        // The stored percent is the one reported; a review whose answers were dropped from
        // suspend data still shows the right result.
        const percent = attempt.percent ?? graded.percent;
        Object.assign(result, {
          score: attempt.reviewLost ? Math.round(percent * graded.maxCents) / 10000 : graded.scoreCents / 100,
          max_score: graded.maxCents / 100,
          percent,
          passed: percent >= Number(this.quiz.passMark || 0),
          pass_mark: Number(this.quiz.passMark || 0),
        });
      }
      if (shown.has("overall_feedback")) result.overall_feedback = this.overallFeedback(attempt.percent ?? graded.percent);
      payload.result = result;
    }
    const source = submitted ? graded.questions : attempt.questions;
    payload.questions = source.map((item) => {
      const q = item.q;
      const question = {
        position: item.position,
        type: q.type,
        widget: q.widget || q.type,
        text: q.text || "",
        max_mark: item.mark,
        data: item.data,
        answer: attempt.answers.has(item.position) ? clone(attempt.answers.get(item.position)) : null,
      };
      if (submitted && !attempt.reviewLost) {
        const { fraction, feedback, needsManualGrading } = item.graded;
        if (shown.has("correctness") && !needsManualGrading) question.correctness = fraction >= 1 ? "correct" : fraction > 0 ? "partial" : "incorrect";
        if (shown.has("marks")) question.mark = item.markCents / 100;
        if (shown.has("feedback")) question.feedback = feedback || "";
        if (shown.has("general_feedback")) question.general_feedback = q.generalFeedback || "";
        if (shown.has("right_answer") && q.rightAnswer !== undefined) question.right_answer = q.rightAnswer;
      }
      return question;
    });
    return payload;
  }
}
