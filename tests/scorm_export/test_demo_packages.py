"""Every demo course exported in both versions and both scopes: valid against the official
schemas, every file listed, byte-identical on a second run; and the CLI. Seeded once."""

import hashlib
import io
import json
import re
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.utils import translation
from lxml import etree
from wagtail.models import Locale

from courses.models import CoursePage, ModulePage
from scorm_export.options import ExportOptions
from scorm_export.services import export_package
from tests.factories import make_document, make_module

from .test_runtime_parity import key_leaves
from .xsd import safe_parser, validate

pytestmark = pytest.mark.django_db

#: The demo course whose quizzes hold every question type between them.
COURSE_WITH_EVERY_TYPE = "itinerant-criminal-groups"
CP = {
    "1.2": "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
    "2004": "http://www.imsglobal.org/xsd/imscp_v1p1",
}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """Seed once for this module and roll it all back afterwards; renditions are made once
    here so that every test's export finds them."""
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(DEBUG=True, MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        call_command("seed_demo", stdout=StringIO())
        for course in demo_courses():
            export_package(course, ExportOptions(version="1.2", single_sco=True), io.BytesIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def media_in_tmp():
    """Overrides the suite's per-test media folder: the seeded files live in the module's."""


@pytest.fixture(autouse=True)
def messages_in_english():
    """Error messages are matched in English (the suite's default language is Polish)."""
    with translation.override("en"):
        yield


def demo_courses():
    return list(CoursePage.objects.live().filter(locale__language_code="pl").order_by("path"))


def export(page, **options) -> bytes:
    output = io.BytesIO()
    export_package(page, ExportOptions(**options), output)
    return output.getvalue()


def check_package(data: bytes, version: str) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert names[0] == "imsmanifest.xml" and names[1:] == sorted(names[1:])
    manifest = archive.read("imsmanifest.xml")
    assert validate(manifest, version) == []
    root = etree.fromstring(manifest, safe_parser())
    listed = root.xpath("//cp:file/@href", namespaces={"cp": CP[version]})
    assert set(listed) == set(names) - {"imsmanifest.xml"}
    for href in root.xpath("//cp:resource/@href", namespaces={"cp": CP[version]}):
        assert href in names
    assert {"runtime/player.js", "runtime/player.css"} <= set(names)
    for name in names:
        assert not name.startswith("/") and ".." not in name.split("/") and "\\" not in name
    return archive


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_every_demo_course_and_module_validates(seeded, version):
    courses = demo_courses()
    assert len(courses) == 6
    for course in courses:
        modules = list(ModulePage.objects.child_of(course).live())
        per_module = check_package(export(course, version=version), version)
        assert len([n for n in per_module.namelist() if n.endswith("/index.html")]) == len(modules)
        single = check_package(export(course, version=version, single_sco=True), version)
        assert [n for n in single.namelist() if n.endswith("/index.html")] == ["course/index.html"]
        check_package(export(modules[0], version=version), version)


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_a_course_in_english(seeded, version):
    course = demo_courses()[0]
    archive = check_package(export(course, version=version, locale="en"), version)
    html = next(archive.read(n) for n in archive.namelist() if n.endswith("index.html")).decode()
    assert '<html lang="en">' in html
    english = course.get_translation(Locale.objects.get(language_code="en"))
    manifest = archive.read("imsmanifest.xml").decode()
    assert f"<title>{english.title}</title>" in manifest


def test_exports_are_byte_identical_and_have_no_site_urls(seeded, settings):
    course = demo_courses()[0]
    first = export(course, version="2004", mastery_score=80)
    second = export(course, version="2004", mastery_score=80)
    assert hashlib.sha256(first).digest() == hashlib.sha256(second).digest()
    archive = zipfile.ZipFile(io.BytesIO(first))
    images = [n for n in archive.namelist() if n.startswith("media/images/")]
    assert images
    for name in archive.namelist():
        if name.endswith(".html"):
            html = archive.read(name).decode()
            assert 'src="/' not in html and 'href="/' not in html
            assert settings.WAGTAILADMIN_BASE_URL not in html
            assert "127.0.0.1" not in html and "localhost" not in html


def sco_configs(archive: zipfile.ZipFile) -> list[dict]:
    return [
        json.loads(
            re.search(
                r'id="sco-config" type="application/json">(.*?)</script>',
                archive.read(name).decode(),
                re.S,
            )[1]
        )
        for name in archive.namelist()
        if name.endswith("/index.html")
    ]


def package_questions(archive: zipfile.ZipFile) -> dict[str, dict]:
    return {
        question["id"]: question
        for config in sco_configs(archive)
        for quiz in config["quizzes"]
        for slot in quiz["slots"]
        for question in slot["questions"]
    }


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_hidden_keys_leave_no_plain_key_in_the_demo_package(seeded, version):
    """The course with every question type: with hidden keys no question carries its right
    answer or correct responses, every key the grader compares is a hash, and no file holds
    a correct-response pattern of the plain package; still valid, still deterministic."""
    course = CoursePage.objects.live().get(slug=COURSE_WITH_EVERY_TYPE, locale__language_code="pl")
    hidden_bytes = export(course, version=version, hide_keys=True)
    assert hidden_bytes == export(course, version=version, hide_keys=True)
    hidden = check_package(hidden_bytes, version)
    plain = zipfile.ZipFile(io.BytesIO(export(course, version=version)))
    plain_questions, hidden_questions = package_questions(plain), package_questions(hidden)
    assert set(hidden_questions) == set(plain_questions)
    assert {q["type"] for q in hidden_questions.values()} >= {
        "single_choice",
        "multiple_response",
        "true_false",
        "short_answer",
        "matching",
        "ordering",
        "cloze",
    }
    for question in hidden_questions.values():
        assert "rightAnswer" not in question
        assert question["interaction"]["correctResponses"] == []
        for value in key_leaves(question["grader"]):
            assert re.fullmatch(r"[0-9a-f]{64}", value), (question["id"], value)
    patterns = {
        pattern
        for question in plain_questions.values()
        for pattern in question["interaction"]["correctResponses"]
        if is_telltale(question["interaction"]["type"], pattern)
    }
    assert patterns

    plain_texts, hidden_texts = file_texts(plain).values(), file_texts(hidden).items()
    for pattern in patterns:
        assert any(pattern in text for text in plain_texts)  # the scan finds what is there
        assert not [name for name, text in hidden_texts if pattern in text], pattern


def file_texts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Every file of a package as text, the JSON escapes of its sco-config decoded."""
    texts = {}
    for name in archive.namelist():
        text = archive.read(name).decode("utf-8", "replace")
        texts[name] = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), text)
    return texts


def is_telltale(interaction_type: str, pattern: str) -> bool:
    """A correct-response pattern that cannot occur in a page by chance: several ids of a
    choice, matching or sequencing, or a 2004 fill-in with its case prefix."""
    if interaction_type == "fill-in":
        return pattern.startswith("{case_matters=")
    return interaction_type in {"choice", "matching", "sequencing"} and "," in pattern


def test_cli_exports_a_package(seeded, tmp_path):
    course = demo_courses()[1]
    target = tmp_path / "kurs.zip"
    stdout, stderr = StringIO(), StringIO()
    call_command(
        "export_scorm",
        course.slug,
        "--scorm",
        "1.2",
        "--locale",
        "pl",
        "--output",
        str(target),
        "--mastery-score",
        "80",
        stdout=stdout,
        stderr=stderr,
    )
    archive = check_package(target.read_bytes(), "1.2")
    assert b"<adlcp:masteryscore>80</adlcp:masteryscore>" in archive.read("imsmanifest.xml")
    assert "SCORM 1.2" in stdout.getvalue()
    assert "]" in stderr.getvalue() and f"/{len(archive.namelist())}" in stderr.getvalue()
    assert [p.name for p in tmp_path.iterdir()] == ["kurs.zip"]


def run_cli(slug: str, target: Path, *extra: str) -> None:
    call_command(
        "export_scorm",
        slug,
        "--scorm",
        "2004",
        "--output",
        str(target),
        *extra,
        stdout=StringIO(),
        stderr=StringIO(),
    )


def test_cli_errors(seeded, tmp_path):
    target = tmp_path / "out.zip"
    with pytest.raises(CommandError, match="No course or module has the slug no-such-course"):
        run_cli("no-such-course", target)

    course, other = demo_courses()[:2]
    module = ModulePage.objects.child_of(course).live().first()
    make_module(other, slug=module.slug, title="Ten sam slug")
    with pytest.raises(CommandError, match="ambiguous"):
        run_cli(module.slug, target)

    unpublished = ModulePage.objects.child_of(other).live().first()
    unpublished.unpublish()
    with pytest.raises(CommandError, match="not published"):
        run_cli(unpublished.slug, target)

    document = make_document("Zgubiona ulotka")
    lost = make_module(
        other,
        slug="modul-z-brakujacym-plikiem",
        body=[{"type": "document", "value": {"document": document.pk, "description": ""}}],
    )
    document.file.storage.delete(document.file.name)
    with pytest.raises(CommandError, match=document.file.name):
        run_cli(lost.slug, target)
    assert list(tmp_path.iterdir()) == []  # never half a zip


def test_cli_arguments_are_checked(seeded, tmp_path):
    with pytest.raises(CommandError):
        call_command("export_scorm", "x", "--scorm", "2005", "--output", str(tmp_path / "a.zip"))
    with pytest.raises(CommandError, match="mastery score"):
        run_cli(demo_courses()[0].slug, tmp_path / "a.zip", "--mastery-score", "120")
