"""Benchmark of the learner side's reads: the training reports and a trainee's dashboard.

    .venv/bin/python benchmarks/learner_bench.py [--trainees 20000] [--courses 50]
        [--progress 500000] [--modules 5] [--runs 5] [--keep-database]
        [--database-url postgres://postgres@127.0.0.1:5432/police_training_bench_learner]

1. Drops and creates the PostgreSQL database of --database-url (its name must contain
   "bench", host on this machine) and migrates it.
2. Generates: the unit tree (national headquarters, 4 voivodeships, 10 districts
   each); --courses published courses of --modules modules each (Wagtail pages under a
   catalogue); --trainees users with profiles spread over the districts; enrolments
   and --progress module progress rows (each enrolment completed, part done or not
   started; a tenth assigned with a due date), certificates for the completed courses;
   bulk inserts of 10,000 rows, then VACUUM ANALYZE (as autovacuum would after a data
   load: statistics, and the visibility map that index-only scans need).
   Two more trainees are the dashboard's: one on 1 course, one on 10, with seats at
   one and three upcoming classroom sessions (two on each of the first ten courses).
3. Times, after an untimed warm-up, --runs runs of each read (best and median) and
   counts its queries in a separate run:
   - the completion per unit report (lms.reports.unit_completion, whole tree);
   - the completion per course report (lms.reports.course_completion);
   - the My courses page (the whole request: sign-in session, the dashboard's reads,
     open sessions, the trainee's registrations, the template) of the trainee on 1
     course and of the trainee on 10.
4. Prints the data sizes, a table of the figures and PASS/FAIL against the targets:
   each read's median under 300 ms, and the dashboard's query count the same
   whatever the number of courses.

Settings: lms.settings in development mode with DEBUG off and the "database" tasks
backend (Wagtail's indexing is queued, not run, while the pages are made).

Exit status: 0 when the benchmark ran (a missed target is reported as FAIL), 2 when
it could not run. The database is dropped at the end unless --keep-database.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

# Run as a script: the project (for `benchmarks` and Django's apps) on the import path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.quiz_load import interrupt_on_signals
from benchmarks.scorm_export_bench import (
    BenchmarkError,
    _publish,
    _site_home,
    django_env,
    drop_postgres,
    reset_postgres,
    setup_django,
    verdict,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/police_training_bench_learner"
TARGET_MS = 300.0
BATCH = 10_000
VOIVODESHIPS = ("Lublin", "Rzeszów", "Białystok", "Olsztyn")
DISTRICTS_PER_VOIVODESHIP = 10
#: The dashboard is timed for a trainee on one course and for one on this many.
MANY_COURSES = 10
SEED = 2026


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trainees", type=int, default=20_000, help="default 20000")
    parser.add_argument("--courses", type=int, default=50, help="default 50")
    parser.add_argument(
        "--progress", type=int, default=500_000, help="module progress rows (default 500000)"
    )
    parser.add_argument("--modules", type=int, default=5, help="modules per course (default 5)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each read (default 5)")
    parser.add_argument(
        "--keep-database", action="store_true", help="leave the database for inspection"
    )
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help="PostgreSQL database to DROP and create (its name must contain 'bench')",
    )
    args = parser.parse_args(argv)
    if min(args.trainees, args.modules, args.runs) < 1 or args.progress < 0:
        parser.error("--trainees, --modules and --runs must be at least 1")
    if args.courses < 2:  # the dashboard is compared on 1 course and on more
        parser.error("--courses must be at least 2")
    if args.progress > args.trainees * args.courses * args.modules:
        parser.error("--progress exceeds trainees × courses × modules")
    return args


# ---------------------------------------------------------------- data


@dataclass(frozen=True)
class Sizes:
    units: int
    courses: int
    modules: int
    trainees: int
    enrolments: int
    progress: int
    certificates: int


def make_units() -> list[Any]:
    """The districts (their parents made on the way)."""
    from lms.models import Unit

    national = Unit.add_root(code="kgp", name="Komenda Główna Policji", kind=Unit.Kind.NATIONAL)
    districts = []
    for number, city in enumerate(VOIVODESHIPS, start=1):
        voivodeship = national.add_child(
            code=f"kwp-{number}", name=f"KWP {city}", kind=Unit.Kind.VOIVODESHIP
        )
        for district in range(1, DISTRICTS_PER_VOIVODESHIP + 1):
            voivodeship.refresh_from_db()  # treebeard changed its child count
            districts.append(
                voivodeship.add_child(
                    code=f"kpp-{number}-{district}",
                    name=f"KPP {city} {district}",
                    kind=Unit.Kind.DISTRICT,
                )
            )
    return districts


def make_courses(courses: int, modules: int) -> list[tuple[Any, list[Any]]]:
    """Published courses with their published modules, under the site's catalogue."""
    from django.db import transaction
    from django.test.utils import override_settings

    from courses.choices import Topic
    from courses.models import CataloguePage, CoursePage, ModulePage

    made = []
    with override_settings(WAGTAILREDIRECTS_AUTO_CREATE=False), transaction.atomic():
        catalogue = _publish(_site_home(), CataloguePage(title="Katalog kursów", slug="kursy"))
        topics = list(Topic.values)
        for number in range(1, courses + 1):
            course = _publish(
                catalogue,
                CoursePage(
                    title=f"Kurs {number:03d}",
                    slug=f"kurs-{number:03d}",
                    topic=topics[number % len(topics)],
                    audience="Funkcjonariusze",
                    duration_minutes=60,
                ),
            )
            pages = [
                _publish(
                    course,
                    ModulePage(title=f"Moduł {m}", slug=f"modul-{number}-{m}", duration_minutes=15),
                )
                for m in range(1, modules + 1)
            ]
            made.append((course, pages))
    return made


def batched(rows: Iterator[Any], model: type, size: int = BATCH) -> int:
    """bulk_create `rows` in batches of `size` without holding them all; returns the count."""
    count = 0
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            model.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch)
        count += len(batch)
    return count


def make_trainees(count: int, districts: list[Any], prefix: str) -> list[int]:
    """Users (no usable password) with profiles in the districts; returns their ids."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from lms.models import TraineeProfile

    user_model = get_user_model()
    unusable = make_password(None)  # one hash for all: nobody signs in as them
    batched(
        (
            user_model(
                username=f"{prefix}{number:06d}",
                first_name="Jan",
                last_name=f"Nowak {number}",
                password=unusable,
            )
            for number in range(count)
        ),
        user_model,
    )
    ids = list(
        user_model.objects.filter(username__startswith=prefix)
        .order_by("username")
        .values_list("pk", flat=True)
    )
    batched(
        (
            TraineeProfile(user_id=pk, unit=districts[index % len(districts)], rank="sierżant")
            for index, pk in enumerate(ids)
        ),
        TraineeProfile,
    )
    return ids


#: An enrolment to make: (user id, course index, modules done), where done is -1 for not
#: started, the number of modules for completed, and in between for in progress (the done
#: modules and the next one opened).
PlannedEnrolment = tuple[int, int, int]


def progress_rows_of(done: int, modules: int) -> int:
    return 0 if done < 0 else modules if done == modules else done + 1


def plan_enrolments(
    rng: random.Random, trainees: list[int], courses: int, modules: int, progress: int
) -> list[PlannedEnrolment]:
    """Enrolments, one trainee after another round and round, until the progress rows
    reach `progress`: 40 % completed, 45 % in progress, 15 % not started."""
    taken: dict[int, set[int]] = {pk: set() for pk in trainees}
    enrolments = []
    rows = 0
    while rows < progress:
        added = False
        for pk in trainees:
            remaining = progress - rows
            if not remaining:
                break
            if len(taken[pk]) == courses:
                continue
            course = rng.randrange(courses)
            while course in taken[pk]:
                course = (course + 1) % courses
            taken[pk].add(course)
            draw = rng.random()
            done = modules if draw < 0.4 else -1 if draw > 0.85 else rng.randrange(modules)
            wanted = progress_rows_of(done, modules)
            if wanted > remaining:  # the last rows: an enrolment in progress that fits
                done, wanted = remaining - 1, remaining
            rows += wanted
            enrolments.append((pk, course, done))
            added = True
        if not added:  # every trainee is on every course
            break
    return enrolments


def insert_learning(
    rng: random.Random, plan: list[PlannedEnrolment], courses: list[tuple[Any, list[Any]]]
) -> tuple[int, int, int]:
    """Enrolments, progress rows and certificates of the plan; returns their counts."""
    from django.utils import timezone

    from lms.models import Certificate, Enrolment, ModuleProgress

    now = timezone.now()
    modules = len(courses[0][1])
    dates: list[datetime] = [now - timedelta(days=rng.uniform(20, 365)) for _ in plan]

    def enrolment_rows() -> Iterator[Enrolment]:
        for (user_id, course, done), enrolled in zip(plan, dates, strict=True):
            assigned = rng.random() < 0.1
            yield Enrolment(
                user_id=user_id,
                course=courses[course][0],
                source=Enrolment.Source.ASSIGNED if assigned else Enrolment.Source.SELF,
                enrolled_at=enrolled,
                due_date=(enrolled + timedelta(days=30)).date() if assigned else None,
                completed_at=enrolled + timedelta(days=modules * 2) if done == modules else None,
            )

    def progress_rows() -> Iterator[ModuleProgress]:
        for (user_id, course, done), enrolled in zip(plan, dates, strict=True):
            for step, module in enumerate(courses[course][1][: progress_rows_of(done, modules)]):
                at = enrolled + timedelta(days=step * 2)
                finished = at + timedelta(minutes=30) if step < done else None
                yield ModuleProgress(
                    user_id=user_id,
                    module=module,
                    viewed_at=at,
                    quiz_passed_at=finished,
                    completed_at=finished,
                )

    def certificate_rows() -> Iterator[Certificate]:
        for (user_id, course, done), enrolled in zip(plan, dates, strict=True):
            if done == modules:
                page = courses[course][0]
                yield Certificate(
                    user_id=user_id,
                    course=page,
                    holder_name=f"Trainee {user_id}",
                    course_title=page.title,
                    language="pl",
                    issued_at=enrolled + timedelta(days=modules * 2),
                )

    return (
        batched(enrolment_rows(), Enrolment),
        batched(progress_rows(), ModuleProgress),
        batched(certificate_rows(), Certificate),
    )


def generate(args: argparse.Namespace) -> tuple[Sizes, dict[int, Any]]:
    """The data; returns the sizes and the dashboard's trainees by their number of courses."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    rng = random.Random(SEED)
    started = time.monotonic()
    districts = make_units()
    courses = make_courses(args.courses, args.modules)
    print(
        f"data: units and {args.courses} courses of {args.modules} modules "
        f"in {time.monotonic() - started:.0f} s",
        flush=True,
    )
    trainees = make_trainees(args.trainees, districts, "bench-trainee-")
    plan = plan_enrolments(rng, trainees, args.courses, args.modules, args.progress)
    # The dashboard's trainees: their courses half completed, half in progress.
    dashboard_ids = make_trainees(2, districts, "bench-dashboard-")
    few, many = dashboard_ids
    for user_id, count in ((few, 1), (many, min(MANY_COURSES, args.courses))):
        for course in range(count):
            plan.append((user_id, course, args.modules if course % 2 else 1))
    enrolments, progress, certificates = insert_learning(rng, plan, courses)
    make_sessions(courses[:MANY_COURSES], {few: 1, many: 3})
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"data: {args.trainees} trainees, {enrolments} enrolments, {progress} progress rows, "
        f"{certificates} certificates in {time.monotonic() - started:.0f} s",
        flush=True,
    )
    sizes = Sizes(
        units=1 + len(VOIVODESHIPS) + len(districts),
        courses=args.courses,
        modules=args.courses * args.modules,
        trainees=args.trainees + len(dashboard_ids),
        enrolments=enrolments,
        progress=progress,
        certificates=certificates,
    )
    users = get_user_model().objects.in_bulk(dashboard_ids)
    return sizes, {1: users[few], min(MANY_COURSES, args.courses): users[many]}


def make_sessions(courses: list[tuple[Any, list[Any]]], seats: dict[int, int]) -> None:
    """Two upcoming sessions on each course; each user in `seats` takes that many seats."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from lms import services
    from lms.models import TrainingSession

    start = timezone.now() + timedelta(days=7)
    sessions = TrainingSession.objects.bulk_create(
        TrainingSession(
            course=course,
            kind=TrainingSession.Kind.WORKSHOP,
            title=f"Warsztaty {course.title} ({number})",
            starts_at=start + timedelta(days=number),
            ends_at=start + timedelta(days=number, hours=6),
            place="Sala 1",
            capacity=20,
        )
        for course, _modules in courses
        for number in (1, 2)
    )
    users = get_user_model().objects.in_bulk(list(seats))
    for user_id, count in seats.items():
        for session in sessions[:count]:
            services.register_for_session(users[user_id], session)


# ---------------------------------------------------------------- measuring


@dataclass(frozen=True)
class Timing:
    name: str
    best_ms: float
    median_ms: float
    queries: int


def measure(name: str, read: Callable[[], Any], runs: int) -> Timing:
    """Warm-up, `runs` timed runs, then one more run counting its queries (kept apart:
    recording queries costs time)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    read()
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        read()
        times.append((time.perf_counter() - began) * 1000)
    with CaptureQueriesContext(connection) as captured:
        read()
    return Timing(name, min(times), statistics.median(times), len(captured.captured_queries))


def measure_all(args: argparse.Namespace, trainees: dict[int, Any]) -> list[Timing]:
    from django.test import Client

    from lms import reports

    everything = reports.ReportFilters()
    timings = [
        measure(
            "completion per unit", lambda: list(reports.unit_completion(everything)), args.runs
        ),
        measure(
            "completion per course",
            lambda: list(reports.course_completion(everything)),
            args.runs,
        ),
    ]
    for count, user in trainees.items():
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        timings.append(
            measure(
                f"My courses page, {count} course{'s' if count > 1 else ''}",
                lambda c=client: _my_courses(c),
                args.runs,
            )
        )
    return timings


def _my_courses(client: Any) -> None:
    response = client.get("/pl/my-courses/")  # Polish, the source language
    if response.status_code != 200:
        raise BenchmarkError(f"My courses answered HTTP {response.status_code}")


def report(sizes: Sizes, timings: list[Timing]) -> None:
    line = "-" * 72
    print(f"\n{line}\nData")
    for field, value in vars(sizes).items():
        print(f"  {field:<14}{value:>12,}")
    print(f"{line}\n{'read':<30}{'best ms':>10}{'median ms':>12}{'queries':>9}{'target':>11}")
    for timing in timings:
        print(
            f"{timing.name:<30}{timing.best_ms:>10.1f}{timing.median_ms:>12.1f}"
            f"{timing.queries:>9}{verdict(timing.median_ms < TARGET_MS):>11}"
        )
    dashboards = [t for t in timings if t.name.startswith("My courses")]
    counts = sorted({t.queries for t in dashboards})
    print(line)
    print(f"Targets: each median < {TARGET_MS:.0f} ms (column 'target' above).")
    print(
        f"My courses query count the same whatever the courses: "
        f"{' vs '.join(str(t.queries) for t in dashboards)} → {verdict(len(counts) == 1)}"
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)

    interrupt_on_signals()
    workdir = Path(tempfile.mkdtemp(prefix="learner-bench-"))
    database = None
    try:
        database = reset_postgres(args.database_url)
        print(f"database: dropped and created {database.name}", flush=True)
        setup_django(django_env(workdir, args.database_url))
        from django.core.management import call_command

        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        print(f"database: migrated in {time.monotonic() - started:.0f} s", flush=True)
        sizes, trainees = generate(args)
        report(sizes, measure_all(args, trainees))
        return 0
    except BenchmarkError as error:
        print(f"benchmark could not run: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        if database is not None:
            from django.db import connections

            connections.close_all()
            if args.keep_database:
                print(f"database kept: {database.name}")
            else:
                drop_postgres(database)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
