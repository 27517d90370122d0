"""Load benchmark of the quiz API: gunicorn on PostgreSQL, driven by locust.

    .venv/bin/python benchmarks/quiz_load.py [--users 100] [--seconds 60]
        [--baseline-seconds 20] [--database-url postgres://postgres@127.0.0.1:5432/police_training_bench]

1. Drops and creates the benchmark database (its name must contain "bench"),
   migrates it and seeds one trainee and API token per simulated user and a
   10-question quiz of mixed types (through quizzes.services), unlimited attempts.
2. Starts gunicorn (DJANGO_SETTINGS_MODULE=benchmarks.settings) on a free port
   of 127.0.0.1.
3. Baseline phase: the same number of users POST /bench/write/ (token
   authentication and one UPDATE) without pause.
4. Quiz phase: each user starts an attempt, saves one answer per question and
   submits, then starts the next attempt, without pause.
5. Paced phase: the same trainees with a think time (default 2 s ±50 %)
   between requests, far quicker than people answer questions.
6. Prints per request type: count, failures, requests/s, p50/p95/p99; the
   submissions per second; the ratio of quiz-phase to baseline throughput;
   whether the database holds exactly as many graded attempts as the submits
   that succeeded; the CPU used by gunicorn, PostgreSQL, locust and any other
   process (other work on the machine lowers the throughputs; the server's CPU
   time per request is less disturbed by it); PASS/FAIL against the targets.

The baseline and quiz phases are closed loops at full speed: they measure
capacity (the ratio), and their latencies are those of a saturated server (by
Little's law the mean is about users ÷ throughput). The latency target is
judged on the paced phase, the load of trainees actually answering; with
--think-time 0 there is no paced phase and it is judged at saturation.

Exit status: 0 when there were no errors and no lost attempts (missing the
ratio or latency target is reported, not an exit status), 1 on errors or lost
attempts, 2 when the benchmark could not run.
Everything runs on 127.0.0.1 and stops by itself; gunicorn and locust are
stopped at the end, also on Ctrl-C or an error.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/police_training_bench"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
TARGET_RATIO = 0.5
TARGET_P99_MS = 250.0
# The paced phase's pause between a trainee's requests: a person reads, thinks and
# clicks for far longer between two answers; 2 s keeps the load well above that.
DEFAULT_THINK_TIME = 2.0
QUIZ_REQUESTS = ("start", "save", "submit")

# gunicorn: 2 workers (one per core) of the gthread class with 4 threads each.
# Measured here (2 cores, 100 users, 10 s + 15 s phases, while other work used
# about 0.8 of a core; "ms" is the server's CPU per request, gunicorn plus
# PostgreSQL, which other work disturbs less than it disturbs throughput):
#   sync:          baseline 253 req/s, 3.2 ms CPU/req; quiz 68 req/s, 14.2 ms
#   gthread, 2:    baseline 282 req/s, 3.7 ms;          quiz 79 req/s, 14.1 ms
#   gthread, 4:    baseline 441 req/s, 2.5 ms;          quiz 89 req/s, 12.7 ms
#   gthread, 8:    baseline 329 req/s, 3.2 ms;          quiz 76 req/s, 15.4 ms
# A sync worker serves one request at a time and closes the connection after
# each response: it idles while PostgreSQL runs its queries and commits, and
# every request pays a new TCP connection. Threads overlap one request's
# database waits with another's Python work and keep connections alive; beyond
# 4, GIL contention and more database connections cost more than they give.
DEFAULT_WORKER_CLASS = "gthread"
DEFAULT_THREADS = 4


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100, help="simulated trainees (default 100)")
    parser.add_argument(
        "--seconds", type=int, default=60, help="length of the quiz phase (default 60)"
    )
    parser.add_argument(
        "--baseline-seconds", type=int, default=20, help="length of the baseline phase (default 20)"
    )
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help="PostgreSQL database to DROP and create (its name must contain 'bench')",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--worker-class",
        choices=["gthread", "sync"],
        default=DEFAULT_WORKER_CLASS,
        help=f"gunicorn worker class (default {DEFAULT_WORKER_CLASS})",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=DEFAULT_THREADS,
        help=f"threads per gthread worker (default {DEFAULT_THREADS})",
    )
    parser.add_argument(
        "--think-time",
        type=float,
        default=DEFAULT_THINK_TIME,
        help="seconds (±50%%) between a trainee's requests in the paced phase (default "
        f"{DEFAULT_THINK_TIME:g}); 0 skips that phase and judges latency at saturation",
    )
    parser.add_argument(
        "--keep-files",
        action="store_true",
        help="keep the per-request results and the locust and gunicorn logs (folder printed)",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.users <= 1000:
        parser.error("--users must be between 1 and 1000")
    if not 5 <= args.seconds <= 600 or not 5 <= args.baseline_seconds <= 600:
        parser.error("--seconds and --baseline-seconds must be between 5 and 600")
    return args


class BenchmarkError(Exception):
    """The benchmark could not run (exit status 2)."""


# ---------------------------------------------------------------- database


@dataclass(frozen=True)
class Database:
    url: str
    name: str
    conninfo_admin: str  # the same server, database "postgres": to drop and create


def check_database_url(url: str) -> Database:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise BenchmarkError("--database-url must be a postgres:// URL")
    if (parts.hostname or "") not in LOOPBACK:
        raise BenchmarkError("the benchmark runs on this machine only: use host 127.0.0.1")
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise BenchmarkError(
            f"refusing to drop database {name!r}: the benchmark's database name must contain "
            "'bench'"
        )
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    return Database(url=url, name=name, conninfo_admin=admin)


def reset_database(database: Database) -> None:
    import psycopg
    from psycopg import sql

    try:
        with psycopg.connect(database.conninfo_admin, autocommit=True, connect_timeout=5) as conn:
            name = sql.Identifier(database.name)
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
    except psycopg.OperationalError as error:
        raise BenchmarkError(f"cannot reach PostgreSQL: {error}") from error


def server_env(database: Database, workdir: Path) -> dict[str, str]:
    """The environment of migrate, seeding and gunicorn: benchmarks.settings."""
    static_root = workdir / "static"
    static_root.mkdir(exist_ok=True)
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database.url,
        "ATTEMPT_WRITE_RATE": "1000000/minute",
        "STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": str(workdir / "media"),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(PROJECT_DIR),
    }


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)  # this process migrates, seeds and counts with the same settings
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


# Ten questions of eight types, each with the answer the trainees give.
QUESTIONS: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = [
    (
        "single_choice",
        "Minimalny próg kary dla europejskiego nakazu aresztowania to:",
        {
            "options": [
                {"id": "a", "text": "6 miesięcy", "feedback": "Za mało."},
                {"id": "b", "text": "12 miesięcy", "feedback": "Dobrze."},
                {"id": "c", "text": "3 lata", "feedback": "Za dużo."},
            ],
            "correct": "b",
            "shuffle": True,
        },
        {"option": "b"},
    ),
    (
        "multiple_response",
        "Które wyroby akcyzowe najczęściej się przemyca?",
        {
            "options": [
                {"id": "a", "text": "Papierosy", "feedback": ""},
                {"id": "b", "text": "Chleb", "feedback": ""},
                {"id": "c", "text": "Alkohol", "feedback": ""},
                {"id": "d", "text": "Książki", "feedback": ""},
            ],
            "correct": ["a", "c"],
            "scoring": "partial",
        },
        {"options": ["a", "c"]},
    ),
    ("true_false", "Pościg transgraniczny wymaga umowy.", {"correct": True}, {"value": True}),
    (
        "short_answer",
        "Skrót sieci zespołów poszukiwań celowych:",
        {
            "answers": [{"text": "ENFAST", "fraction": 1.0, "feedback": "Dobrze."}],
            "case_sensitive": False,
            "ignore_diacritics": True,
        },
        {"text": "enfast"},
    ),
    (
        "numerical",
        "Ile kilometrów w głąb kraju sięga pościg?",
        {
            "answers": [{"value": 60, "tolerance": 0, "fraction": 1.0, "feedback": ""}],
            "units": [{"unit": "km", "multiplier": 1}],
            "unit_required": False,
        },
        {"value": "60"},
    ),
    (
        "matching",
        "Dopasuj noty Interpolu:",
        {
            "pairs": [
                {"id": "p1", "prompt": "Czerwona", "answer_id": "c1", "answer": "zatrzymanie"},
                {"id": "p2", "prompt": "Niebieska", "answer_id": "c2", "answer": "informacja"},
                {"id": "p3", "prompt": "Żółta", "answer_id": "c3", "answer": "zaginiony"},
            ],
            "extra_answers": [{"id": "c9", "text": "dzieło sztuki"}],
            "shuffle": True,
        },
        {"matches": {"p1": "c1", "p2": "c2", "p3": "c3"}},
    ),
    (
        "ordering",
        "Uporządkuj kroki zatrzymania:",
        {
            "items": [
                {"id": "i1", "text": "Legitymowanie"},
                {"id": "i2", "text": "Pouczenie"},
                {"id": "i3", "text": "Protokół"},
                {"id": "i4", "text": "Przekazanie"},
            ],
            "scoring": "all_or_nothing",
        },
        {"order": ["i1", "i2", "i3", "i4"]},
    ),
    (
        "cloze",
        "Uzupełnij:",
        {
            "text": "Polska przystąpiła do ENFAST w {{g1}}; czerwona nota to {{g2}}.",
            "gaps": [
                {
                    "id": "g1",
                    "kind": "text",
                    "answers": [{"text": "2012", "fraction": 1.0}],
                    "case_sensitive": False,
                    "ignore_diacritics": True,
                },
                {
                    "id": "g2",
                    "kind": "choice",
                    "options": [{"id": "o1", "text": "wniosek"}, {"id": "o2", "text": "nakaz"}],
                    "correct": "o1",
                },
            ],
        },
        {"gaps": {"g1": "2012", "g2": "o1"}},
    ),
    (
        "single_choice",
        "Handel ludźmi to przestępstwo z artykułu:",
        {
            "options": [
                {"id": "a", "text": "189a k.k.", "feedback": ""},
                {"id": "b", "text": "148 k.k.", "feedback": ""},
                {"id": "c", "text": "286 k.k.", "feedback": ""},
            ],
            "correct": "a",
            "shuffle": True,
        },
        {"option": "c"},  # a wrong answer: grading covers both outcomes
    ),
    ("true_false", "Nota żółta dotyczy sprawców.", {"correct": False}, {"value": False}),
]


def seed(users: int) -> dict[str, Any]:
    """Trainees with tokens and the quiz; returns the locust configuration."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from rest_framework.authtoken.models import Token

    from quizzes import services
    from quizzes.models import QuestionCategory, Quiz, QuizSlot

    user_model = get_user_model()
    with transaction.atomic():
        trainees = []
        for number in range(1, users + 1):
            trainee = user_model(username=f"bench-trainee-{number:04d}")
            trainee.set_unusable_password()  # API tokens only; no slow password hashing
            trainees.append(trainee)
        trainees = user_model.objects.bulk_create(trainees)
        tokens = Token.objects.bulk_create(
            Token(user=trainee, key=Token.generate_key()) for trainee in trainees
        )
        category = QuestionCategory.add_root(name="Benchmark")
        quiz = Quiz.objects.create(title="Sprawdzian obciążeniowy", attempts_allowed=0)
        answers = {}
        for position, (question_type, text, definition, answer) in enumerate(QUESTIONS, 1):
            question = services.create_question(
                category=category,
                type=question_type,
                name=f"Benchmark {position}",
                text=text,
                definition=definition,
                general_feedback="",
                default_mark=Decimal("1"),
            )
            QuizSlot.objects.create(quiz=quiz, position=position, question=question)
            answers[str(position)] = answer
    return {"quiz_id": quiz.pk, "tokens": [token.key for token in tokens], "answers": answers}


@dataclass(frozen=True)
class DatabaseCounts:
    submitted: int
    graded: int
    in_progress: int
    submitted_with_unanswered: int


def count_attempts(quiz_id: int) -> DatabaseCounts:
    from django.db import connections

    from quizzes.models import Attempt, AttemptQuestion, AttemptState

    connections.close_all()  # a fresh connection: see everything committed
    attempts = Attempt.objects.filter(quiz_id=quiz_id)
    submitted = attempts.filter(state=AttemptState.SUBMITTED)
    return DatabaseCounts(
        submitted=submitted.count(),
        graded=submitted.filter(score__isnull=False, percent__isnull=False).count(),
        in_progress=attempts.filter(state=AttemptState.IN_PROGRESS).count(),
        submitted_with_unanswered=AttemptQuestion.objects.filter(
            attempt__quiz_id=quiz_id,
            attempt__state=AttemptState.SUBMITTED,
            answer__isnull=True,
        )
        .values("attempt")
        .distinct()
        .count(),
    )


# ---------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_process(process: subprocess.Popen | None, grace: float = 15) -> None:
    """Stop a child started in its own session: SIGTERM, then SIGKILL to its group."""
    if process is None or process.poll() is not None:
        return
    try:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # the child and its workers only
        process.wait(timeout=5)


def start_gunicorn(
    args: argparse.Namespace, env: dict[str, str], port: int, log: Path
) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "lms.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--log-level",
        "warning",
        "--error-logfile",
        str(log),
    ]
    if args.worker_class == "gthread":
        command += ["--threads", str(args.threads)]
    return subprocess.Popen(
        command,
        cwd=PROJECT_DIR,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # Ctrl-C reaches this script, which stops gunicorn itself
    )


def request(
    url: str, method: str = "GET", token: str | None = None, body: bytes | None = None
) -> tuple[int, bytes]:
    headers = {"Accept": "application/json", "Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_until_ready(process: subprocess.Popen, base: str, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchmarkError(f"gunicorn exited with {process.returncode}:\n{tail(log)}")
        try:
            status, _ = request(f"{base}/healthz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise BenchmarkError(f"gunicorn did not answer /healthz within {timeout:.0f} s:\n{tail(log)}")


def smoke_test(base: str, setup: dict[str, Any], workers: int) -> None:
    """Both endpoints answer as the load expects, and every worker has served requests."""
    token = setup["tokens"][0]
    for _ in range(10 * workers):
        status, body = request(f"{base}/bench/write/", "POST", token)
        if status != 204:
            raise BenchmarkError(f"POST /bench/write/ answered {status}: {body[:300]!r}")
        status, body = request(f"{base}/api/v1/quizzes/{setup['quiz_id']}/", "GET", token)
        if status != 200:
            raise BenchmarkError(f"GET /api/v1/quizzes/… answered {status}: {body[:300]!r}")


def run_locust(
    phase: str,
    user_class: str,
    args: argparse.Namespace,
    seconds: int,
    base: str,
    workdir: Path,
    config_path: Path,
    monitor: CpuMonitor,
    think_time: float = 0.0,
) -> Phase:
    """One headless locust run, its CPU use watched by `monitor`."""
    results = workdir / f"{phase}-requests.json"
    log = workdir / f"{phase}-locust.log"
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(PROJECT_DIR / "benchmarks" / "locustfile.py"),
        "--headless",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.users),  # all users within a second
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "10",  # let each user finish the request it waits for
        "--host",
        base,
        "--only-summary",  # locust's own table, in the log (--keep-files)
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",  # failures are counted from the results
        user_class,
    ]
    env = {
        **os.environ,
        "BENCH_CONFIG": str(config_path),
        "BENCH_THINK_TIME": str(think_time),
        "BENCH_RESULTS": str(results),
    }
    with open(log, "wb") as output, monitor:
        process = subprocess.Popen(
            command,
            cwd=PROJECT_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        monitor.locust_pid = process.pid
        try:
            process.wait(timeout=seconds + 90)
        except subprocess.TimeoutExpired:
            raise BenchmarkError(f"locust ({phase}) did not stop in time:\n{tail(log)}") from None
        finally:
            stop_process(process)
    if process.returncode != 0 or not results.exists():
        raise BenchmarkError(f"locust ({phase}) failed ({process.returncode}):\n{tail(log)}")
    text = log.read_text(errors="replace")
    if "CPU usage" in text:
        print(f"  note: locust warned about its own CPU usage in the {phase} phase", flush=True)
    return Phase.load(results)


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


# ---------------------------------------------------------------- CPU use


class CpuMonitor:
    """Where the machine's CPU went during a phase: gunicorn, PostgreSQL, locust, other.

    The load generator shares the machine with the server, and so may other
    work: "other" (processes that are not part of the benchmark) says how much
    the figures were disturbed.
    """

    INTERVAL = 1.0

    def __init__(self, gunicorn_pid: int, database_name: str) -> None:
        import threading

        import psutil

        self.psutil = psutil
        self.gunicorn_pid = gunicorn_pid
        self.database_name = database_name
        self.locust_pid: int | None = None
        self.first: dict[tuple[int, float], float] = {}
        self.last: dict[tuple[int, float], tuple[float, str, str]] = {}
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.started_at = 0.0
        self.busy_at_start = 0.0
        self.result: dict[str, float] = {}  # cores used, by category
        self.cpu_seconds: dict[str, float] = {}
        self.others: Counter[str] = Counter()  # cores used by other processes, by name

    def _busy(self) -> float:
        times = self.psutil.cpu_times()
        return sum(times) - times.idle - getattr(times, "iowait", 0.0)

    def _category(self, process) -> str:
        try:
            pid, ppid, name = process.pid, process.ppid(), process.name()
            title = " ".join(process.cmdline())
        except (self.psutil.NoSuchProcess, self.psutil.AccessDenied, self.psutil.ZombieProcess):
            return "other"
        if self.gunicorn_pid in (pid, ppid):
            return "gunicorn"
        if self.locust_pid is not None and self.locust_pid in (pid, ppid):
            return "locust"
        if name == "postgres" or title.startswith("postgres"):
            if self.database_name in title:
                return "postgres"
            if "(" in title or "[local]" in title:
                return "other"  # a connection to another database
            return "postgres"  # the server's own processes: WAL writer, checkpointer…
        if pid == os.getpid():
            return "quiz_load"
        return "other"

    def _sample(self, first: bool = False) -> None:
        for process in self.psutil.process_iter():
            try:
                key = (process.pid, process.create_time())
                times = process.cpu_times()
            except (self.psutil.NoSuchProcess, self.psutil.AccessDenied):
                continue
            cpu = times.user + times.system
            if first:
                self.first[key] = cpu
            elif key not in self.first and key not in self.last:
                self.first[key] = 0.0 if key[1] >= self.started_epoch else cpu
            try:
                name = process.name()
            except (self.psutil.NoSuchProcess, self.psutil.AccessDenied):
                name = "?"
            self.last[key] = (cpu, self._category(process), name)

    def _run(self) -> None:
        while not self.stopping.wait(self.INTERVAL):
            self._sample()

    def __enter__(self) -> CpuMonitor:
        self.started_at = time.monotonic()
        self.started_epoch = time.time()
        self.busy_at_start = self._busy()
        self._sample(first=True)
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stopping.set()
        self.thread.join()
        self._sample()
        wall = max(time.monotonic() - self.started_at, 1e-6)
        used: dict[str, float] = {}
        others: Counter[str] = Counter()
        for key, (cpu, category, name) in self.last.items():
            delta = max(0.0, cpu - self.first.get(key, cpu))
            used[category] = used.get(category, 0.0) + delta
            if category == "other":
                others[name] += delta / wall
        self.others = others
        self.cpu_seconds = used
        self.result = {category: seconds / wall for category, seconds in used.items()}
        self.result["machine"] = (self._busy() - self.busy_at_start) / wall

    def server_ms_per_request(self, requests: int) -> float:
        """CPU time of gunicorn and PostgreSQL per request, in ms."""
        used = self.cpu_seconds.get("gunicorn", 0.0) + self.cpu_seconds.get("postgres", 0.0)
        return 1000 * used / requests if requests else 0.0

    def summary(self) -> str:
        parts = [
            f"{name} {self.result.get(name, 0.0):.2f}"
            for name in ("gunicorn", "postgres", "locust", "other")
        ]
        summary = f"{', '.join(parts)}; machine busy {self.result.get('machine', 0.0):.2f}"
        if self.result.get("other", 0.0) > 0.05:
            top = ", ".join(f"{name} {cores:.2f}" for name, cores in self.others.most_common(3))
            summary += f"\n{'':11}other: {top}"
        return summary


# ---------------------------------------------------------------- report


@dataclass(frozen=True)
class Row:
    name: str
    count: int
    failures: int
    rps: float
    p50: float
    p95: float
    p99: float
    max: float


def percentile(ordered: list[float], fraction: float) -> float:
    """Nearest-rank percentile of sorted values."""
    if not ordered:
        return 0.0
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Phase:
    """Every request of one locust run: (name, start epoch s, response time ms, error)."""

    requests: list[tuple[str, float, float, str | None]]

    @classmethod
    def load(cls, path: Path) -> Phase:
        return cls([tuple(item) for item in json.loads(path.read_text(encoding="utf-8"))])

    @property
    def seconds(self) -> float:
        """From the first request's start to the last response."""
        if not self.requests:
            return 0.0
        first = min(started for _, started, _, _ in self.requests)
        last = max(started + elapsed / 1000 for _, started, elapsed, _ in self.requests)
        return max(last - first, 1e-6)

    def row(self, name: str) -> Row:
        """Stats of the requests called `name` ("all": every request of the phase)."""
        chosen = [item for item in self.requests if name == "all" or item[0] == name]
        times = sorted(elapsed for _, _, elapsed, _ in chosen)
        seconds = self.seconds
        return Row(
            name=name,
            count=len(chosen),
            failures=sum(1 for *_, error in chosen if error is not None),
            rps=len(chosen) / seconds if seconds else 0.0,
            p50=percentile(times, 0.50),
            p95=percentile(times, 0.95),
            p99=percentile(times, 0.99),
            max=times[-1] if times else 0.0,
        )

    def failures(self) -> list[str]:
        counted = Counter((name, error) for name, _, _, error in self.requests if error)
        return [f"{count:>6} × {name}: {error}" for (name, error), count in counted.most_common()]


def server_errors(log: Path) -> int:
    try:
        text = log.read_text(errors="replace")
    except OSError:
        return 0
    return text.count("Internal Server Error") + text.count("WORKER TIMEOUT")


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def report(
    args: argparse.Namespace,
    phases: dict[str, Phase],
    counts: DatabaseCounts,
    gunicorn_errors: int,
    cpu: dict[str, CpuMonitor],
) -> int:
    """Prints the figures and targets of the phases ("baseline", "quiz" and
    optionally "paced"); returns the exit status."""
    quiz_phase = phases["quiz"]
    baseline = {"baseline": phases["baseline"].row("baseline")}
    quiz = {name: quiz_phase.row(name) for name in (*QUIZ_REQUESTS, "all")}
    paced_phase = phases.get("paced")
    paced = {name: paced_phase.row(name) for name in (*QUIZ_REQUESTS, "all")} if paced_phase else {}
    failures = [failure for phase in phases.values() for failure in phase.failures()]
    line = "-" * 78
    print()
    print(
        f"Quiz API load benchmark: {args.users} users, gunicorn {args.workers} × "
        f"{args.worker_class}"
        + (f" ({args.threads} threads)" if args.worker_class == "gthread" else "")
        + f", PostgreSQL; baseline {args.baseline_seconds} s, quiz {args.seconds} s"
        + (f", paced {args.seconds} s ({args.think_time:g} s think time)" if paced else "")
    )
    print(line)
    print(
        f"{'phase':<9}{'request':<10}{'count':>8}{'failures':>10}{'req/s':>9}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}"
    )
    print(line)
    for phase, rows, names in (
        ("baseline", baseline, ("baseline",)),
        ("quiz", quiz, (*QUIZ_REQUESTS, "all")),
        ("paced", paced, (*QUIZ_REQUESTS, "all") if paced else ()),
    ):
        for name in names:
            row = rows[name]
            print(
                f"{phase:<9}{name:<10}{row.count:>8}{row.failures:>10}{row.rps:>9.1f}"
                f"{row.p50:>9.0f}{row.p95:>9.0f}{row.p99:>9.0f}{row.max:>9.0f}"
            )
    print(line)

    base_row, quiz_all, submit = baseline["baseline"], quiz["all"], quiz["submit"]
    base_rps, quiz_rps, quiz_seconds = base_row.rps, quiz_all.rps, quiz_phase.seconds
    quiz_submits = submit.count - submit.failures
    submissions_per_second = quiz_submits / quiz_seconds if quiz_seconds else 0.0
    ratio = quiz_rps / base_rps if base_rps else 0.0
    submit_ratio = submissions_per_second / base_rps if base_rps else 0.0
    errors = sum(phase.row("all").failures for phase in phases.values())
    successful_submits = quiz_submits + (
        paced["submit"].count - paced["submit"].failures if paced else 0
    )
    lost = successful_submits - counts.graded

    requests_per_attempt = len(QUESTIONS) + 2
    figures = [
        (
            f"submissions/s (successful submits ÷ {quiz_seconds:.1f} s)",
            f"{submissions_per_second:.1f}",
        ),
        ("baseline writes/s", f"{base_rps:.1f}"),
        ("quiz requests/s (start + save + submit)", f"{quiz_rps:.1f}"),
        ("ratio: quiz requests/s ÷ baseline writes/s", f"{ratio:.2f}"),
        (
            f"submissions/s ÷ baseline writes/s ({requests_per_attempt} requests each)",
            f"{submit_ratio:.3f}",
        ),
        None,
        ("successful submit requests (quiz and paced phases)", str(successful_submits)),
        ("graded attempts in the database", str(counts.graded)),
        ("submitted attempts in the database", str(counts.submitted)),
        ("attempts left in progress (users stopped mid-way)", str(counts.in_progress)),
        ("submitted attempts with an unanswered question", str(counts.submitted_with_unanswered)),
        ("server errors in the gunicorn log", str(gunicorn_errors)),
    ]
    for figure in figures:
        if figure is None:
            print(line)
        else:
            print(f"{figure[0]:<60}{figure[1]:>10}")
    print(f"CPU in cores (of {os.cpu_count()}), by process group:")
    disturbed = False
    for phase, monitor in cpu.items():
        print(f"  {phase:<9}{monitor.summary()}")
        disturbed = disturbed or monitor.result.get("other", 0.0) > 0.2
    base_cost = cpu["baseline"].server_ms_per_request(base_row.count)
    # The latency target: the paced load when there is one, else the saturated one.
    latency_phase, latency = ("paced", paced) if paced else ("quiz", quiz)
    quiz_cost = cpu["quiz"].server_ms_per_request(quiz_all.count)
    print(
        f"server CPU per request (gunicorn + PostgreSQL): baseline {base_cost:.1f} ms, "
        f"quiz {quiz_cost:.1f} ms;"
    )
    print(
        f"  their ratio, {base_cost / quiz_cost if quiz_cost else 0.0:.2f}, is the throughput "
        "ratio to expect when the server alone is CPU-bound"
    )
    if disturbed:
        print("  WARNING: other processes used CPU during the run: the throughputs are lower")
        print("  than this machine can do; run again on a quiet machine")
    if failures:
        print("failures:")
        for failure in failures[:10]:
            print(f"  {failure}")
    print(line)

    worst_name, worst_p99 = max(
        ((name, latency[name].p99) for name in QUIZ_REQUESTS), key=lambda x: x[1]
    )
    attempts_ok = (
        lost == 0 and counts.submitted == counts.graded and counts.submitted_with_unanswered == 0
    )
    checks = [
        (
            f"ratio quiz ÷ baseline throughput ≥ {TARGET_RATIO}",
            f"{ratio:.2f}",
            ratio >= TARGET_RATIO,
        ),
        (
            f"p99 < {TARGET_P99_MS:.0f} ms for start, save and submit ({latency_phase})",
            f"{worst_p99:.0f} ms ({worst_name})",
            all(latency[name].count for name in QUIZ_REQUESTS) and worst_p99 < TARGET_P99_MS,
        ),
        ("zero errors", str(errors + gunicorn_errors), errors + gunicorn_errors == 0),
        (
            "zero lost attempts (graded = successful submits)",
            f"{counts.graded} {'=' if lost == 0 else '≠'} {successful_submits}",
            attempts_ok,
        ),
    ]
    print("Targets")
    for name, value, ok in checks:
        print(f"  {verdict(ok)}  {name:<52}{value:>18}")
    print(line)
    if errors + gunicorn_errors or not attempts_ok:
        print("RESULT: FAIL (errors or lost attempts)")
        return 1
    if all(ok for _, _, ok in checks):
        print("RESULT: PASS")
    else:
        print("RESULT: no errors, no lost attempts; a performance target was missed (see above)")
    return 0


# ---------------------------------------------------------------- main


def interrupt_on_signals() -> None:
    """Ctrl-C and SIGTERM both raise KeyboardInterrupt, so that every `finally` stops the
    benchmark's processes and removes its files and database."""

    def terminate(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGINT, signal.default_int_handler)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)

    interrupt_on_signals()
    gunicorn: subprocess.Popen | None = None
    workdir = Path(tempfile.mkdtemp(prefix="quiz-load-"))
    try:
        database = check_database_url(args.database_url)
        env = server_env(database, workdir)
        print(f"database: dropping and creating {database.name}", flush=True)
        reset_database(database)
        setup_django(env)
        started = time.monotonic()
        migrate()
        setup = seed(args.users)
        from django.db import connections

        connections.close_all()
        print(
            f"database: migrated and seeded in {time.monotonic() - started:.0f} s "
            f"({args.users} trainees with tokens, quiz {setup['quiz_id']} of "
            f"{len(setup['answers'])} questions)",
            flush=True,
        )
        config_path = workdir / "config.json"
        config_path.write_text(json.dumps(setup))

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        gunicorn_log = workdir / "gunicorn.log"
        gunicorn = start_gunicorn(args, env, port, gunicorn_log)
        wait_until_ready(gunicorn, base, gunicorn_log)
        smoke_test(base, setup, args.workers)
        print(f"gunicorn: serving on {base}", flush=True)

        print(
            f"baseline phase: {args.users} users × POST /bench/write/ for "
            f"{args.baseline_seconds} s",
            flush=True,
        )
        baseline_cpu = CpuMonitor(gunicorn.pid, database.name)
        baseline = run_locust(
            "baseline",
            "BaselineWriter",
            args,
            args.baseline_seconds,
            base,
            workdir,
            config_path,
            baseline_cpu,
        )
        print(
            f"quiz phase: {args.users} users × start → {len(setup['answers'])} saves → submit "
            f"for {args.seconds} s",
            flush=True,
        )
        quiz_cpu = CpuMonitor(gunicorn.pid, database.name)
        quiz = run_locust(
            "quiz", "QuizTrainee", args, args.seconds, base, workdir, config_path, quiz_cpu
        )
        phases = {"baseline": baseline, "quiz": quiz}
        monitors = {"baseline": baseline_cpu, "quiz": quiz_cpu}
        if args.think_time:
            print(
                f"paced phase: the same, {args.think_time:g} s (±50 %) between a trainee's "
                f"requests, for {args.seconds} s",
                flush=True,
            )
            monitors["paced"] = CpuMonitor(gunicorn.pid, database.name)
            phases["paced"] = run_locust(
                "paced",
                "QuizTrainee",
                args,
                args.seconds,
                base,
                workdir,
                config_path,
                monitors["paced"],
                think_time=args.think_time,
            )
        stop_process(gunicorn)
        counts = count_attempts(setup["quiz_id"])
        status = report(args, phases, counts, server_errors(gunicorn_log), monitors)
        if args.keep_files:
            print(f"files: {workdir}")
        return status
    except BenchmarkError as error:
        print(f"benchmark could not run: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: stopping gunicorn and locust", file=sys.stderr)
        return 130
    finally:
        stop_process(gunicorn)
        if not args.keep_files:
            import shutil

            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
