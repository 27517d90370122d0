"""CPU cost of each quiz API request, measured in one process: quiz_load.py's steadier twin.

    .venv/bin/python benchmarks/quiz_cpu.py [--attempts 200] [--warm-up 10]
        [--database-url postgres://postgres@127.0.0.1:5432/police_training_bench_cpu]

quiz_load.py measures throughput, which anything else running on the machine
disturbs: its baseline and quiz phases run a minute apart, and one run's ratio can
move by a tenth. This benchmark measures what each request costs instead:

1. Drops and creates the benchmark database (its name must contain "bench"),
   migrates it and seeds trainees with API tokens and quiz_load.py's 10-question quiz.
2. Sends the load benchmark's requests through Django's test client in this process
   (benchmarks.settings: the production middleware, token authentication, the
   attempt-write throttle), alternating, --attempts times, one round of baseline
   writes (POST /bench/write/, as many as an attempt has requests) with one whole
   attempt (start → 10 saves → submit), so that a change in the machine's speed
   touches both alike. The first --warm-up rounds are not measured.
3. Prints per request type the Python CPU per request (median), the PostgreSQL
   backend's CPU per request (mean: the kernel counts it in 10 ms ticks), and the
   SQL queries it ran (the last one of its type in a separate round); then the cost per request of
   the baseline and of the quiz mix, and their ratio: what the throughput ratio of
   quiz_load.py would be if the application's work were all a request cost.

The test client skips what a server does around a request (reading the socket,
parsing HTTP, the connection health check) for both request types alike.
Exit status: 0 when it ran, 2 when it could not (the database is dropped at the end).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Run as a script: the project (for `benchmarks` and Django's apps) on the import path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.quiz_load import (
    QUIZ_REQUESTS,
    BenchmarkError,
    check_database_url,
    migrate,
    reset_database,
    seed,
    server_env,
    setup_django,
)
from benchmarks.scorm_export_bench import drop_postgres

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/police_training_bench_cpu"
TRAINEES = 20
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--attempts", type=int, default=200, help="measured rounds, each one attempt"
    )
    parser.add_argument("--warm-up", type=int, default=10, help="rounds not measured first")
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help="PostgreSQL database to DROP and create (its name must contain 'bench')",
    )
    args = parser.parse_args(argv)
    if not 10 <= args.attempts <= 10_000 or not 0 <= args.warm_up <= 1000:
        parser.error("--attempts must be 10 to 10,000 and --warm-up 0 to 1,000")
    return args


@dataclass
class Costs:
    """What the requests of one type cost: per request, seconds of CPU."""

    python: list[float] = field(default_factory=list)
    database: list[float] = field(default_factory=list)
    queries: int = 0

    @property
    def python_ms(self) -> float:
        return statistics.median(self.python) * 1000

    @property
    def database_ms(self) -> float:
        return statistics.fmean(self.database) * 1000

    @property
    def total_ms(self) -> float:
        return self.python_ms + self.database_ms


def backend_cpu_seconds(pid: int) -> float:
    """User + system CPU of a process (here: this connection's PostgreSQL backend)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


class Driver:
    """One trainee's requests at a time, through Django's test client."""

    def __init__(self, setup: dict[str, Any]) -> None:
        from django.test import Client

        self.client = Client(HTTP_HOST="127.0.0.1")
        self.setup = setup
        self.answers = [setup["answers"][str(n)] for n in range(1, len(setup["answers"]) + 1)]
        self.costs = {name: Costs() for name in ("baseline", *QUIZ_REQUESTS)}

    def round(self, number: int, *, measure: bool, count_queries: bool = False) -> None:
        """Baseline writes, as many as an attempt has requests, then one attempt."""
        from django.db import connection

        token = self.setup["tokens"][number % len(self.setup["tokens"])]
        headers = {"HTTP_AUTHORIZATION": f"Token {token}", "HTTP_ACCEPT": "application/json"}
        with connection.cursor() as cursor:  # the backend serving this round
            cursor.execute("SELECT pg_backend_pid()")
            (backend,) = cursor.fetchone()
        send = self._sender(backend, headers, measure, count_queries)
        for _ in range(len(self.answers) + 2):
            send("baseline", "post", "/bench/write/", None, 204)
        attempt = send(
            "start",
            "post",
            f"/api/v1/quizzes/{self.setup['quiz_id']}/attempts/",
            {"language": "pl"},
            201,
        )
        url = f"/api/v1/attempts/{attempt['id']}/"
        for position, answer in enumerate(self.answers, start=1):
            send("save", "put", f"{url}answers/{position}/", {"answer": answer}, 200)
        send("submit", "post", f"{url}submit/", None, 200)

    def _sender(
        self, backend: int, headers: dict[str, str], measure: bool, count_queries: bool
    ) -> Callable[..., Any]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def send(name: str, method: str, path: str, body: Any, expected: int) -> Any:
            call = getattr(self.client, method)
            arguments: dict[str, Any] = dict(headers)
            if body is not None:
                arguments.update(data=json.dumps(body), content_type="application/json")
            if count_queries:
                with CaptureQueriesContext(connection) as queries:
                    response = call(path, **arguments)
                self.costs[name].queries = len(queries)
            else:
                database = backend_cpu_seconds(backend)
                python = time.process_time()
                response = call(path, **arguments)
                python = time.process_time() - python
                database = backend_cpu_seconds(backend) - database
                if measure:
                    self.costs[name].python.append(python)
                    self.costs[name].database.append(database)
            if response.status_code != expected:
                raise BenchmarkError(
                    f"{method.upper()} {path}: HTTP {response.status_code}, not {expected}: "
                    f"{response.content[:300]!r}"
                )
            return response.json() if expected != 204 else None

        return send


def quiz_mix(costs: dict[str, Costs], saves: int, measure: str) -> float:
    """Cost per request of a whole attempt (start, `saves` saves, submit), in ms."""
    total = (
        getattr(costs["start"], measure)
        + saves * getattr(costs["save"], measure)
        + getattr(costs["submit"], measure)
    )
    return total / (saves + 2)


def report(args: argparse.Namespace, driver: Driver) -> str:
    costs, saves = driver.costs, len(driver.answers)
    lines = [
        f"Quiz API CPU per request: {args.attempts} attempts of {saves} questions, each after "
        f"{saves + 2} baseline writes; PostgreSQL, benchmarks.settings, Django's test client",
        "-" * 78,
        f"{'request':<10}{'count':>8}{'Python ms':>12}{'PostgreSQL ms':>15}"
        f"{'total ms':>11}{'queries':>10}",
        "-" * 78,
    ]
    for name, cost in costs.items():
        lines.append(
            f"{name:<10}{len(cost.python):>8}{cost.python_ms:>12.2f}{cost.database_ms:>15.2f}"
            f"{cost.total_ms:>11.2f}{cost.queries:>10}"
        )
    baseline = costs["baseline"]
    mix = {
        measure: quiz_mix(costs, saves, measure)
        for measure in ("python_ms", "database_ms", "total_ms")
    }
    lines.append(
        f"{'quiz mix':<10}{'':>8}{mix['python_ms']:>12.2f}{mix['database_ms']:>15.2f}"
        f"{mix['total_ms']:>11.2f}{'':>10}"
    )
    ratio = baseline.total_ms / mix["total_ms"]
    lines += [
        "-" * 78,
        f"quiz mix: (start + {saves} saves + submit) ÷ {saves + 2}, per request",
        f"ratio of costs, Python only: baseline ÷ quiz mix"
        f"{baseline.python_ms / mix['python_ms']:>28.2f}",
        f"ratio of costs, Python and PostgreSQL: baseline ÷ quiz mix{ratio:>19.2f}",
        "(quiz_load.py's throughput ratio comes out higher: the server's own work per",
        " request, HTTP and the connection health check, adds the same to both.)",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="quiz-cpu-"))
    created = None
    try:
        database = check_database_url(args.database_url)
        print(f"database: dropping and creating {database.name}", flush=True)
        reset_database(database)
        created = database
        setup_django(server_env(database, workdir))
        migrate()
        driver = Driver(seed(TRAINEES))
        print(
            f"measuring: {args.warm_up} rounds of warm-up, then {args.attempts} rounds",
            flush=True,
        )
        for number in range(args.warm_up):
            driver.round(number, measure=False)
        driver.round(args.warm_up, measure=False, count_queries=True)
        for number in range(args.attempts):
            driver.round(number, measure=True)
        print(report(args, driver))
        return 0
    except BenchmarkError as error:
        print(f"benchmark could not run: {error}", file=sys.stderr)
        return 2
    finally:
        if created is not None:
            from django.db import connections

            connections.close_all()
            drop_postgres(created)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
