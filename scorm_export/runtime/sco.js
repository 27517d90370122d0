/**
 * The SCO runtime's entry module, loaded by every <sco>/index.html of an exported package
 * (see docs/scorm-package.md). It reads #sco-config, finds the LMS API (SCORM 1.2 `API` or
 * 2004 `API_1484_11`), shows one section at a time with a bookmark in `location`, runs the
 * site's quiz player with the OfflineBackend in every `.sco-quiz[data-quiz]`, and reports
 * status, score, interactions, session time and suspend data. Without an LMS it runs in
 * preview mode: everything works and a notice says that nothing is recorded.
 */

import { BackendError, QuizPlayer, el, translator } from "./player.js";
import { scormResponse } from "./grader.js";
import { FAILED, MET, PENDING, adapterFor, findApi, interactionId, interactionResult } from "./lms.js";
import { OfflineBackend } from "./offline.js";
import { decode, encode } from "./suspend.js";

const FALLBACK = {
  scoPrevious: "Previous page",
  scoNext: "Next page",
  scoPageOf: "Page {n} of {total}",
  scoPages: "Pages",
  scoPreview: "Preview: no learning platform (LMS) was found, so your progress and results are not recorded.",
  scoLmsError: "The learning platform did not accept your progress. Keep this window open and try again, or tell your trainer.",
};

const COMMIT_INTERVAL_MS = 60000;

function readConfig() {
  const script = document.getElementById("sco-config");
  try {
    return script ? JSON.parse(script.textContent) : {};
  } catch {
    return {};
  }
}

/** The connection to the LMS: values set through the adapter, errors remembered, commits
 * and the one Terminate guarded. Without an API every call is a no-op (preview). */
class Lms {
  constructor(version) {
    this.adapter = adapterFor(version);
    this.api = findApi(window, this.adapter.apiName);
    this.active = false;
    this.finished = false;
    this.dirty = false;
    this.errors = [];
    this.cache = new Map();
    this.onCommit = () => {};
  }

  check(call, key) {
    const code = this.adapter.lastError(this.api);
    if (code && code !== "0") {
      const message = `${call}${key ? ` ${key}` : ""}: ${code} ${this.adapter.errorString(this.api, code)}`;
      this.errors.push(message);
      console.warn(`SCORM ${message}`);
      return false;
    }
    return true;
  }

  initialize() {
    if (!this.api) return false;
    const ok = String(this.adapter.initialize(this.api)) === "true";
    this.active = ok || this.check("Initialize");
    return this.active;
  }

  get(key) {
    if (!this.active) return "";
    const value = this.adapter.getValue(this.api, key);
    this.adapter.lastError(this.api); // a value never set reads as an error in some LMSs
    return value === null || value === undefined ? "" : String(value);
  }

  /** Set values (pairs [key, value]); unchanged values are not sent again. */
  set(pairs, { force = false } = {}) {
    if (!this.active || this.finished) return;
    for (const [key, value] of pairs) {
      const text = String(value);
      if (!force && this.cache.get(key) === text) continue;
      if (String(this.adapter.setValue(this.api, key, text)) === "true") {
        this.cache.set(key, text);
        this.dirty = true;
      } else this.check("SetValue", key);
    }
  }

  /** Commit; a refused commit stays dirty, so the next interval or status change tries
   * again, and `onCommit` (ok) tells the page whether the LMS has the learner's progress. */
  commit() {
    if (!this.active || this.finished) return;
    const ok = String(this.adapter.commit(this.api)) === "true";
    if (ok) this.dirty = false;
    else this.check("Commit");
    this.onCommit(ok);
  }

  terminate() {
    if (!this.active || this.finished) return;
    this.finished = true;
    if (String(this.adapter.terminate(this.api)) !== "true") this.check("Terminate");
  }
}

class Sco {
  constructor(root, config) {
    this.root = root;
    this.config = config;
    this.t = translator({ ...FALLBACK, ...(config.strings || {}) });
    this.lms = new Lms(config.version || "1.2");
    this.startedAt = Date.now();
    this.sections = [...root.querySelectorAll(".sco-page")];
    this.quizzes = [];
    this.current = 0;
    this.seen = new Set();
    this.reported = null;
  }

  start() {
    this.lms.onCommit = (ok) => this.showLmsTrouble(!ok);
    const connected = this.lms.initialize();
    let state = decode("");
    let storedOutcome = PENDING;
    if (connected) {
      const { keys } = this.lms.adapter;
      state = decode(this.lms.get(keys.suspend));
      storedOutcome = this.lms.adapter.storedOutcome((key) => this.lms.get(key));
      const bookmark = this.lms.get(keys.location);
      const index = this.sections.findIndex((section) => section.id === bookmark);
      if (index >= 0) state.page = index;
    } else if (this.lms.api) {
      this.showLmsTrouble(true); // an LMS that refuses to start the session records nothing
    } else {
      this.showNotice(this.t("scoPreview"));
    }
    this.storedOutcome = storedOutcome;
    (state.seen || []).forEach((index) => this.seen.add(index));
    this.buildNavigation();
    this.mountQuizzes(state);
    this.show(Math.min(Math.max(0, state.page || 0), Math.max(0, this.sections.length - 1)), { focus: false });
    this.report({ commit: true });
    this.timer = setInterval(() => {
      if (this.lms.dirty) this.lms.commit();
    }, COMMIT_INTERVAL_MS);
    window.addEventListener("pagehide", () => this.finish());
    window.addEventListener("beforeunload", () => this.finish());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") {
        this.saveState();
        this.lms.commit();
      }
    });
    window.scoRuntime = this; // for debugging and the browser tests
  }

  /** The notice that the LMS did not take the learner's progress, shown while it lasts
   * (an alert: the learner should not close the window now). */
  showLmsTrouble(on) {
    if (on && !this.lmsTrouble) {
      this.lmsTrouble = el("p", { class: "sco-notice sco-lms-error", role: "alert", text: this.t("scoLmsError") });
      this.root.prepend(this.lmsTrouble);
    } else if (!on && this.lmsTrouble) {
      this.lmsTrouble.remove();
      this.lmsTrouble = null;
    }
  }

  showNotice(text) {
    const notice = el("p", { class: "sco-notice", role: "status", text });
    this.root.prepend(notice);
  }

  // -- sections

  buildNavigation() {
    const total = this.sections.length;
    this.sections.forEach((section) => {
      const heading = section.querySelector("h1, h2");
      if (heading && !heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
    });
    this.tocLinks = [...this.root.querySelectorAll(".sco-toc a[href^='#']")];
    for (const link of this.tocLinks) {
      link.addEventListener("click", (event) => {
        const index = this.sections.findIndex((section) => `#${section.id}` === link.getAttribute("href"));
        if (index < 0) return;
        event.preventDefault();
        this.show(index);
      });
    }
    this.prev = el("button", { type: "button", class: "sco-pager__prev" }, [el("span", { "aria-hidden": "true", text: "← " }), this.t("scoPrevious")]);
    this.next = el("button", { type: "button", class: "sco-pager__next" }, [this.t("scoNext"), el("span", { "aria-hidden": "true", text: " →" })]);
    this.position = el("p", { class: "sco-pager__position", "aria-live": "polite" });
    this.prev.addEventListener("click", () => this.show(this.current - 1));
    this.next.addEventListener("click", () => this.show(this.current + 1));
    const pager = el("nav", { class: "sco-pager", "aria-label": this.t("scoPages") }, [this.prev, this.position, this.next]);
    pager.hidden = total < 2;
    const main = this.root.querySelector("main") || this.root;
    main.after(pager);
  }

  show(index, { focus = true } = {}) {
    if (index < 0 || index >= this.sections.length) return;
    this.current = index;
    this.seen.add(index);
    this.sections.forEach((section, i) => (section.hidden = i !== index));
    const id = this.sections[index].id;
    for (const link of this.tocLinks) {
      if (link.getAttribute("href") === `#${id}`) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    this.prev.hidden = index === 0;
    this.next.hidden = index === this.sections.length - 1;
    this.position.textContent = this.t("scoPageOf", { n: index + 1, total: this.sections.length });
    if (focus) {
      const heading = this.sections[index].querySelector("h1, h2");
      (heading || this.sections[index]).focus?.();
      window.scrollTo?.(0, 0);
    }
    if (this.lms.active) {
      this.lms.set([[this.lms.adapter.keys.location, id.slice(0, this.lms.adapter.locationLimit)]]);
      this.saveState();
      this.report();
    }
  }

  // -- quizzes

  mountQuizzes(state) {
    const configs = this.config.quizzes || [];
    configs.forEach((quiz, index) => {
      const backend = new OfflineBackend({
        quiz,
        state: (state.quizzes || [])[index] || null,
        errorClass: BackendError,
        strings: this.config.strings || {},
        onChange: (kind, attempt) => this.quizChanged(quiz, kind, attempt),
      });
      const entry = { quiz, backend, player: null };
      this.quizzes.push(entry);
      const mount = this.root.querySelector(`.sco-quiz[data-quiz="${CSS.escape(quiz.key)}"]`);
      if (!mount) return;
      mount.classList.add("quiz-player");
      // The packager puts the quiz's title as a heading before the mount point.
      const level = mount.closest("section")?.querySelector("h2") ? 3 : 2;
      if (!mount.children.length && quiz.intro) {
        const intro = el("div", { class: "quiz-player__intro sco-quiz__text" });
        intro.innerHTML = quiz.intro;
        mount.append(intro);
      }
      entry.player = new QuizPlayer(mount, {
        backend,
        quizId: quiz.key,
        strings: this.config.strings || {},
        storage: null,
        language: this.config.language,
        headingLevel: level,
      }).mount();
    });
  }

  quizChanged(quiz, kind, attempt) {
    // Reporting must never break the quiz: a failure is logged and the learner goes on.
    try {
      if (kind === "submit" && attempt) this.reportInteractions(quiz, attempt);
      this.saveState();
      this.report({ commit: kind === "submit" });
    } catch (error) {
      console.error("SCORM reporting failed", error);
    }
  }

  reportInteractions(quiz, attempt) {
    if (!this.lms.active) return;
    const { adapter } = this.lms;
    let n = adapter.interactionCount((key) => this.lms.get(key));
    const date = new Date();
    for (const item of attempt.graded.questions) {
      if (item.answer === null || item.answer === undefined) continue;
      if (n >= adapter.maxInteractions) break;
      const interaction = (item.q.interaction && item.q.interaction) || {};
      const values = adapter.interactionValues(n, {
        id: interactionId(item.q.id || `q${item.position}`, quiz.key, `a${attempt.number}`),
        type: interaction.type || "fill-in",
        patterns: interaction.correctResponses || [],
        response: scormResponse(item.q, item.answer, adapter.version),
        result: interactionResult(item.graded.fraction, item.graded.needsManualGrading),
        weighting: item.mark,
        date,
        description: item.q.text,
      });
      this.lms.set(values, { force: true });
      n += 1;
    }
  }

  // -- state and status

  state() {
    return {
      page: this.current,
      seen: [...this.seen],
      quizzes: this.quizzes.map(({ backend }) => backend.exportState()),
    };
  }

  saveState() {
    if (!this.lms.active) return;
    this.lms.set([[this.lms.adapter.keys.suspend, encode(this.state(), this.lms.adapter.suspendLimit)]]);
  }

  /** The outcome now: every quiz passed (or, without quizzes, every page seen) → MET; a quiz
   * graded and not passed → FAILED; else PENDING. Never below what the LMS had. */
  outcome() {
    return Math.max(this.currentOutcome(), this.storedOutcome);
  }

  currentOutcome() {
    let now;
    if (this.quizzes.length) {
      const passed = this.quizzes.map(({ backend }) => backend.passed());
      if (passed.every((value) => value === true)) now = MET;
      else if (passed.some((value) => value === false)) now = FAILED;
      else now = PENDING;
    } else {
      now = this.seen.size >= this.sections.length ? MET : PENDING;
    }
    return now;
  }

  score() {
    const grades = this.quizzes.map(({ backend }) => backend.grade()).filter((grade) => grade !== null);
    if (!grades.length) return null;
    return Math.round((grades.reduce((a, b) => a + b, 0) / grades.length) * 100) / 100;
  }

  /** Status and score to the LMS; a change of status is committed at once. */
  report({ commit = false } = {}) {
    if (!this.lms.active) return;
    const outcome = this.outcome();
    const { adapter } = this.lms;
    const score = this.score();
    if (score !== null) this.lms.set(adapter.scoreValues(score));
    // What the LMS already has stays as it is when this session has not done better.
    if (this.currentOutcome() >= this.storedOutcome) this.lms.set(adapter.statusValues(this.config.reporting, outcome));
    const changed = outcome !== this.reported;
    this.reported = outcome;
    if (commit || changed) this.lms.commit();
  }

  finish() {
    if (!this.lms.active || this.lms.finished) return;
    clearInterval(this.timer);
    // An answer typed in the last moments waits for the player's debounce; the player saves
    // it on beforeunload, which an LMS that removes the SCO's frame never sends. Its save to
    // the offline backend happens synchronously, before the state below is written.
    for (const { player } of this.quizzes) player?.flushAll();
    this.saveState();
    this.report();
    this.lms.set(this.lms.adapter.exitValues(this.outcome(), Date.now() - this.startedAt));
    this.lms.commit();
    this.lms.terminate();
  }
}

const root = document.getElementById("sco") || document.body;
const sco = new Sco(root, readConfig());
sco.start();

export { Sco };
