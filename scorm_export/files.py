"""The files of a package as the plan lists them and the packager writes them."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Literal

from django.utils.translation import gettext as _

from .errors import ExportError

#: text: generated (UTF-8) content; storage: a file in Django's default storage (media:
#: image renditions, documents, uploaded videos); local: a file on disk (the runtime).
FileKind = Literal["text", "storage", "local"]

_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class PackageFile:
    path: str  # inside the package, "/"-separated and relative
    kind: FileKind
    text: str = ""  # kind "text"
    source: str = ""  # kind "storage": the storage name; kind "local": an absolute path

    def __post_init__(self) -> None:
        check_package_path(self.path)


def check_package_path(path: str) -> str:
    """A path inside the zip: relative, "/"-separated, no "..", no empty or "." parts."""
    parts = path.split("/")
    if (
        not path
        or "\\" in path
        or path.startswith("/")
        or _DRIVE.match(path)
        or "\x00" in path
        or any(part in ("", ".", "..") for part in parts)
        or posixpath.normpath(path) != path
    ):
        raise ExportError(_("Unsafe path inside the package: %(path)s") % {"path": path})
    return path
