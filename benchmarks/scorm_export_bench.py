"""Benchmark of the SCORM export: a generated large course, both versions, against zipfile.

    .venv/bin/python benchmarks/scorm_export_bench.py [--modules 20] [--questions 400]
        [--images 200] [--image-kb 200] [--size-factor 4] [--repeat 1]
        [--no-tracemalloc] [--keep-files] [--database-url postgres://postgres@127.0.0.1:5432/police_training_bench]

1. A throw-away database (SQLite in a temporary folder, or the PostgreSQL database of
   --database-url, whose name must contain "bench": dropped and created) and a
   temporary MEDIA_ROOT; migrates.
2. Generates two courses (the site's page tree: home → catalogue → course → modules,
   published) that differ only in the size of their images: --image-kb per image,
   and --size-factor times that. Each module has rich text (with a link to the
   previous module), headings, a callout, key terms, its share of the images (Wagtail
   images of random noise, JPEG and PNG in turn, so that nothing compresses away) and
   a quiz of its share of the questions, of mixed types (quizzes.services).
3. For each course, in a fresh Python process per export (so that nothing done
   before counts in its memory), scorm_export.services.export_package to a file:
   - cold (first course only): SCORM 1.2, the first export, which also makes the
     image renditions; the second course's renditions are made in advance instead,
     on one thread per core (Wagtail's work, not the packager's);
   - warm: SCORM 1.2 and 2004, renditions made (the steady state; the targets);
   - traced: the warm exports again under tracemalloc (slower, so not timed).
4. Baseline: each warm package is unzipped to a folder, and that folder zipped again
   with zipfile (the same entries in the same order, each with the package's
   compression method at the packager's compresslevel), timed in this run.
5. Prints per export the wall and CPU time, the plain zip's and their ratios, the
   process's RSS before the export, its peak during it and the difference,
   tracemalloc's peak; then PASS/FAIL against the targets.

Targets (judged on the warm exports: a cold export also encodes every rendition,
which happens once per image, whatever the package):
- export time (wall clock) <= 1.5 x the plain zip of the same tree, each version, at
  --image-kb (the CPU-time ratio is printed too: other work on the machine disturbs
  it less);
- peak memory does not grow with media size: the RSS growth of a warm export (its
  peak RSS minus the RSS just before it) with images --size-factor times larger
  exceeds the growth at --image-kb by less than MEMORY_GROWTH_LIMIT_MB, while the
  package's media grow by ~75 MB with the defaults. RSS is what the operating system
  gives the export (Python objects, lxml, Pillow and zlib buffers alike); the peak is
  Linux's VmHWM, reset to the current RSS just before the export. Not ru_maxrss: in a
  child process it starts at the parent's peak (Linux carries it across exec), so it
  would show this script's memory. tracemalloc sees Python's allocations only and is
  printed as a cross-check.

Settings: lms.settings in development mode with DEBUG off (no query log growing in
memory) and the "database" tasks backend (as in production, Wagtail's search and
reference indexing are queued, not run, while the course is generated).

Exit status: 0 when the benchmark ran (a missed target is reported as FAIL, not as
an exit status), 2 when it could not run. Everything it makes (database, media,
packages) is removed at the end, also on Ctrl-C or an error.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import random
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parent.parent
if str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))

VERSIONS = ("1.2", "2004")
TARGET_RATIO = 1.5
# A packager that held the package (or its media) in memory would grow by the media's
# growth between the two sizes, ~100 MB with the defaults; a streaming one by nothing
# but noise (allocator, lxml's and PIL's buffers), a few MB. 20 MB lies between.
MEMORY_GROWTH_LIMIT_MB = 20.0
RESULT_PREFIX = "SCORM-BENCH-RESULT "
MB = 1024 * 1024


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modules", type=int, default=20, help="modules (default 20)")
    parser.add_argument(
        "--questions", type=int, default=400, help="questions in all, shared by the modules"
    )
    parser.add_argument("--images", type=int, default=200, help="images in all (default 200)")
    parser.add_argument(
        "--image-kb", type=int, default=200, help="size of each original image in KB (default 200)"
    )
    parser.add_argument(
        "--size-factor",
        type=int,
        default=4,
        help="the second course's images are this many times larger (default 4)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="warm exports and plain zips per version and size: the fastest counts (default 1)",
    )
    parser.add_argument(
        "--no-tracemalloc", action="store_true", help="skip the traced exports (quicker)"
    )
    parser.add_argument(
        "--database-url",
        default="",
        help="a PostgreSQL database to DROP and create (name must contain 'bench'); "
        "default: SQLite in a temporary folder",
    )
    parser.add_argument(
        "--keep-files",
        action="store_true",
        help="keep the temporary folder (SQLite database, media, packages; path printed)",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)  # one export, in a fresh process
    args = parser.parse_args(argv)
    if args.worker:
        return args
    if not 1 <= args.modules <= 200:
        parser.error("--modules must be between 1 and 200")
    if not 0 <= args.questions <= 5000 or not 0 <= args.images <= 5000:
        parser.error("--questions and --images must be between 0 and 5000")
    if not 1 <= args.image_kb <= 10_000:
        parser.error("--image-kb must be between 1 and 10000")
    if not 2 <= args.size_factor <= 16:
        parser.error("--size-factor must be between 2 and 16")
    if not 1 <= args.repeat <= 10:
        parser.error("--repeat must be between 1 and 10")
    return args


class BenchmarkError(Exception):
    """The benchmark could not run (exit status 2)."""


# ---------------------------------------------------------------- environment


def django_env(workdir: Path, database_url: str) -> dict[str, str]:
    """lms.settings (development, DEBUG off: no query log growing in memory) on the
    throw-away database and media folder."""
    for folder in ("media", "static", "exports"):
        (workdir / folder).mkdir(exist_ok=True)
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings",
        "DJANGO_ENV": "development",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url or f"sqlite:///{workdir / 'bench.sqlite3'}",
        "DB_CONN_MAX_AGE": "0",
        "MEDIA_ROOT": str(workdir / "media"),
        "STATIC_ROOT": str(workdir / "static"),
        "SCORM_EXPORT_ROOT": str(workdir / "exports"),
        "TASKS_BACKEND": "database",  # enqueued only: no search or reference indexing
        "PYTHONPATH": str(PROJECT_DIR),
    }


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def reset_postgres(url: str) -> Any:
    """Drop and create the database of `url` (quiz_load.py's checks); returns it."""
    from benchmarks import quiz_load

    try:
        database = quiz_load.check_database_url(url)
        quiz_load.reset_database(database)
    except quiz_load.BenchmarkError as error:
        raise BenchmarkError(str(error)) from error
    return database


def drop_postgres(database: Any) -> None:
    import psycopg
    from psycopg import sql

    with (
        contextlib.suppress(psycopg.Error),
        psycopg.connect(database.conninfo_admin, autocommit=True, connect_timeout=5) as conn,
    ):
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database.name))
        )


# ---------------------------------------------------------------- the course


@dataclass(frozen=True)
class CourseSpec:
    modules: int = 20
    questions: int = 400
    images: int = 200
    image_kb: int = 200


def shares(total: int, parts: int) -> list[int]:
    """`total` split into `parts` near-equal whole shares."""
    return [total // parts + (1 if number < total % parts else 0) for number in range(parts)]


def noise_image(kb: int, number: int, rng: random.Random) -> tuple[bytes, str]:
    """A JPEG (even numbers) or PNG (odd) of random pixels, about `kb` KB: noise does not
    compress, so the files, their renditions and the package are as large as they look."""
    from PIL import Image

    fmt, extension, bytes_per_pixel = (
        ("JPEG", "jpg", 0.9) if number % 2 == 0 else ("PNG", "png", 3.0)
    )
    pixels = max(16 * 16, int(kb * 1024 / bytes_per_pixel))
    width = max(16, int((pixels * 1.5) ** 0.5))  # 3:2
    height = max(16, pixels // width)
    image = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    buffer = BytesIO()
    image.save(buffer, fmt, **({"quality": 90} if fmt == "JPEG" else {}))
    return buffer.getvalue(), extension


def _site_home() -> Any:
    """The benchmark's home page (the site's root page), made once."""
    from wagtail.models import Locale, Page, Site

    from courses.models import HomePage

    home = HomePage.objects.filter(slug="bench-home").first()
    if home is not None:
        return home
    Locale.objects.get_or_create(language_code="pl")
    home = _publish(Page.get_first_root_node(), HomePage(title="Szkolenia", slug="bench-home"))
    site = Site.objects.filter(is_default_site=True).first() or Site(
        hostname="localhost", is_default_site=True
    )
    site.root_page = home
    site.save()
    return home


def _publish(parent: Any, page: Any) -> Any:
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def _rich_text(number: int, paragraph: int, previous_pk: int | None) -> str:
    link = (
        f' Zobacz też <a linktype="page" id="{previous_pk}">poprzedni moduł</a>.'
        if previous_pk
        else ""
    )
    return (
        f"<p>Moduł {number}, część {paragraph}: <b>europejski nakaz aresztowania</b> "
        "wykonuje się w terminach określonych w decyzji ramowej; funkcjonariusz "
        "sprawdza wpis w <i>SIS</i>, legitymuje osobę i sporządza protokół zatrzymania."
        f"{link}</p>"
        "<ul><li>Ustal tożsamość.</li><li>Pouczenie o prawach.</li>"
        "<li>Powiadom prokuratora.</li></ul>"
        f'<p>Więcej: <a href="https://example.org/ena/{number}/{paragraph}">materiały</a>.</p>'
    )


def generate_course(
    spec: CourseSpec, *, title: str, slug: str, seed: int = 2026, log: Any = None
) -> Any:
    """A published course of `spec.modules` modules sharing the questions and images;
    returns the CoursePage. Needs Django set up and a migrated database."""
    from django.core.files.images import ImageFile
    from django.db import transaction
    from django.test.utils import override_settings
    from wagtail.images import get_image_model

    from benchmarks.quiz_load import QUESTIONS
    from courses.choices import Topic
    from courses.models import CataloguePage, CoursePage, ModulePage
    from quizzes import services
    from quizzes.models import QuestionCategory, Quiz, QuizSlot

    rng = random.Random(seed)
    image_model = get_image_model()
    with override_settings(WAGTAILREDIRECTS_AUTO_CREATE=False), transaction.atomic():
        home = _site_home()
        catalogue = CataloguePage.objects.child_of(home).first() or _publish(
            home, CataloguePage(title="Katalog kursów", slug="kursy")
        )
        course = _publish(
            catalogue,
            CoursePage(
                title=title,
                slug=slug,
                topic=Topic.FUGITIVES,
                audience="Funkcjonariusze",
                duration_minutes=90,
            ),
        )
        category = QuestionCategory.add_root(name=f"Benchmark {slug}")
        question_number = image_number = 0
        previous_pk = None
        question_shares = shares(spec.questions, spec.modules)
        image_shares = shares(spec.images, spec.modules)
        for number in range(1, spec.modules + 1):
            images = []
            for _ in range(image_shares[number - 1]):
                image_number += 1
                content, extension = noise_image(spec.image_kb, image_number, rng)
                image = image_model(title=f"{title}: obraz {image_number}")
                image.file = ImageFile(
                    BytesIO(content), name=f"{slug}-{image_number:04d}.{extension}"
                )
                image.save()
                images.append(image)
            quiz = Quiz.objects.create(
                title=f"Sprawdzian {number}", attempts_allowed=0, pass_mark=80
            )
            for position in range(1, question_shares[number - 1] + 1):
                question_type, text, definition, _answer = QUESTIONS[
                    question_number % len(QUESTIONS)
                ]
                question_number += 1
                question = services.create_question(
                    category=category,
                    type=question_type,
                    name=f"Pytanie {question_number}",
                    text=f"<p>{text} ({question_number})</p>",
                    definition=definition,
                    general_feedback="<p>Art. 2 decyzji ramowej.</p>",
                )
                QuizSlot.objects.create(quiz=quiz, position=position, question=question)
            body: list[dict[str, Any]] = [
                {"type": "heading", "value": {"text": f"Wprowadzenie {number}"}},
                {"type": "paragraph", "value": _rich_text(number, 1, previous_pk)},
                {
                    "type": "callout",
                    "value": {
                        "kind": "tip",
                        "title": "Pamiętaj",
                        "text": "<p>Zawsze sprawdź wpis w systemie przed zatrzymaniem.</p>",
                    },
                },
            ]
            for index, image in enumerate(images, start=1):
                body.append(
                    {
                        "type": "image",
                        "value": {
                            "image": image.pk,
                            "alt_text": f"Ilustracja {index} do modułu {number}",
                            "decorative": False,
                            "caption": f"Rycina {number}.{index}",
                        },
                    }
                )
                body.append({"type": "paragraph", "value": _rich_text(number, index + 1, None)})
            body.append(
                {
                    "type": "key_terms",
                    "value": {
                        "title": "Pojęcia",
                        "terms": [
                            {"term": "ENA", "definition": "Europejski nakaz aresztowania."},
                            {"term": "SIS", "definition": "System Informacyjny Schengen."},
                        ],
                    },
                }
            )
            if question_shares[number - 1]:
                body.append({"type": "quiz", "value": {"quiz": quiz.pk}})
            module = _publish(
                course,
                ModulePage(
                    title=f"Moduł {number}: współpraca transgraniczna",
                    slug=f"{slug}-modul-{number:03d}",
                    summary=f"Podsumowanie modułu {number}.",
                    duration_minutes=30,
                    body=body,
                ),
            )
            previous_pk = module.pk
            if log:
                log(number, spec.modules)
    return course


# ---------------------------------------------------------------- measuring


def _status_kb(field: str) -> int | None:
    """A "VmRSS"/"VmHWM" line of /proc/self/status, in KB (None off Linux)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak_rss() -> bool:
    """Linux: set this process's RSS high-water mark (VmHWM) to its current RSS."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        return False
    return _status_kb("VmHWM") is not None


def timed_export(page: Any, version: str, output: Path, trace: bool = False) -> dict[str, Any]:
    """Export `page` to `output` in this process: wall and CPU time, RSS before and its
    peak during the export (KB), optionally tracemalloc's peak, renditions made, the
    package's size.

    The peak is VmHWM, reset to the current RSS just before the export. Not ru_maxrss:
    in a child process it starts at the parent's peak (Linux carries the high-water mark
    across exec), so it would show the benchmark's own memory, not the export's. Where
    VmHWM cannot be reset (not Linux), ru_maxrss is the fallback."""
    import gc
    import tracemalloc

    from wagtail.images.models import Rendition

    from scorm_export.options import ExportOptions
    from scorm_export.services import export_package

    renditions_before = Rendition.objects.count()
    gc.collect()
    if _reset_peak_rss():
        method = "VmHWM"
        rss_before = _status_kb("VmRSS")
    else:
        method = "ru_maxrss"
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace:
        tracemalloc.start()
    started, cpu_started = time.perf_counter(), time.process_time()
    with open(output, "wb") as target:
        plan = export_package(page, ExportOptions(version=version), target)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    traced_peak = tracemalloc.get_traced_memory()[1] if trace else None
    if trace:
        tracemalloc.stop()
    if method == "VmHWM":
        rss_peak = _status_kb("VmHWM")
    else:
        rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "version": version,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "rss_method": method,
        "rss_before_kb": rss_before,
        "rss_peak_kb": rss_peak,
        "traced_peak": traced_peak,
        "renditions_made": Rendition.objects.count() - renditions_before,
        "files": len(plan.files) + 1,
        "package_bytes": output.stat().st_size,
    }


def warm_up(page: Any, version: str) -> None:
    """Export the course's first module once, untimed: a worker that runs exports has its
    URLconf, templates and code loaded after its first task, and the figures are of an
    export, not of a process starting."""
    from scorm_export.options import ExportOptions
    from scorm_export.services import export_package

    first = page.get_children().live().first()
    with tempfile.TemporaryFile() as sink:  # a zip needs a file that tells its position
        export_package(first.specific if first else page, ExportOptions(version=version), sink)


def worker(spec: str) -> int:
    """The --worker mode: one export in this fresh process; its figures as JSON."""
    request = json.loads(spec)
    import django

    django.setup()
    from wagtail.models import Page

    page = Page.objects.get(pk=request["page"]).specific
    if request["warm_up"]:
        warm_up(page, request["version"])
    result = timed_export(page, request["version"], Path(request["output"]), request["trace"])
    print(RESULT_PREFIX + json.dumps(result), flush=True)
    return 0


def run_worker(
    env: dict[str, str],
    page_pk: int,
    version: str,
    output: Path,
    trace: bool = False,
    warm_up: bool = True,
) -> dict[str, Any]:
    """One export in a fresh process, after a warm-up export of a module unless told not
    to (the cold export, whose figures include making the renditions)."""
    request = json.dumps(
        {
            "page": page_pk,
            "version": version,
            "output": str(output),
            "trace": trace,
            "warm_up": warm_up,
        }
    )
    process = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--worker", request],
        cwd=PROJECT_DIR,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    for line in process.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            return json.loads(line[len(RESULT_PREFIX) :])
    raise BenchmarkError(
        f"the export of SCORM {version} failed ({process.returncode}):\n"
        + "\n".join((process.stderr or process.stdout).splitlines()[-30:])
    )


def plain_zip(package: Path, workdir: Path, compresslevel: int) -> dict[str, float]:
    """Unzip `package` to a folder, then time zipping that folder with zipfile: the
    same entries in the same order, each with the package's compression method
    (ZIP_DEFLATED today) at the packager's `compresslevel`. Returns the wall and CPU
    seconds and the zip's size."""
    tree = workdir / "tree"
    shutil.rmtree(tree, ignore_errors=True)
    with zipfile.ZipFile(package) as archive:
        entries = [(info.filename, info.compress_type) for info in archive.infolist()]
        archive.extractall(tree)
    output = workdir / "plain.zip"
    started, cpu_started = time.perf_counter(), time.process_time()
    with zipfile.ZipFile(output, "w", compresslevel=compresslevel) as archive:
        for name, compress_type in entries:
            archive.write(tree / name, name, compress_type=compress_type)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    size = output.stat().st_size
    output.unlink()
    shutil.rmtree(tree, ignore_errors=True)
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "bytes": size}


def media_bytes(package: Path) -> int:
    with zipfile.ZipFile(package) as archive:
        return sum(
            info.file_size for info in archive.infolist() if info.filename.startswith("media/")
        )


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        for chunk in iter(lambda: source.read(MB), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class SizeResult:
    label: str
    image_kb: int
    originals_bytes: int
    media_bytes: int = 0
    cold: dict[str, Any] | None = None
    warm: dict[str, dict[str, Any]] | None = None  # version → figures
    plain: dict[str, dict[str, float]] | None = None  # version → plain_zip()
    traced: dict[str, int | None] | None = None
    deterministic: bool | None = None  # cold and warm SCORM 1.2 packages byte-identical
    renditions_seconds: float | None = None  # made in advance (no cold export)

    def ratio(self, version: str, clock: str = "seconds") -> float:
        plain = self.plain[version][clock]
        return self.warm[version][clock] / plain if plain else float("inf")


def growth_mb(result: dict[str, Any]) -> float:
    return (result["rss_peak_kb"] - result["rss_before_kb"]) / 1024


def course_images(course: Any) -> list[Any]:
    from wagtail.images import get_image_model

    from courses.models import ModulePage

    image_ids = {
        child.value["image"].pk
        for module in ModulePage.objects.child_of(course)
        for child in module.body
        if child.block_type == "image"
    }
    return list(get_image_model().objects.filter(pk__in=image_ids).order_by("pk"))


def make_renditions(course: Any, threads: int) -> int:
    """The renditions the pages show, made in advance on `threads` threads (Pillow
    decodes, resizes and encodes without the GIL); returns how many images."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    from courses.blocks import IMAGE_RENDITIONS

    images = course_images(course)

    def work(chunk: list[Any]) -> None:
        try:
            for image in chunk:
                image.get_renditions(*IMAGE_RENDITIONS)
        finally:
            connections.close_all()  # this thread's connection

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(work, [images[start::threads] for start in range(threads)]))
    return len(images)


def measure_size(
    args: argparse.Namespace,
    env: dict[str, str],
    workdir: Path,
    label: str,
    image_kb: int,
    course: Any,
    compresslevel: int,
    cold: bool,
) -> SizeResult:
    originals = sum(image.file.size for image in course_images(course))
    result = SizeResult(label, image_kb, originals, warm={}, plain={}, traced={})
    cold_path = workdir / f"{label}-cold.zip"
    if cold:
        print(f"[{label}] cold export, SCORM 1.2 (makes the renditions)…", flush=True)
        result.cold = run_worker(env, course.pk, "1.2", cold_path, warm_up=False)
    else:
        began = time.monotonic()
        threads = os.cpu_count() or 1
        count = make_renditions(course, threads)
        result.renditions_seconds = time.monotonic() - began
        print(
            f"[{label}] renditions of {count} images made in advance in "
            f"{result.renditions_seconds:.0f} s ({threads} threads; no cold export)",
            flush=True,
        )
    for version in VERSIONS:
        path = workdir / f"{label}-{version}.zip"
        print(f"[{label}] warm export, SCORM {version} × {args.repeat} + plain zip…", flush=True)
        runs = [run_worker(env, course.pk, version, path) for _ in range(args.repeat)]
        best = min(runs, key=lambda run: run["seconds"])
        best["rss_peak_kb"] = max(run["rss_peak_kb"] for run in runs)
        best["rss_before_kb"] = min(run["rss_before_kb"] for run in runs)
        result.warm[version] = best
        result.media_bytes = media_bytes(path)
        if version == "1.2" and cold_path.exists():
            result.deterministic = sha256(path) == sha256(cold_path)
            cold_path.unlink()
        zips = [plain_zip(path, workdir, compresslevel) for _ in range(args.repeat)]
        result.plain[version] = min(zips, key=lambda run: run["seconds"])
        if not args.no_tracemalloc:
            print(f"[{label}] traced export, SCORM {version}…", flush=True)
            result.traced[version] = run_worker(env, course.pk, version, path, trace=True)[
                "traced_peak"
            ]
        path.unlink()
    return result


# ---------------------------------------------------------------- report


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def megabytes(value: float) -> str:
    return f"{value / MB:.1f}"


def report(args: argparse.Namespace, engine: str, sizes: list[SizeResult], setup: float) -> None:
    line = "-" * 108
    small, large = sizes
    print()
    print(
        f"SCORM export benchmark: {args.modules} modules, {args.questions} questions, "
        f"{args.images} images; {engine}; {os.cpu_count()} cores; setup {setup:.0f} s; "
        f"best of {args.repeat}"
    )
    print(line)
    print(f"{'course':<8}{'image KB':>9}{'originals MB':>14}{'package media MB':>18}")
    for size in sizes:
        print(
            f"{size.label:<8}{size.image_kb:>9}{megabytes(size.originals_bytes):>14}"
            f"{megabytes(size.media_bytes):>18}"
        )
    print(line)
    print(
        f"{'course':<8}{'run':<6}{'SCORM':<6}{'pkg MB':>7}{'export s':>9}{'zip s':>7}"
        f"{'ratio':>7}{'CPU s':>7}{'zip CPU':>8}{'ratio':>7}{'RSS MB':>8}{'peak MB':>9}"
        f"{'growth':>8}{'traced MB':>10}{'renditions':>11}"
    )
    print(line)
    for size in sizes:
        rows = [("cold", "1.2", size.cold, None, None)] if size.cold else []
        rows += [("warm", v, size.warm[v], size.plain[v], size.traced.get(v)) for v in VERSIONS]
        for run, version, figures, plain, traced in rows:
            if plain:
                zip_columns = (
                    f"{plain['seconds']:>7.2f}{figures['seconds'] / plain['seconds']:>7.2f}"
                    f"{figures['cpu_seconds']:>7.2f}{plain['cpu_seconds']:>8.2f}"
                    f"{figures['cpu_seconds'] / plain['cpu_seconds']:>7.2f}"
                )
            else:
                zip_columns = f"{'-':>7}{'-':>7}{figures['cpu_seconds']:>7.2f}{'-':>8}{'-':>7}"
            print(
                f"{size.label:<8}{run:<6}{version:<6}{megabytes(figures['package_bytes']):>7}"
                f"{figures['seconds']:>9.2f}{zip_columns}"
                f"{figures['rss_before_kb'] / 1024:>8.1f}{figures['rss_peak_kb'] / 1024:>9.1f}"
                f"{growth_mb(figures):>8.1f}"
                f"{(megabytes(traced) if traced is not None else '-'):>10}"
                f"{figures['renditions_made']:>11}"
            )
    print(line)
    method = small.warm["1.2"]["rss_method"]
    print(
        "ratio: export ÷ zipping the unzipped package with zipfile (each entry's method, "
        "level of scorm_export/package.py), wall clock, then CPU time;"
    )
    print(
        f"RSS: before the export; peak: {method} during it; growth: peak − before (MB), "
        "each export in a fresh process after an untimed export of one module (as in a "
        "running worker; the cold export has none);"
    )
    print("traced: tracemalloc's peak (Python allocations only; a separate, untimed run).")
    for size in sizes:
        sizes_text = ", ".join(
            f"{v} {megabytes(size.plain[v]['bytes'])} vs "
            f"{megabytes(size.warm[v]['package_bytes'])} MB"
            for v in VERSIONS
        )
        if size.deterministic is None:
            same = f"renditions made in advance in {size.renditions_seconds:.0f} s"
        else:
            same = "cold and warm 1.2 packages " + (
                "byte-identical" if size.deterministic else "DIFFER"
            )
        print(f"{size.label}: plain zip vs package: {sizes_text}; {same}")
    print(line)
    media_growth = large.media_bytes - small.media_bytes
    memory = {v: growth_mb(large.warm[v]) - growth_mb(small.warm[v]) for v in VERSIONS}
    checks = [
        (
            f"warm export ≤ {TARGET_RATIO} × plain zip (wall), SCORM {v}, {small.label}",
            f"{small.ratio(v):.2f}",
            small.ratio(v) <= TARGET_RATIO,
        )
        for v in VERSIONS
    ] + [
        (
            f"RSS growth {large.label} − {small.label} < {MEMORY_GROWTH_LIMIT_MB:.0f} MB, "
            f"SCORM {v}",
            f"{memory[v]:+.1f} MB",
            memory[v] < MEMORY_GROWTH_LIMIT_MB,
        )
        for v in VERSIONS
    ]
    print(
        f"package media grew by {megabytes(media_growth)} MB ({small.label} → {large.label}); "
        f"{large.label} ratios, for information: "
        + ", ".join(
            f"{v} {large.ratio(v):.2f} (CPU {large.ratio(v, 'cpu_seconds'):.2f})" for v in VERSIONS
        )
    )
    print("Targets (warm exports)")
    for name, value, ok in checks:
        print(f"  {verdict(ok)}  {name:<64}{value:>12}")
    print(line)
    if all(ok for _, _, ok in checks):
        print("RESULT: PASS")
    else:
        print("RESULT: a target was missed (see above)")


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        return worker(args.worker)

    from benchmarks.quiz_load import interrupt_on_signals

    interrupt_on_signals()
    workdir = Path(tempfile.mkdtemp(prefix="scorm-export-bench-"))
    database = None
    try:
        if args.database_url:
            database = reset_postgres(args.database_url)
            print(f"database: dropped and created {database.name}", flush=True)
        env = django_env(workdir, args.database_url)
        setup_django(env)
        from django.core.management import call_command
        from django.db import connections

        from scorm_export.package import COMPRESS_LEVEL

        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        engine = "PostgreSQL" if database else "SQLite"
        print(f"database: {engine}, migrated in {time.monotonic() - started:.0f} s", flush=True)
        spec = CourseSpec(args.modules, args.questions, args.images, args.image_kb)
        courses = []
        for label, kb in (("small", args.image_kb), ("large", args.image_kb * args.size_factor)):
            began = time.monotonic()
            course = generate_course(
                CourseSpec(spec.modules, spec.questions, spec.images, kb),
                title=f"Kurs wydajnościowy ({label})",
                slug=f"bench-course-{label}",
            )
            courses.append((label, kb, course))
            print(
                f"course {label}: generated and published in {time.monotonic() - began:.0f} s "
                f"({args.modules} modules, {args.questions} questions, {args.images} images "
                f"of ~{kb} KB)",
                flush=True,
            )
        setup = time.monotonic() - started
        connections.close_all()
        sizes = [
            measure_size(args, env, workdir, label, kb, course, COMPRESS_LEVEL, cold=index == 0)
            for index, (label, kb, course) in enumerate(courses)
        ]
        connections.close_all()
        report(args, engine, sizes, setup)
        return 0
    except BenchmarkError as error:
        print(f"benchmark could not run: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        if database is not None and not args.keep_files:
            drop_postgres(database)
        if args.keep_files:
            print(f"files kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
