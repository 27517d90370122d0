"""Locust users for benchmarks/quiz_load.py (which seeds the data and runs this file).

Two user classes, one per phase, chosen by name on the locust command line:

- ``BaselineWriter``: POST /bench/write/ in a loop (one authenticated write).
- ``QuizTrainee``: start an attempt → save one answer per question → submit,
  then the next attempt (the quiz allows unlimited attempts); without pause,
  or with BENCH_THINK_TIME seconds (±50 %) between requests.

Every request is one task, so when the run ends (``--stop-timeout``) a user
stops after the response it is waiting for: a submit that reached the server
is also counted here, which the database check in quiz_load.py relies on.

The setup comes from the JSON file named by ``BENCH_CONFIG``:
``{"quiz_id": 1, "tokens": ["…", …], "answers": {"1": {…}, …}}``. Every
request's name, start time, response time and outcome is written to the file
named by ``BENCH_RESULTS`` when locust quits, after the last user stopped
(locust's own CSV files are written every second and can miss the last one).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from typing import Any

import gevent
from locust import FastHttpUser, between, constant, events, task

CONFIG: dict[str, Any] = {}
RESULTS: list[tuple[str, float, float, str | None]] = []
_next_trainee = itertools.count()


@events.request.add_listener
def record(name: str, response_time: float, exception=None, start_time=None, **kwargs) -> None:
    """[name, start (epoch s), response time (ms), error or None] for every request."""
    started = start_time if start_time is not None else time.time() - response_time / 1000
    error = None if exception is None else str(exception)[:300]
    RESULTS.append((name, started, response_time, error))


@events.quit.add_listener
def write_results(**kwargs) -> None:
    path = os.environ.get("BENCH_RESULTS")
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(RESULTS, handle)


def config() -> dict[str, Any]:
    if not CONFIG:
        with open(os.environ["BENCH_CONFIG"], encoding="utf-8") as handle:
            CONFIG.update(json.load(handle))
    return CONFIG


class Trainee(FastHttpUser):
    """A trainee with an API token of their own (one token per simulated user)."""

    abstract = True
    wait_time = constant(0)  # closed loop at full speed: the phases measure capacity

    def on_start(self) -> None:
        tokens = config()["tokens"]
        self.token = tokens[next(_next_trainee) % len(tokens)]
        self.headers = {"Authorization": f"Token {self.token}", "Accept": "application/json"}


class BaselineWriter(Trainee):
    @task
    def write(self) -> None:
        with self.client.post(
            "/bench/write/", headers=self.headers, name="baseline", catch_response=True
        ) as response:
            if response.status_code != 204:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")


THINK_TIME = float(os.environ.get("BENCH_THINK_TIME") or 0)


class QuizTrainee(Trainee):
    # BENCH_THINK_TIME seconds (±50 %) between a trainee's requests; 0: none.
    wait_time = between(THINK_TIME / 2, THINK_TIME * 3 / 2) if THINK_TIME else constant(0)

    def on_start(self) -> None:
        super().on_start()
        if THINK_TIME:
            # Paced trainees open the quiz over one think time, not all in the same instant.
            gevent.sleep(random.uniform(0, THINK_TIME))
        settings = config()
        self.quiz_id = settings["quiz_id"]
        self.answers = {int(position): answer for position, answer in settings["answers"].items()}
        self.attempt_id: int | None = None
        self.position = 1

    @task
    def step(self) -> None:
        """The next request of the trainee's attempt: start, a save, or the submit."""
        if self.attempt_id is None:
            self.start_attempt()
        elif self.position <= len(self.answers):
            self.save_answer(self.position)
            self.position += 1
        else:
            self.submit_attempt()

    def start_attempt(self) -> None:
        with self.client.post(
            f"/api/v1/quizzes/{self.quiz_id}/attempts/",
            json={"language": "pl"},
            headers=self.headers,
            name="start",
            catch_response=True,
        ) as response:
            if response.status_code not in (200, 201):
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")
                return
            attempt = response.json()
            if len(attempt["questions"]) != len(self.answers):
                response.failure(f"{len(attempt['questions'])} questions, not {len(self.answers)}")
                return
            self.attempt_id = attempt["id"]
            self.position = 1

    def save_answer(self, position: int) -> None:
        with self.client.put(
            f"/api/v1/attempts/{self.attempt_id}/answers/{position}/",
            json={"answer": self.answers[position]},
            headers=self.headers,
            name="save",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")

    def submit_attempt(self) -> None:
        with self.client.post(
            f"/api/v1/attempts/{self.attempt_id}/submit/",
            headers=self.headers,
            name="submit",
            catch_response=True,
        ) as response:
            # Whatever happened, the next task starts (or resumes) an attempt.
            self.attempt_id = None
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")
            elif response.json().get("state") != "submitted":
                response.failure(f"state {response.json().get('state')!r} after submit")
