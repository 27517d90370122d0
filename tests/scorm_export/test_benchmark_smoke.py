"""Keeps benchmarks/scorm_export_bench.py from rotting: its course generator, export
measurement and plain-zip baseline on a tiny course, in this process."""

import zipfile

import pytest

from benchmarks.scorm_export_bench import (
    VERSIONS,
    CourseSpec,
    generate_course,
    media_bytes,
    plain_zip,
    shares,
    timed_export,
)
from courses.models import ModulePage
from scorm_export.package import COMPRESS_LEVEL

pytestmark = pytest.mark.django_db


def test_shares_split_a_total_into_near_equal_parts():
    assert shares(400, 20) == [20] * 20
    assert shares(5, 3) == [2, 2, 1]
    assert sum(shares(7, 4)) == 7


def test_generated_course_exports_in_both_versions(tmp_path):
    course = generate_course(
        CourseSpec(modules=2, questions=4, images=2, image_kb=10),
        title="Kurs dymny",
        slug="bench-smoke",
    )
    modules = ModulePage.objects.child_of(course).live()
    assert modules.count() == 2
    assert all(module.body[-1].block_type == "quiz" for module in modules)

    for version in VERSIONS:
        output = tmp_path / f"package-{version}.zip"
        figures = timed_export(course, version, output)
        assert figures["seconds"] > 0
        assert figures["rss_peak_kb"] >= figures["rss_before_kb"] > 0
        assert figures["package_bytes"] == output.stat().st_size
        # Two images, each with its two renditions (width 800 and 1200) in the package.
        assert figures["renditions_made"] == (4 if version == VERSIONS[0] else 0)
        with zipfile.ZipFile(output) as archive:
            assert archive.testzip() is None
            names = archive.namelist()
        assert names[0] == "imsmanifest.xml"
        assert sum(name.startswith("media/") for name in names) == 4
        assert media_bytes(output) > 0

        baseline = plain_zip(output, tmp_path, COMPRESS_LEVEL)
        assert baseline["seconds"] > 0
        assert abs(baseline["bytes"] - figures["package_bytes"]) < figures["package_bytes"] // 10
