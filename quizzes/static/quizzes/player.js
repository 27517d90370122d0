/**
 * The trainee's quiz player: one plain ES module, no build step, no dependencies.
 *
 * Three parts, so that the same player can later run offline inside a SCORM package:
 *
 * 1. A backend: any object with start(quizId), load(attemptId), save(attemptId, position,
 *    answer) and submit(attemptId), each returning a promise of the API's JSON (an attempt,
 *    or the saved answer). Failures are thrown as `BackendError` {status, body, code}
 *    (status 0 = no network). An optional info(quizId) → {quiz, inProgress} fills the
 *    start screen. `ApiBackend` talks to /api/v1/ on this site.
 * 2. `widgets`: one entry per question widget (the type name), each
 *    {render(question, container, onChange, ctx), readAnswer(container, question),
 *    format(question, answer, ctx)}. `render` builds the inputs inside `container` from
 *    `question.data` and `question.answer`, and calls onChange("input") while the trainee
 *    types or onChange("change") when an answer is chosen; `readAnswer` returns the answer
 *    in the type's shape (or null for "nothing chosen yet"); `format` returns a node showing
 *    an answer on the result page. The DOM is the widget's only state.
 * 3. `QuizPlayer`: start or resume, navigation, autosave, timer, submit, result and review.
 *
 * UI strings come from the JSON the template embeds (translated by Django); the English
 * strings below are fallbacks only.
 */

export const FALLBACK_STRINGS = {
  loading: "Loading…",
  start: "Start the quiz",
  continue: "Continue the quiz",
  startNew: "Start a new attempt",
  inProgress: "You have an unfinished attempt. You can continue where you left off.",
  attemptsUsed: "Attempts used: {used} of {allowed}",
  attemptsUnlimited: "Attempts used: {used} (no limit)",
  noAttemptsLeft: "You have used all your attempts at this quiz.",
  timeLimit: "Time limit: {time}",
  timeLimitNote: "The time starts when you start the quiz and keeps running if you leave the page.",
  passMark: "Pass mark: {percent}",
  questionOf: "Question {n} of {total}",
  question: "Question {n}",
  questionMarks: "Marks: {mark}",
  questions: "Questions",
  navAnswered: "answered",
  navUnanswered: "not answered",
  previous: "Previous",
  next: "Next",
  submit: "Submit answers",
  confirmTitle: "Submit your answers?",
  confirmText: "After submitting you cannot change your answers.",
  confirmUnanswered: "Questions without an answer: {list}.",
  confirmAllAnswered: "You have answered every question.",
  confirmSubmit: "Submit",
  confirmCancel: "Back to the questions",
  submitting: "Submitting…",
  autosaveInfo: "Your answers are saved automatically.",
  saving: "Saving…",
  saved: "Saved",
  saveError: "Saving failed – try again",
  saveInvalid: "Not saved – check your answer to question {n}",
  retry: "Try again",
  unsavedBeforeSubmit: "Some answers could not be saved. Check your connection and try again.",
  timeLeft: "Time left",
  fiveMinutesLeft: "5 minutes left.",
  oneMinuteLeft: "1 minute left.",
  timeUp: "Time is up. Your saved answers are being graded…",
  attemptClosed: "This attempt has already been submitted.",
  showResult: "Show the result",
  networkError: "No connection to the server. Check your connection and try again.",
  sessionExpired: "You have been signed out. Sign in again and reload this page; your saved answers are kept.",
  genericError: "Something went wrong. Try again.",
  unknownWidget: "This question cannot be shown.",
  trueLabel: "True",
  falseLabel: "False",
  selectAll: "Select every correct answer.",
  yourAnswer: "Your answer",
  numberHint: "You can use a comma or a full stop for decimals.",
  unitsOptional: "You can add a unit: {units}.",
  unitsRequired: "Give a unit: {units}.",
  choose: "Choose…",
  orderingHint: "Put the items in the right order with the arrow buttons.",
  moveUp: "Move up: {item}",
  moveDown: "Move down: {item}",
  moved: "“{item}” is now in position {position} of {total}.",
  gapOf: "Gap {n} of {total}",
  gap: "Gap {n}",
  minWords: "Minimum number of words: {count}.",
  maxWords: "Maximum number of words: {count}.",
  wordCount: "Words: {count}",
  resultTitle: "Result",
  submitted: "Your answers have been submitted.",
  timedOut: "The time ran out; the answers saved before then were graded.",
  score: "Score: {score} of {max} points ({percent})",
  passed: "Passed",
  failed: "Not passed",
  needsGrading: "Some answers will be graded by an instructor; the final result will be available later.",
  reviewTitle: "Your answers",
  answerGiven: "Your answer:",
  noAnswer: "No answer",
  rightAnswer: "Correct answer:",
  correct: "Correct",
  partial: "Partly correct",
  incorrect: "Incorrect",
  mark: "Points: {mark} of {max}",
  markPending: "Points: awaiting grading",
  feedback: "Feedback:",
  generalFeedback: "Explanation:",
  graderComment: "Instructor's comment:",
};

/** A function t(key, params) over the given strings, falling back to English. */
export function translator(strings = {}) {
  const all = { ...FALLBACK_STRINGS, ...strings };
  return (key, params = {}) =>
    String(all[key] ?? key).replace(/\{(\w+)\}/g, (match, name) =>
      name in params ? String(params[name]) : match,
    );
}

// ------------------------------------------------------------------------------- DOM helpers

/** Create an element. props: class, text, html, on: {event: handler}, data- and aria- and
 * other attributes (true → present, false/null/undefined → absent). */
export function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "html") node.innerHTML = value;
    else if (key === "on") for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of [].concat(children)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Plain text that keeps the editor's line breaks (feedback, typed answers). */
function textBlock(text, className = "") {
  return el("span", { class: `quiz-player__pre ${className}`.trim(), text: text ?? "" });
}

function addDescribedBy(node, id) {
  const ids = new Set((node.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean));
  ids.add(id);
  node.setAttribute("aria-describedby", [...ids].join(" "));
}

function removeDescribedBy(node, id) {
  const ids = (node.getAttribute("aria-describedby") || "").split(/\s+/).filter((x) => x && x !== id);
  if (ids.length) node.setAttribute("aria-describedby", ids.join(" "));
  else node.removeAttribute("aria-describedby");
}

function clock(seconds) {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const pad = (n) => String(n).padStart(2, "0");
  return h ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}

function wordCount(text) {
  const trimmed = text.trim();
  return trimmed ? trimmed.split(/\s+/).length : 0;
}

function browserStorage() {
  try {
    const storage = window.localStorage;
    const probe = "quiz-player:probe";
    storage.setItem(probe, "1");
    storage.removeItem(probe);
    return storage;
  } catch {
    return null; // private mode, disabled storage, a sandboxed SCORM frame…
  }
}

// ----------------------------------------------------------------------------------- backend

export class BackendError extends Error {
  constructor(status, body = null, cause = undefined) {
    super((body && body.detail) || (status ? `HTTP ${status}` : "Network error"));
    this.name = "BackendError";
    this.status = status; // 0 = the request never got an answer
    this.body = body;
    this.code = body && typeof body.code === "string" ? body.code : "";
    if (cause) this.cause = cause;
  }
}

function cookie(name) {
  for (const part of document.cookie ? document.cookie.split(";") : []) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return "";
}

/** The site's REST API (see /api/schema/). Same-origin session cookie + CSRF token. */
export class ApiBackend {
  constructor({ apiRoot = "/api/v1/", csrfToken = "", userId = "", language = "" } = {}) {
    this.apiRoot = apiRoot.endsWith("/") ? apiRoot : `${apiRoot}/`;
    this.csrfToken = csrfToken;
    this.userId = userId;
    this.language = language;
  }

  async request(method, path, body, { keepalive = false } = {}) {
    const headers = { Accept: "application/json" };
    // Questions are drawn in the request's language: send the page's, not the browser's.
    if (this.language) headers["Accept-Language"] = this.language;
    const init = { method, headers, credentials: "same-origin" };
    if (method !== "GET") headers["X-CSRFToken"] = cookie("csrftoken") || this.csrfToken;
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
      // Lets a save finish while the page is being closed (bodies under 64 kB only).
      if (keepalive && init.body.length < 60000) init.keepalive = true;
    }
    let response;
    let text;
    try {
      response = await fetch(this.apiRoot + path, init);
      text = await response.text();
    } catch (error) {
      throw new BackendError(0, null, error);
    }
    let data = null;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = null; // an HTML error page from a proxy
      }
    }
    if (!response.ok) throw new BackendError(response.status, data);
    return data;
  }

  async info(quizId) {
    const filter = new URLSearchParams({ quiz: quizId, state: "in_progress" });
    if (this.userId) filter.set("user", this.userId);
    const [quiz, attempts] = await Promise.all([
      this.request("GET", `quizzes/${quizId}/`),
      this.request("GET", `attempts/?${filter}`),
    ]);
    return { quiz, inProgress: (attempts && attempts.results && attempts.results[0]) || null };
  }

  start(quizId) {
    return this.request("POST", `quizzes/${quizId}/attempts/`);
  }

  load(attemptId) {
    return this.request("GET", `attempts/${attemptId}/`);
  }

  save(attemptId, position, answer) {
    return this.request("PUT", `attempts/${attemptId}/answers/${position}/`, { answer }, { keepalive: true });
  }

  submit(attemptId) {
    return this.request("POST", `attempts/${attemptId}/submit/`);
  }
}

/**
 * The question editor's preview (quizzes/question_preview.html): no attempt on the server.
 * `attempt` is the page's one-question attempt (answers null); start() and load() hand out
 * a copy of it, save() keeps answers in memory, and submit() asks the admin to grade each
 * answer (POST `grading.url` {type, definition, answer} → {fraction, feedback, correctness,
 * right_answer, …}) and returns the attempt graded, with every review option shown. Each
 * start() is a fresh try ("Try again" on the result page).
 */
export class PreviewBackend {
  constructor({ attempt, grading, csrfToken = "" } = {}) {
    this.template = attempt;
    this.grading = grading || {};
    this.csrfToken = csrfToken;
    this.tries = 0;
    this.attempt = null;
    this.answers = new Map();
  }

  /** Unlimited tries, no time limit: the result page offers another go. */
  info() {
    return Promise.resolve({ quiz: { attempts_allowed: 0, attempts_used: this.tries }, inProgress: null });
  }

  start() {
    this.tries += 1;
    this.answers = new Map();
    // A new id per try keeps the player's element ids and stored keys apart from real attempts.
    this.attempt = { ...JSON.parse(JSON.stringify(this.template)), id: `preview-${this.tries}` };
    return this.load(this.attempt.id);
  }

  load() {
    if (!this.attempt) return this.start();
    const copy = JSON.parse(JSON.stringify(this.attempt));
    for (const question of copy.questions) {
      if (this.answers.has(question.position)) question.answer = this.answers.get(question.position);
    }
    return Promise.resolve(copy);
  }

  save(attemptId, position, answer) {
    this.answers.set(position, answer);
    return Promise.resolve({ position, answer, answered_at: new Date().toISOString() });
  }

  async grade(question, answer) {
    const body = { type: this.grading.type || question.type, definition: this.grading.definition, answer };
    let response;
    let data = null;
    try {
      response = await fetch(this.grading.url, {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json", "Content-Type": "application/json", "X-CSRFToken": cookie("csrftoken") || this.csrfToken },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      try {
        data = text ? JSON.parse(text) : null;
      } catch {
        data = null;
      }
    } catch (error) {
      throw new BackendError(0, null, error);
    }
    if (!response.ok) throw new BackendError(response.status, data);
    return data;
  }

  async submit() {
    const attempt = await this.load();
    let score = 0;
    let maxScore = 0;
    let needsGrading = false;
    for (const question of attempt.questions) {
      const graded = await this.grade(question, question.answer ?? null);
      const max = Number(question.max_mark) || 0;
      maxScore += max;
      if (graded.answer !== undefined) question.answer = graded.answer;
      if (graded.correctness) question.correctness = graded.correctness;
      if (graded.needs_manual_grading) {
        needsGrading = true;
        question.mark = null;
      } else {
        question.mark = Math.round(graded.fraction * max * 100) / 100;
        score += question.mark;
      }
      question.feedback = graded.feedback || "";
      question.right_answer = graded.right_answer ?? null;
      question.general_feedback = this.grading.general_feedback || "";
    }
    this.attempt = null; // this try is over: the next start() begins afresh
    return {
      ...attempt,
      state: "submitted",
      submitted_at: new Date().toISOString(),
      result: { needs_grading: needsGrading, score, max_score: maxScore, percent: maxScore ? Math.round((score / maxScore) * 10000) / 100 : 0 },
    };
  }
}

// ----------------------------------------------------------------------------------- widgets

function optionList(question, container, onChange, ctx, { type, field, checked }) {
  const name = ctx.id(field);
  const list = el("div", { class: "quiz-options" });
  for (const option of question.data.options || question.data.choices) {
    const input = el("input", {
      type,
      name,
      id: ctx.id(`${field}-${option.id}`),
      value: option.value ?? option.id,
      "data-field": field,
      checked: checked(option),
    });
    list.append(el("label", { class: "quiz-option" }, [input, el("span", { class: "quiz-option__text", text: option.text })]));
  }
  list.addEventListener("change", () => onChange("change"));
  container.append(list);
}

function textInput(container, onChange, ctx, { value, field, maxLength, hints = [], multiline = false }) {
  const id = ctx.id(field);
  const hintNodes = hints.map((hint, index) => el("p", { class: "quiz-question__hint", id: ctx.id(`hint-${index}`), text: hint }));
  const input = el(multiline ? "textarea" : "input", {
    id,
    type: multiline ? null : "text",
    rows: multiline ? 8 : null,
    class: multiline ? "quiz-input quiz-input--long" : "quiz-input",
    maxlength: maxLength || null,
    autocomplete: "off",
    spellcheck: multiline ? "true" : "false",
    "data-field": field,
    "aria-describedby": hintNodes.map((node) => node.id).join(" ") || null,
  });
  input.value = value ?? "";
  input.addEventListener("input", () => onChange("input"));
  input.addEventListener("change", () => onChange("change"));
  container.append(el("div", { class: "quiz-field" }, [el("label", { for: id, text: ctx.t("yourAnswer") }), ...hintNodes, input]));
  return input;
}

function orderedItems(items, order) {
  if (!Array.isArray(order)) return items;
  const byId = new Map(items.map((item) => [item.id, item]));
  const sorted = order.filter((id) => byId.has(id)).map((id) => byId.get(id));
  return sorted.length === items.length ? sorted : items;
}

function textList(texts, ordered = false) {
  return el(ordered ? "ol" : "ul", { class: "quiz-review__list" }, texts.map((text) => el("li", { text })));
}

export const widgets = {
  single_choice: {
    render(question, container, onChange, ctx) {
      const chosen = question.answer && question.answer.option;
      optionList(question, container, onChange, ctx, { type: "radio", field: "option", checked: (option) => option.id === chosen });
    },
    readAnswer(container) {
      const input = container.querySelector('input[type="radio"]:checked');
      return input ? { option: input.value } : null;
    },
    format(question, answer) {
      const option = question.data.options.find((item) => item.id === answer.option);
      return document.createTextNode(option ? option.text : answer.option);
    },
  },

  multiple_response: {
    render(question, container, onChange, ctx) {
      const chosen = new Set((question.answer && question.answer.options) || []);
      container.append(ctx.describe(el("p", { class: "quiz-question__hint", text: ctx.t("selectAll") })));
      optionList(question, container, onChange, ctx, { type: "checkbox", field: "options", checked: (option) => chosen.has(option.id) });
    },
    readAnswer(container) {
      return { options: [...container.querySelectorAll('input[type="checkbox"]:checked')].map((input) => input.value) };
    },
    format(question, answer, ctx) {
      const texts = question.data.options.filter((option) => answer.options.includes(option.id)).map((option) => option.text);
      return texts.length ? textList(texts) : document.createTextNode(ctx.t("noAnswer"));
    },
  },

  true_false: {
    render(question, container, onChange, ctx) {
      const chosen = question.answer ? question.answer.value : null;
      const values = question.data.values || [true, false];
      const choices = values.map((value) => ({ id: String(value), value: String(value), text: ctx.t(value ? "trueLabel" : "falseLabel") }));
      optionList({ data: { choices } }, container, onChange, ctx, { type: "radio", field: "value", checked: (choice) => chosen !== null && String(chosen) === choice.value });
    },
    readAnswer(container) {
      const input = container.querySelector('input[type="radio"]:checked');
      return input ? { value: input.value === "true" } : null;
    },
    format(question, answer, ctx) {
      return document.createTextNode(ctx.t(answer.value ? "trueLabel" : "falseLabel"));
    },
  },

  short_answer: {
    render(question, container, onChange, ctx) {
      textInput(container, onChange, ctx, { value: question.answer && question.answer.text, field: "text", maxLength: question.data.max_length });
    },
    readAnswer(container) {
      return { text: container.querySelector("input").value };
    },
    format(question, answer) {
      return textBlock(answer.text);
    },
  },

  numerical: {
    render(question, container, onChange, ctx) {
      const units = (question.data.units || []).join(", ");
      const hints = [ctx.t("numberHint")];
      if (units) hints.push(ctx.t(question.data.unit_required ? "unitsRequired" : "unitsOptional", { units }));
      const input = textInput(container, onChange, ctx, { value: question.answer && question.answer.value, field: "value", maxLength: 100, hints });
      input.classList.add("quiz-input--number");
    },
    readAnswer(container) {
      const value = container.querySelector("input").value.trim();
      return value ? { value } : null; // the API has no "no answer"; an empty box is not sent
    },
    format(question, answer, ctx) {
      return document.createTextNode(ctx.localNumber(answer.value));
    },
  },

  matching: {
    render(question, container, onChange, ctx) {
      const matches = (question.answer && question.answer.matches) || {};
      const list = el("div", { class: "quiz-matching" });
      for (const prompt of question.data.prompts) {
        const id = ctx.id(`match-${prompt.id}`);
        const select = el("select", { id, class: "quiz-select", "data-field": `matches.${prompt.id}` }, [
          el("option", { value: "", text: ctx.t("choose") }),
          ...question.data.answers.map((answer) => el("option", { value: answer.id, text: answer.text, selected: matches[prompt.id] === answer.id })),
        ]);
        select.addEventListener("change", () => onChange("change"));
        list.append(el("div", { class: "quiz-matching__row" }, [el("label", { for: id, class: "quiz-matching__prompt", text: prompt.text }), select]));
      }
      container.append(list);
    },
    readAnswer(container) {
      const matches = {};
      for (const select of container.querySelectorAll("select")) {
        if (select.value) matches[select.dataset.field.slice("matches.".length)] = select.value;
      }
      return { matches };
    },
    format(question, answer, ctx) {
      const texts = new Map(question.data.answers.map((item) => [item.id, item.text]));
      return el(
        "ul",
        { class: "quiz-review__list" },
        question.data.prompts.map((prompt) => {
          const chosen = answer.matches[prompt.id];
          return el("li", {}, [`${prompt.text} → `, chosen ? texts.get(chosen) ?? chosen : ctx.t("noAnswer")]);
        }),
      );
    },
  },

  ordering: {
    render(question, container, onChange, ctx) {
      const hint = ctx.describe(el("p", { class: "quiz-question__hint", text: ctx.t("orderingHint") }));
      const list = el("ol", { class: "quiz-ordering", "data-field": "order" });
      const items = orderedItems(question.data.items, question.answer && question.answer.order);
      const refresh = () => {
        const rows = [...list.children];
        rows.forEach((row, index) => {
          row.querySelector('[data-move="-1"]').setAttribute("aria-disabled", String(index === 0));
          row.querySelector('[data-move="1"]').setAttribute("aria-disabled", String(index === rows.length - 1));
        });
      };
      for (const item of items) {
        const button = (step, label, symbol) =>
          el("button", { type: "button", class: "quiz-ordering__move", "data-move": step, "aria-label": ctx.t(label, { item: item.text }) }, [
            el("span", { "aria-hidden": "true", text: symbol }),
          ]);
        list.append(
          el("li", { class: "quiz-ordering__item", "data-id": item.id }, [
            el("div", { class: "quiz-ordering__row" }, [
              el("span", { class: "quiz-ordering__text", text: item.text }),
              el("span", { class: "quiz-ordering__buttons" }, [button(-1, "moveUp", "↑"), button(1, "moveDown", "↓")]),
            ]),
          ]),
        );
      }
      list.addEventListener("click", (event) => {
        const button = event.target.closest("[data-move]");
        if (!button || button.getAttribute("aria-disabled") === "true") return;
        const row = button.closest("li");
        // Move the neighbour rather than the row, so the pressed button keeps the focus.
        if (button.dataset.move === "-1") row.after(row.previousElementSibling);
        else row.before(row.nextElementSibling);
        if (document.activeElement !== button) button.focus();
        refresh();
        const rows = [...list.children];
        ctx.announce(ctx.t("moved", { item: row.querySelector(".quiz-ordering__text").textContent, position: rows.indexOf(row) + 1, total: rows.length }));
        onChange("change");
      });
      refresh();
      container.append(hint, list);
    },
    readAnswer(container) {
      return { order: [...container.querySelectorAll(".quiz-ordering__item")].map((row) => row.dataset.id) };
    },
    format(question, answer) {
      return textList(orderedItems(question.data.items, answer.order).map((item) => item.text), true);
    },
  },

  cloze: {
    render(question, container, onChange, ctx) {
      const values = (question.answer && question.answer.gaps) || {};
      const gaps = new Map(question.data.gaps.map((gap) => [gap.id, gap]));
      const total = question.data.gaps.length;
      const paragraph = el("p", { class: "quiz-cloze" });
      let n = 0;
      // The text is plain text with {{gap_id}} placeholders (odd indexes after the split).
      question.data.text.split(/\{\{(.*?)\}\}/s).forEach((part, index) => {
        if (index % 2 === 0) {
          if (part) paragraph.append(document.createTextNode(part));
          return;
        }
        const gap = gaps.get(part.trim());
        if (!gap) return;
        n += 1;
        const props = { id: ctx.id(`gap-${gap.id}`), "aria-label": ctx.t("gapOf", { n, total }), "data-field": `gaps.${gap.id}`, "data-gap": gap.id };
        let control;
        if (gap.kind === "choice") {
          control = el("select", { ...props, class: "quiz-select quiz-cloze__select" }, [
            el("option", { value: "", text: ctx.t("choose") }),
            ...gap.options.map((option) => el("option", { value: option.id, text: option.text, selected: values[gap.id] === option.id })),
          ]);
        } else {
          control = el("input", { ...props, type: "text", class: "quiz-input quiz-cloze__input", maxlength: 1000, autocomplete: "off", spellcheck: "false" });
          control.value = values[gap.id] ?? "";
          control.addEventListener("input", () => onChange("input"));
        }
        control.addEventListener("change", () => onChange("change"));
        paragraph.append(control);
      });
      container.append(paragraph);
    },
    readAnswer(container) {
      const gaps = {};
      for (const control of container.querySelectorAll("[data-gap]")) gaps[control.dataset.gap] = control.value;
      return { gaps };
    },
    format(question, answer, ctx) {
      return el(
        "ul",
        { class: "quiz-review__list" },
        question.data.gaps.map((gap, index) => {
          let value = answer.gaps[gap.id] ?? "";
          if (gap.kind === "choice") value = (gap.options.find((option) => option.id === value) || {}).text ?? value;
          return el("li", {}, [`${ctx.t("gap", { n: index + 1 })}: `, value ? textBlock(value) : ctx.t("noAnswer")]);
        }),
      );
    },
  },

  essay: {
    render(question, container, onChange, ctx) {
      const hints = [];
      if (question.data.min_words) hints.push(ctx.t("minWords", { count: question.data.min_words }));
      if (question.data.max_words) hints.push(ctx.t("maxWords", { count: question.data.max_words }));
      const input = textInput(container, onChange, ctx, { value: question.answer && question.answer.text, field: "text", maxLength: 10000, hints, multiline: true });
      const counter = el("p", { class: "quiz-question__hint quiz-essay__count", id: ctx.id("words") });
      const update = () => (counter.textContent = ctx.t("wordCount", { count: wordCount(input.value) }));
      input.addEventListener("input", update);
      update();
      addDescribedBy(input, counter.id);
      container.append(counter);
    },
    readAnswer(container) {
      return { text: container.querySelector("textarea").value };
    },
    format(question, answer) {
      return textBlock(answer.text, "quiz-review__essay");
    },
  },
};

// ---------------------------------------------------------------------------------- the player

let playerCount = 0;
const WARNINGS = [
  [300, "fiveMinutesLeft"],
  [60, "oneMinuteLeft"],
];
const FLUSH_BEFORE_END = 3; // seconds left when pending answers are sent at the latest
const DEBOUNCE_MS = 800;

export class QuizPlayer {
  constructor(root, { backend, quizId, strings = {}, storage, widgetMap = widgets, language, headingLevel = 2 } = {}) {
    this.root = root;
    this.backend = backend;
    this.quizId = quizId;
    this.t = translator(strings);
    this.storage = storage === undefined ? browserStorage() : storage;
    this.widgets = widgetMap;
    this.language = language || (root.closest("[lang]") || document.documentElement).lang || "pl";
    this.numbers = new Intl.NumberFormat(this.language, { maximumFractionDigits: 2 });
    this.percents = new Intl.NumberFormat(this.language, { style: "percent", maximumFractionDigits: 2 });
    this.uid = `qp${++playerCount}`;
    this.headingLevel = Math.min(5, Math.max(2, Number(headingLevel) || 2)); // result: hN, questions: hN+1
    this.attempt = null;
    this.entries = [];
    this.current = 0;
    this.timer = null;
  }

  // -- lifecycle

  mount() {
    this.intro = this.root.querySelector(".quiz-player__intro");
    this.alertBox = el("div", { class: "quiz-player__alert", role: "alert" });
    this.view = el("div", { class: "quiz-player__view" });
    this.politeAnnouncer = el("div", { class: "visually-hidden", "aria-live": "polite" });
    this.urgentAnnouncer = el("div", { class: "visually-hidden", "aria-live": "assertive" });
    this.root.append(this.alertBox, this.view, this.politeAnnouncer, this.urgentAnnouncer);
    window.addEventListener("beforeunload", (event) => this.onBeforeUnload(event));
    document.addEventListener("visibilitychange", () => this.onVisibilityChange());
    window.addEventListener("online", () => this.retryFailed());
    this.showStart();
    return this;
  }

  setView(...children) {
    this.view.replaceChildren(...children);
  }

  // -- messages

  alert(message, action = null) {
    this.alertBox.replaceChildren();
    if (!message) return;
    this.alertBox.append(el("p", { text: message }));
    if (action) this.alertBox.append(action);
  }

  announce(message, urgent = false) {
    const region = urgent ? this.urgentAnnouncer : this.politeAnnouncer;
    region.textContent = "";
    // A fresh text node in a later task, so the same message is announced again.
    setTimeout(() => (region.textContent = message), 50);
  }

  errorMessage(error) {
    if (!(error instanceof BackendError) || error.status === 0) return this.t("networkError");
    if (error.status === 401 || error.status === 403) return this.t("sessionExpired");
    if (error.body && typeof error.body.detail === "string") return error.body.detail;
    return this.t("genericError");
  }

  percent(value) {
    return this.percents.format(Number(value) / 100);
  }

  localNumber(value) {
    // "3.5 km" → "3,5 km" in Polish; anything else is shown as typed.
    const match = /^(-?\d+(?:\.\d+)?)(.*)$/s.exec(String(value ?? "").trim());
    return match ? this.numbers.format(Number(match[1])) + match[2] : String(value ?? "");
  }

  // -- start screen

  async showStart() {
    this.stopTimer();
    this.attempt = null;
    this.entries = [];
    if (this.intro) this.intro.hidden = false;
    const facts = el("ul", { class: "quiz-player__facts" });
    const note = el("p", { class: "quiz-player__note" });
    const button = el("button", { type: "button", class: "quiz-player__start", text: this.t("start") });
    button.addEventListener("click", () => this.begin(button));
    const start = el("div", { class: "quiz-player__start-screen" }, [facts, note, el("p", {}, button)]);
    this.setView(start);
    if (typeof this.backend.info !== "function") return;
    start.setAttribute("aria-busy", "true");
    note.textContent = this.t("loading");
    let info = null;
    try {
      info = await this.backend.info(this.quizId);
    } catch {
      info = null; // the start button still works; it reports any problem itself
    }
    start.removeAttribute("aria-busy");
    note.textContent = "";
    if (!info || !info.quiz) return;
    const { quiz, inProgress } = info;
    this.quiz = quiz;
    if (quiz.time_limit_seconds) {
      const limit = quiz.time_limit_seconds >= 60 ? `${Math.round(quiz.time_limit_seconds / 60)} min` : `${quiz.time_limit_seconds} s`;
      facts.append(el("li", { text: this.t("timeLimit", { time: limit }) }));
    }
    if (quiz.attempts_allowed) facts.append(el("li", { text: this.t("attemptsUsed", { used: quiz.attempts_used, allowed: quiz.attempts_allowed }) }));
    else if (quiz.attempts_used) facts.append(el("li", { text: this.t("attemptsUnlimited", { used: quiz.attempts_used }) }));
    if (quiz.pass_mark) facts.append(el("li", { text: this.t("passMark", { percent: this.percent(quiz.pass_mark) }) }));
    if (inProgress) {
      note.textContent = this.t("inProgress");
      button.textContent = this.t("continue");
    } else if (quiz.attempts_allowed && quiz.attempts_used >= quiz.attempts_allowed) {
      note.textContent = this.t("noAttemptsLeft");
      button.hidden = true;
    } else if (quiz.time_limit_seconds) {
      note.textContent = this.t("timeLimitNote");
    }
  }

  async begin(button) {
    if (button.getAttribute("aria-disabled") === "true") return;
    button.setAttribute("aria-disabled", "true");
    this.alert("");
    try {
      const attempt = await this.backend.start(this.quizId);
      this.open(attempt);
    } catch (error) {
      button.removeAttribute("aria-disabled");
      this.alert(this.errorMessage(error));
    }
  }

  // -- the attempt

  open(attempt) {
    if (attempt.state !== "in_progress") {
      this.showResult(attempt);
      return;
    }
    this.attempt = attempt;
    this.closing = false;
    if (this.intro) this.intro.hidden = true;
    this.alert("");
    const paged = attempt.layout !== "all";
    const total = attempt.questions.length;
    const form = el("div", { class: "quiz-player__questions" });
    this.entries = attempt.questions.map((question, index) => this.renderQuestion(question, index, total));
    form.append(...this.entries.map((entry) => entry.fieldset));

    this.saveStatus = el("p", { class: "quiz-player__save-status", role: "status", "aria-live": "polite" });
    this.retryButton = el("button", { type: "button", class: "quiz-player__retry button--secondary", hidden: true, text: this.t("retry") });
    this.retryButton.addEventListener("click", () => this.retryFailed());
    const bar = el("div", { class: "quiz-player__bar" });
    if (attempt.seconds_left !== null && attempt.seconds_left !== undefined) {
      this.timerValue = el("span", { class: "quiz-player__time" });
      this.timerBox = el("p", { class: "quiz-player__timer", role: "timer", "aria-live": "off", "aria-atomic": "true" }, [
        el("span", { class: "quiz-player__timer-label", text: `${this.t("timeLeft")}: ` }),
        this.timerValue,
      ]);
      bar.append(this.timerBox);
    } else {
      this.timerBox = null;
    }
    bar.append(el("div", { class: "quiz-player__save" }, [this.saveStatus, this.retryButton]));

    this.navButtons = [];
    let nav = null;
    let pager = null;
    if (paged) {
      nav = el("nav", { class: "quiz-player__nav", "aria-label": this.t("questions") }, [
        el(
          "ol",
          {},
          this.entries.map((entry, index) => {
            // The name says "Question 3, answered"; the button shows "3".
            const state = el("span", { class: "visually-hidden" });
            const button = el("button", { type: "button", class: "quiz-player__nav-button" }, [
              state,
              el("span", { "aria-hidden": "true", text: String(index + 1) }),
            ]);
            button.addEventListener("click", () => this.goTo(index));
            this.navButtons.push({ button, state });
            return el("li", {}, button);
          }),
        ),
      ]);
      this.prevButton = el("button", { type: "button", class: "quiz-player__prev button--secondary" }, [el("span", { "aria-hidden": "true", text: "← " }), this.t("previous")]);
      this.nextButton = el("button", { type: "button", class: "quiz-player__next" }, [this.t("next"), el("span", { "aria-hidden": "true", text: " →" })]);
      this.prevButton.addEventListener("click", () => this.goTo(this.current - 1));
      this.nextButton.addEventListener("click", () => this.goTo(this.current + 1));
      pager = el("div", { class: "quiz-player__pager" }, [this.prevButton, this.nextButton]);
    }
    this.submitButton = el("button", { type: "button", class: "quiz-player__submit", text: this.t("submit") });
    this.submitButton.addEventListener("click", () => this.requestSubmit());
    this.dialog = this.renderDialog();
    this.setView(
      el("div", { class: `quiz-player__attempt quiz-player__attempt--${paged ? "paged" : "all"}` }, [
        bar,
        nav,
        form,
        pager,
        el("div", { class: "quiz-player__finish" }, this.submitButton),
        this.dialog,
      ]),
    );

    this.entries.forEach((entry) => this.updateNav(entry));
    this.refreshSaveStatus();
    if (paged) this.goTo(this.restoredIndex(), { save: false });
    else this.entries[0] && this.entries[0].fieldset.focus();
    if (this.timerBox) this.startTimer(attempt.seconds_left);
  }

  renderQuestion(question, index, total) {
    const prefix = `${this.uid}-a${this.attempt.id}-q${question.position}`;
    const fieldset = el("fieldset", { class: "quiz-question", id: prefix, tabindex: "-1", "data-position": question.position });
    const marks = Number(question.max_mark);
    fieldset.append(
      el("legend", { class: "quiz-question__legend" }, [
        el("span", { class: "quiz-question__number" }, [
          this.t("questionOf", { n: index + 1, total }),
          marks > 0 ? el("span", { class: "quiz-question__marks", text: this.t("questionMarks", { mark: this.numbers.format(marks) }) }) : null,
        ]),
        el("div", { class: "quiz-question__text", html: question.text }),
      ]),
    );
    const body = el("div", { class: "quiz-question__body" });
    const errorBox = el("div", { class: "quiz-question__error", id: `${prefix}-error`, hidden: true });
    fieldset.append(body, errorBox);
    const entry = {
      question,
      index,
      fieldset,
      body,
      errorBox,
      widget: this.widgets[question.widget || question.type],
      savedJSON: question.answer === null || question.answer === undefined ? null : JSON.stringify(question.answer),
      dirty: false,
      debounce: null,
      inflight: null,
      retryTimer: null,
      retries: 0,
      status: "idle",
    };
    const ctx = {
      t: this.t,
      id: (suffix) => `${prefix}-${suffix}`,
      announce: (message) => this.announce(message),
      describe: (node) => {
        node.id = node.id || `${prefix}-d${fieldset.querySelectorAll("[id]").length}`;
        addDescribedBy(fieldset, node.id);
        return node;
      },
      localNumber: (value) => this.localNumber(value),
    };
    if (!entry.widget) {
      body.append(el("p", { class: "quiz-question__hint", text: this.t("unknownWidget") }));
      return entry;
    }
    entry.widget.render(question, body, (kind) => this.changed(entry, kind), ctx);
    return entry;
  }

  restoredIndex() {
    const stored = this.storage && Number(this.storage.getItem(this.positionKey()));
    const index = this.entries.findIndex((entry) => entry.question.position === stored);
    if (index >= 0) return index;
    const unanswered = this.entries.findIndex((entry) => entry.savedJSON === null);
    return unanswered >= 0 ? unanswered : 0;
  }

  positionKey() {
    return `quiz-player:attempt:${this.attempt.id}:position`;
  }

  goTo(index, { save = true } = {}) {
    if (index < 0 || index >= this.entries.length) return;
    if (save && this.entries[this.current]) this.saveEntry(this.entries[this.current]);
    this.current = index;
    this.entries.forEach((entry, i) => (entry.fieldset.hidden = i !== index));
    this.navButtons.forEach(({ button }, i) => {
      if (i === index) button.setAttribute("aria-current", "step");
      else button.removeAttribute("aria-current");
    });
    this.prevButton.hidden = index === 0;
    this.nextButton.hidden = index === this.entries.length - 1;
    this.submitButton.classList.toggle("quiz-player__submit--last", index === this.entries.length - 1);
    try {
      if (this.storage) this.storage.setItem(this.positionKey(), String(this.entries[index].question.position));
    } catch {
      /* storage full or refused: only the position is lost */
    }
    this.entries[index].fieldset.focus();
  }

  updateNav(entry) {
    const nav = this.navButtons[entry.index];
    if (!nav) return;
    const answered = entry.savedJSON !== null;
    nav.button.classList.toggle("quiz-player__nav-button--answered", answered);
    nav.button.classList.toggle("quiz-player__nav-button--invalid", entry.status === "invalid" || entry.status === "error");
    nav.state.textContent = `${this.t("question", { n: entry.index + 1 })}, ${this.t(answered ? "navAnswered" : "navUnanswered")}`;
  }

  // -- autosave

  changed(entry, kind) {
    if (this.closing) return;
    entry.dirty = true;
    clearTimeout(entry.debounce);
    entry.debounce = null;
    if (kind === "input") {
      entry.debounce = setTimeout(() => {
        entry.debounce = null;
        this.saveEntry(entry);
      }, DEBOUNCE_MS);
    } else {
      this.saveEntry(entry);
    }
  }

  /** Save one question's answer if it changed; resolves when done (never rejects). */
  saveEntry(entry) {
    clearTimeout(entry.debounce);
    entry.debounce = null;
    if (entry.inflight) return entry.inflight; // saved again when it returns, if still dirty
    if (!entry.dirty || !entry.widget || !this.attempt || this.closing) return Promise.resolve();
    entry.dirty = false;
    clearTimeout(entry.retryTimer);
    const answer = entry.widget.readAnswer(entry.body, entry.question);
    if (answer === null) {
      // Nothing to send (an emptied number box): the refused value is gone, so is its error.
      if (entry.status === "invalid") {
        this.clearErrors(entry);
        this.updateNav(entry);
        this.refreshSaveStatus();
      }
      return Promise.resolve();
    }
    const json = JSON.stringify(answer);
    if (json === entry.savedJSON && entry.status !== "error") {
      if (entry.status === "invalid") this.clearErrors(entry);
      return Promise.resolve();
    }
    const attemptId = this.attempt.id;
    entry.inflight = (async () => {
      entry.status = "saving";
      this.refreshSaveStatus();
      try {
        await this.backend.save(attemptId, entry.question.position, answer);
        if (this.attempt && this.attempt.id === attemptId) {
          entry.savedJSON = json;
          entry.question.answer = answer;
          entry.status = "saved";
          entry.retries = 0;
          this.clearErrors(entry);
        }
      } catch (error) {
        this.saveFailed(entry, error);
      } finally {
        entry.inflight = null;
      }
      this.updateNav(entry);
      this.refreshSaveStatus();
      if (entry.dirty && !entry.debounce && entry.status !== "error") await this.saveEntry(entry);
    })();
    return entry.inflight;
  }

  saveFailed(entry, error) {
    const status = error instanceof BackendError ? error.status : 0;
    if (status === 400) {
      entry.status = "invalid";
      this.showErrors(entry, error.body);
    } else if (status === 409) {
      entry.status = "closed";
      this.attemptClosed(error.code);
    } else if (status === 401 || status === 403) {
      entry.status = "error";
      entry.dirty = true;
      this.alert(this.t("sessionExpired"));
    } else {
      // No network, a server error or throttling: keep the answer and try again later.
      entry.status = "error";
      entry.dirty = true;
      entry.retries += 1;
      const delay = Math.min(30000, 2000 * 2 ** (entry.retries - 1));
      clearTimeout(entry.retryTimer);
      entry.retryTimer = setTimeout(() => this.saveEntry(entry), delay);
    }
  }

  retryFailed() {
    this.alert("");
    for (const entry of this.entries) {
      if (entry.status === "error") {
        entry.dirty = true;
        this.saveEntry(entry);
      }
    }
  }

  refreshSaveStatus() {
    if (!this.saveStatus) return;
    const has = (status) => this.entries.filter((entry) => entry.status === status);
    let text = "";
    let failed = false;
    if (has("saving").length) text = this.t("saving");
    else if (has("error").length) {
      text = this.t("saveError");
      failed = true;
    } else if (has("invalid").length) text = this.t("saveInvalid", { n: has("invalid")[0].index + 1 });
    else if (has("saved").length) text = this.t("saved");
    else if (!this.timerBox) text = this.t("autosaveInfo"); // keeps the bar from looking empty
    if (this.saveStatus.textContent !== text) this.saveStatus.textContent = text;
    this.saveStatus.classList.toggle("quiz-player__save-status--error", failed || has("invalid").length > 0);
    // Stays while a retry is under way, so a keyboard user's focus is not thrown away.
    this.retryButton.hidden = !failed && !this.entries.some((entry) => entry.status === "saving" && entry.retries > 0);
  }

  showErrors(entry, body) {
    this.clearErrors(entry);
    const messages = [];
    const fields = [];
    if (body && typeof body === "object") {
      for (const [field, value] of Object.entries(body)) {
        for (const message of [].concat(value)) if (typeof message === "string") messages.push(message);
        fields.push(field);
      }
    }
    if (!messages.length) messages.push(this.t("genericError"));
    entry.errorBox.replaceChildren(...messages.map((message) => el("p", { text: message })));
    entry.errorBox.hidden = false;
    addDescribedBy(entry.fieldset, entry.errorBox.id);
    for (const control of entry.body.querySelectorAll("input, select, textarea")) {
      if (fields.includes(control.dataset.field)) {
        control.setAttribute("aria-invalid", "true");
        addDescribedBy(control, entry.errorBox.id);
      }
    }
  }

  clearErrors(entry) {
    if (entry.errorBox.hidden) return;
    entry.errorBox.hidden = true;
    entry.errorBox.replaceChildren();
    removeDescribedBy(entry.fieldset, entry.errorBox.id);
    for (const control of entry.body.querySelectorAll('[aria-invalid="true"]')) {
      control.removeAttribute("aria-invalid");
      removeDescribedBy(control, entry.errorBox.id);
    }
    if (entry.status === "invalid") entry.status = entry.savedJSON === null ? "idle" : "saved";
  }

  /** Save everything pending; true when nothing failed for lack of a connection. */
  async flushAll() {
    for (let round = 0; round < 5; round += 1) {
      const pending = this.entries.filter((entry) => entry.dirty || entry.inflight || entry.debounce);
      if (!pending.length || this.closing) break;
      await Promise.all(pending.map((entry) => this.saveEntry(entry)));
    }
    return !this.entries.some((entry) => entry.status === "error");
  }

  // -- timer

  startTimer(seconds) {
    this.stopTimer();
    this.deadline = Date.now() + seconds * 1000;
    this.warned = new Set(WARNINGS.filter(([limit]) => seconds <= limit).map(([limit]) => limit));
    this.flushedBeforeEnd = seconds <= FLUSH_BEFORE_END;
    this.tick();
    this.timer = setInterval(() => this.tick(), 500);
  }

  stopTimer() {
    clearInterval(this.timer);
    this.timer = null;
  }

  tick() {
    const left = Math.max(0, Math.ceil((this.deadline - Date.now()) / 1000));
    const text = clock(left);
    if (this.timerValue.textContent !== text) this.timerValue.textContent = text;
    this.timerBox.classList.toggle("quiz-player__timer--low", left <= 300);
    for (const [limit, key] of WARNINGS) {
      if (left <= limit && !this.warned.has(limit)) {
        this.warned.add(limit);
        this.announce(this.t(key), true);
      }
    }
    if (left <= FLUSH_BEFORE_END && !this.flushedBeforeEnd) {
      this.flushedBeforeEnd = true;
      this.flushAll();
    }
    if (left <= 0) {
      this.stopTimer();
      this.attemptClosed("time_up");
    }
  }

  // -- the end of an attempt

  /** Time ran out or the attempt was closed elsewhere: fetch the graded attempt. */
  async attemptClosed(code) {
    if (this.closing || !this.attempt) return;
    this.closing = true;
    this.stopTimer();
    this.view.querySelectorAll(".quiz-question").forEach((fieldset) => (fieldset.disabled = true));
    this.alert(this.t(code === "time_up" ? "timeUp" : "attemptClosed"));
    // Saves sent before the deadline still count: let them finish first.
    const inflight = this.entries.map((entry) => entry.inflight).filter(Boolean);
    await Promise.race([Promise.allSettled(inflight), new Promise((resolve) => setTimeout(resolve, 5000))]);
    await this.loadResult();
  }

  async loadResult(tries = 10) {
    const attemptId = this.attempt.id;
    for (let attempt = 0; attempt < tries; attempt += 1) {
      try {
        const fresh = await this.backend.load(attemptId);
        if (fresh.state !== "in_progress") {
          this.showResult(fresh);
          return;
        }
        if (fresh.seconds_left === null || fresh.seconds_left > 1) {
          // This device's clock ran ahead of the server's: carry on with the attempt.
          this.closing = false;
          this.alert("");
          this.view.querySelectorAll(".quiz-question").forEach((fieldset) => (fieldset.disabled = false));
          if (fresh.seconds_left !== null && this.timerBox) this.startTimer(fresh.seconds_left);
          return;
        }
      } catch (error) {
        if (!(error instanceof BackendError) || error.status !== 0) {
          this.alert(this.errorMessage(error), this.resultButton());
          return;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    this.alert(this.t("networkError"), this.resultButton());
  }

  resultButton() {
    const button = el("button", { type: "button", text: this.t("showResult") });
    button.addEventListener("click", () => this.loadResult());
    return button;
  }

  renderDialog() {
    const titleId = `${this.uid}-confirm-title`;
    const textId = `${this.uid}-confirm-text`;
    this.unansweredText = el("p", { class: "quiz-player__dialog-unanswered" });
    const confirm = el("button", { type: "button", class: "quiz-player__confirm", text: this.t("confirmSubmit") });
    const cancel = el("button", { type: "button", class: "quiz-player__cancel button--secondary", text: this.t("confirmCancel") });
    const dialog = el("dialog", { class: "quiz-player__dialog", "aria-labelledby": titleId, "aria-describedby": textId }, [
      el("h2", { id: titleId, text: this.t("confirmTitle") }),
      el("p", { id: textId, text: this.t("confirmText") }),
      this.unansweredText,
      el("div", { class: "quiz-player__dialog-buttons" }, [confirm, cancel]),
    ]);
    confirm.addEventListener("click", () => {
      dialog.close();
      this.submit();
    });
    cancel.addEventListener("click", () => dialog.close());
    return dialog;
  }

  async requestSubmit() {
    if (this.closing) return;
    this.alert("");
    if (!(await this.flushAll())) {
      this.alert(this.t("unsavedBeforeSubmit"));
      return;
    }
    if (this.closing) return;
    const unanswered = this.entries.filter((entry) => entry.savedJSON === null).map((entry) => entry.index + 1);
    const summary = unanswered.length ? this.t("confirmUnanswered", { list: unanswered.join(", ") }) : this.t("confirmAllAnswered");
    this.unansweredText.textContent = summary;
    if (typeof this.dialog.showModal === "function") {
      this.dialog.showModal();
      // Start on the way back, not on the irreversible button.
      this.dialog.querySelector(".quiz-player__cancel").focus();
    }
    else if (window.confirm(`${this.t("confirmTitle")}\n${this.t("confirmText")}\n${summary}`)) this.submit();
  }

  async submit() {
    if (this.closing) return;
    this.submitButton.setAttribute("aria-disabled", "true");
    this.saveStatus.textContent = this.t("submitting");
    await this.flushAll();
    try {
      const attempt = await this.backend.submit(this.attempt.id);
      this.showResult(attempt);
    } catch (error) {
      this.submitButton.removeAttribute("aria-disabled");
      this.refreshSaveStatus();
      if (error instanceof BackendError && error.status === 409) this.attemptClosed(error.code);
      else this.alert(this.errorMessage(error));
    }
  }

  // -- result and review

  showResult(attempt) {
    this.stopTimer();
    this.closing = false;
    if (this.attempt) {
      try {
        if (this.storage) this.storage.removeItem(this.positionKey());
      } catch {
        /* nothing to clean */
      }
    }
    this.entries.forEach((entry) => clearTimeout(entry.retryTimer));
    this.attempt = null;
    this.entries = [];
    this.saveStatus = null;
    this.alert("");
    const result = attempt.result || { needs_grading: false };
    const headingId = `${this.uid}-result-${attempt.id}`;
    const heading = el(`h${this.headingLevel}`, { id: headingId, tabindex: "-1", text: this.t("resultTitle") });
    const summary = el("div", { class: "quiz-result__summary" });
    summary.append(el("p", { text: this.t("submitted") }));
    if (attempt.timed_out) summary.append(el("p", { text: this.t("timedOut") }));
    if (result.score !== undefined && result.max_score !== undefined) {
      summary.append(
        el("p", {
          class: "quiz-result__score",
          text: this.t("score", { score: this.numbers.format(Number(result.score)), max: this.numbers.format(Number(result.max_score)), percent: this.percent(result.percent) }),
        }),
      );
    }
    if (result.passed === true || result.passed === false) {
      const passed = result.passed;
      summary.append(
        el("p", { class: `quiz-result__verdict quiz-result__verdict--${passed ? "passed" : "failed"}` }, [
          el("span", { "aria-hidden": "true", class: "quiz-result__icon", text: passed ? "✓" : "✗" }),
          this.t(passed ? "passed" : "failed"),
          result.pass_mark !== undefined ? el("span", { class: "quiz-result__pass-mark", text: ` (${this.t("passMark", { percent: this.percent(result.pass_mark) })})` }) : null,
        ]),
      );
    }
    if (result.needs_grading) summary.append(el("p", { class: "quiz-result__pending", text: this.t("needsGrading") }));
    if (result.overall_feedback) summary.append(el("p", { class: "quiz-result__feedback" }, textBlock(result.overall_feedback)));

    const reviewId = `${this.uid}-review-${attempt.id}`;
    const review = el("section", { class: "quiz-review", "aria-labelledby": reviewId }, [
      el(`h${this.headingLevel}`, { id: reviewId, text: this.t("reviewTitle") }),
      el("ol", { class: "quiz-review__questions" }, attempt.questions.map((question, index) => this.renderReview(attempt, question, index))),
    ]);
    const actions = el("div", { class: "quiz-player__finish" });
    const allowed = this.quiz ? this.quiz.attempts_allowed : null;
    if (allowed === 0 || (allowed && attempt.number < allowed)) {
      const again = el("button", { type: "button", class: "button--secondary", text: this.t("startNew") });
      again.addEventListener("click", () => this.begin(again));
      actions.append(again);
    }
    this.setView(el("div", { class: "quiz-result", "aria-labelledby": headingId, role: "region" }, [heading, summary, review, actions.childNodes.length ? actions : null]));
    heading.focus();
  }

  renderReview(attempt, question, index) {
    const widget = this.widgets[question.widget || question.type];
    const ctx = { t: this.t, localNumber: (value) => this.localNumber(value) };
    const correctness = question.correctness;
    const item = el("li", { class: `quiz-review__item${correctness ? ` quiz-review__item--${correctness}` : ""}` });
    item.append(el(`h${this.headingLevel + 1}`, { class: "quiz-review__title", text: this.t("question", { n: index + 1 }) }));
    item.append(el("div", { class: "quiz-review__text", html: question.text }));
    const status = [];
    if (correctness) {
      const icon = { correct: "✓", partial: "◐", incorrect: "✗" }[correctness] || "";
      status.push(el("span", { class: `quiz-review__badge quiz-review__badge--${correctness}` }, [el("span", { "aria-hidden": "true", text: `${icon} ` }), this.t(correctness)]));
    }
    if ("mark" in question) {
      status.push(
        el("span", {
          class: "quiz-review__mark",
          text: question.mark === null ? this.t("markPending") : this.t("mark", { mark: this.numbers.format(Number(question.mark)), max: this.numbers.format(Number(question.max_mark)) }),
        }),
      );
    }
    if (status.length) item.append(el("p", { class: "quiz-review__status" }, status));
    const show = (label, node, className) => item.append(el("div", { class: `quiz-review__row ${className}` }, [el("span", { class: "quiz-review__label", text: label }), " ", node]));
    const given = question.answer === null || question.answer === undefined || !widget ? document.createTextNode(this.t("noAnswer")) : widget.format(question, question.answer, ctx);
    show(this.t("answerGiven"), given, "quiz-review__answer");
    if (question.right_answer !== undefined && question.right_answer !== null && widget) show(this.t("rightAnswer"), widget.format(question, question.right_answer, ctx), "quiz-review__right");
    if (question.feedback) show(this.t("feedback"), textBlock(question.feedback), "quiz-review__feedback");
    if (question.grader_comment) show(this.t("graderComment"), textBlock(question.grader_comment), "quiz-review__comment");
    if (question.general_feedback) show(this.t("generalFeedback"), el("div", { class: "quiz-review__general", html: question.general_feedback }), "quiz-review__general-row");
    return item;
  }

  // -- page events

  onBeforeUnload(event) {
    if (!this.attempt) return;
    for (const entry of this.entries) if (entry.dirty || entry.debounce) this.saveEntry(entry); // keepalive requests
    if (this.entries.some((entry) => entry.status === "error")) {
      event.preventDefault();
      event.returnValue = "";
    }
  }

  async onVisibilityChange() {
    if (!this.attempt || this.closing) return;
    if (document.visibilityState === "hidden") {
      this.flushAll();
      return;
    }
    // Back from another app: phones pause timers, so ask the server for the time left.
    if (!this.timerBox) return;
    try {
      const fresh = await this.backend.load(this.attempt.id);
      if (!this.attempt || fresh.id !== this.attempt.id) return;
      if (fresh.state !== "in_progress") this.showResult(fresh);
      else if (fresh.seconds_left !== null) this.startTimer(fresh.seconds_left);
    } catch {
      /* keep the local countdown */
    }
  }
}

// ------------------------------------------------------------------------------------ mount

function readStrings(root) {
  const script = root.querySelector("script.quiz-player__strings");
  if (!script) return {};
  try {
    return JSON.parse(script.textContent);
  } catch {
    return {};
  }
}

/** The preview page's attempt and grading data (see quizzes/question_preview.html). */
function readPreview(scope) {
  const script = (scope.getElementById ? scope : document).getElementById("quiz-player-preview");
  try {
    return script ? JSON.parse(script.textContent) : null;
  } catch {
    return null;
  }
}

/** A preview goes straight to its question. In Wagtail's preview panel (a frame the editor
 * is not using) the player must not take the focus away from the editor's form. */
async function openPreview(player, root, backend) {
  const attempt = await backend.start();
  const quiet = window.frameElement !== null || !document.hasFocus();
  if (quiet) root.inert = true; // focus() is a no-op inside an inert subtree
  try {
    player.open(attempt);
  } finally {
    if (quiet) root.inert = false;
  }
}

/** Start a player in every `.quiz-player` mount point the site's templates render;
 * data-mode="preview" plays the question editor's preview (PreviewBackend). */
export function mountAll(scope = document) {
  const players = [];
  for (const root of scope.querySelectorAll(".quiz-player[data-quiz-id][data-api-root]")) {
    if (root.dataset.playerMounted) continue;
    root.dataset.playerMounted = "true";
    const language = (root.closest("[lang]") || document.documentElement).lang;
    const strings = readStrings(root);
    const csrfToken = root.dataset.csrfToken || "";
    const preview = root.dataset.mode === "preview" ? readPreview(scope) : null;
    if (preview) {
      const backend = new PreviewBackend({ attempt: preview.attempt, grading: preview.grading, csrfToken });
      // The result page's button starts another try: "Try again" rather than "Start a new attempt".
      const previewStrings = { ...strings, startNew: strings.retry || FALLBACK_STRINGS.retry };
      const player = new QuizPlayer(root, { backend, strings: previewStrings, storage: null, language, headingLevel: root.dataset.headingLevel }).mount();
      openPreview(player, root, backend);
      players.push(player);
      continue;
    }
    const backend = new ApiBackend({ apiRoot: root.dataset.apiRoot, csrfToken, userId: root.dataset.userId || "", language });
    const options = { backend, quizId: Number(root.dataset.quizId), strings, language, headingLevel: root.dataset.headingLevel };
    players.push(new QuizPlayer(root, options).mount());
  }
  return players;
}

if (typeof document !== "undefined") mountAll();
