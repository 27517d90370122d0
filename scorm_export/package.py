"""Writes a plan as a zip, streaming each file in: the package is never held in memory.

Deterministic: entries sorted by path (the manifest first, at the root), every timestamp
1980-01-01 00:00:00, fixed permissions (0644), deflate at a fixed level, UTF-8 names. The
same plan gives the same bytes.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from collections.abc import Callable
from typing import BinaryIO

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from .errors import ExportError
from .files import PackageFile, check_package_path
from .manifest import build_manifest
from .plan import PackagePlan

MANIFEST = "imsmanifest.xml"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o100644  # a regular file, rw-r--r--
COMPRESS_LEVEL = 6
CHUNK = 1024 * 1024

Progress = Callable[[int, int], None]


def write_package(plan: PackagePlan, output: BinaryIO, progress: Progress | None = None) -> None:
    """Write the package of `plan` to the binary file object `output` (which must be
    writable; seeking is not needed). `progress(done, total)` is called after each file."""
    paths = [file.path for file in plan.files]
    if len(set(paths)) != len(paths) or MANIFEST in paths:
        raise ExportError(_("The package would hold the same file twice."))
    total = len(plan.files) + 1
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _write_bytes(archive, MANIFEST, build_manifest(plan))
        if progress:
            progress(1, total)
        for done, file in enumerate(sorted(plan.files, key=lambda f: f.path), start=2):
            _write_file(archive, file)
            if progress:
                progress(done, total)


def _info(path: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(check_package_path(path), date_time=FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = COMPRESS_LEVEL  # `compress_level` from Python 3.13 on
    info.external_attr = FILE_MODE << 16
    info.create_system = 3  # Unix, so the permissions above are read everywhere
    return info


def _write_bytes(archive: zipfile.ZipFile, path: str, data: bytes) -> None:
    with archive.open(_info(path), "w") as target:
        target.write(data)


def _write_file(archive: zipfile.ZipFile, file: PackageFile) -> None:
    if file.kind == "text":
        _write_bytes(archive, file.path, file.text.encode("utf-8"))
        return
    try:
        if file.kind == "storage":
            size = default_storage.size(file.source)
            source = default_storage.open(file.source, "rb")
        else:
            size = os.path.getsize(file.source)
            source = open(file.source, "rb")  # noqa: SIM115 - closed below
    except FileNotFoundError as error:
        raise ExportError(
            _("The file %(name)s is missing: it cannot be put in the package.")
            % {"name": file.source}
        ) from error
    info = _info(file.path)
    info.file_size = size  # lets zipfile choose ZIP64 for huge files only
    with source, archive.open(info, "w") as target:
        shutil.copyfileobj(source, target, CHUNK)
