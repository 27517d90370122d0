import io
import zipfile

import pytest
from django.utils import translation

from scorm_export.errors import ExportError
from scorm_export.files import PackageFile, check_package_path
from scorm_export.options import ExportOptions


@pytest.fixture(autouse=True)
def messages_in_english():
    """Error messages are matched in English (the suite's default language is Polish)."""
    with translation.override("en"):
        yield


def test_defaults_and_valid_options():
    options = ExportOptions(version="2004")
    assert (options.locale, options.reporting, options.mastery_score, options.hide_keys) == (
        "pl",
        "passed-incomplete",
        None,
        False,
    )
    assert ExportOptions(version="1.2", locale="uk", mastery_score=0).mastery_score == 0
    with pytest.raises(AttributeError):
        options.version = "1.2"  # frozen


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"version": "2004 3rd"}, "SCORM version"),
        ({"version": "1.2", "locale": "de"}, "language"),
        ({"version": "1.2", "reporting": "passed"}, "reporting mode"),
        ({"version": "1.2", "mastery_score": 101}, "mastery score"),
        ({"version": "1.2", "mastery_score": -1}, "mastery score"),
        ({"version": "1.2", "mastery_score": 79.5}, "mastery score"),
        ({"version": "1.2", "mastery_score": True}, "mastery score"),
    ],
)
def test_invalid_options_say_what_is_wrong(fields, message):
    with pytest.raises(ExportError, match=message):
        ExportOptions(**fields)


@pytest.mark.parametrize(
    "path",
    ["", "/etc/passwd", "../x", "a/../../x", "a\\b", "C:/x", "a//b", "./a", "a/./b", "a/"],
)
def test_unsafe_package_paths_are_refused(path):
    with pytest.raises(ExportError, match="Unsafe path"):
        check_package_path(path)
    with pytest.raises(ExportError):
        PackageFile(path, "text", text="x")


@pytest.mark.parametrize("path", ["imsmanifest.xml", "media/images/a.webp", "runtime/sco.js"])
def test_safe_package_paths(path):
    assert check_package_path(path) == path


def test_zip_entries_are_written_with_fixed_time_and_permissions():
    from scorm_export.package import _info, _write_bytes

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _write_bytes(archive, "a/b.txt", b"x" * 1000)
    info = zipfile.ZipFile(buffer).getinfo("a/b.txt")
    assert info.date_time == (1980, 1, 1, 0, 0, 0)
    assert info.external_attr >> 16 == 0o100644
    assert info.compress_type == zipfile.ZIP_DEFLATED
    with pytest.raises(ExportError):
        _info("../evil")
