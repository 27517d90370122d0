"""Writes of accounts and units: trainees created by administrators, by CSV import or by
self-registration, and units placed in the tree.

New trainees join the "Trainees" group. Accounts made by an administrator or an import get
an unusable password: their holders sign in through single sign-on or set a password with
a password reset, so no password ever travels in a spreadsheet or an e-mail.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from . import services
from .models import TraineeProfile, Unit

#: The group every trainee belongs to (created by migration 0004).
TRAINEES_GROUP = "Trainees"
#: The CSV file's header, in this order or any other.
IMPORT_COLUMNS = ("username", "first_name", "last_name", "email", "unit_code", "rank", "language")
IMPORT_REQUIRED = ("username", "first_name", "last_name", "email", "unit_code")
LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


@dataclass(frozen=True)
class TraineeData:
    username: str
    first_name: str
    last_name: str
    email: str
    unit: Unit | None
    rank: str = ""
    language: str = "pl"


def create_trainee(data: TraineeData, *, password: str | None = None) -> AbstractUser:
    """A new user in the Trainees group with their profile. Without a password the account
    can only be used through single sign-on or after a password reset."""
    with transaction.atomic():
        user = get_user_model()(username=data.username)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        _save_trainee(user, data)
    return user


def _save_trainee(user: AbstractUser, data: TraineeData) -> None:
    user.first_name, user.last_name, user.email = data.first_name, data.last_name, data.email
    user.save()
    TraineeProfile.objects.update_or_create(
        user=user,
        defaults={"unit": data.unit, "rank": data.rank, "preferred_language": data.language},
    )
    user.groups.add(Group.objects.get(name=TRAINEES_GROUP))
    # The unit may be new: the courses assigned to it are now this trainee's too.
    services.apply_assignments(user)


def save_unit(unit: Unit, parent: Unit | None) -> Unit:
    """Add a unit under `parent` (at the top without one), or save an existing unit and move
    it under `parent` with its whole subtree. Treebeard keeps the materialised paths right;
    siblings stay sorted by name."""
    with transaction.atomic():
        if unit.pk is None:
            return parent.add_child(instance=unit) if parent else Unit.add_root(instance=unit)
        unit.save()
        current_parent = unit.get_parent(update=True)
        if parent != current_parent:
            if parent is None:
                unit.move(Unit.get_first_root_node(), "sorted-sibling")
            else:
                unit.move(parent, "sorted-child")
        return Unit.objects.get(pk=unit.pk)


# --- CSV import -------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str


@dataclass
class ImportReport:
    """What an import did, or would do (`dry_run`). With errors, nothing was written."""

    dry_run: bool
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def import_trainees(file: IO[bytes] | IO[str], *, dry_run: bool) -> ImportReport:
    """Create trainees from a CSV file, or update the existing users it names.

    Columns: IMPORT_COLUMNS (UTF-8, a byte order mark is fine; "," or ";" as Excel writes
    it in Polish). Every row is checked first and every problem reported with its line
    number; only a file without problems is written, in one transaction. Staff and
    superuser accounts are never changed by an import: a row naming one is an error, since
    changing their e-mail address would let a password reset take the account over.
    """
    report = ImportReport(dry_run=dry_run)
    rows = _read_rows(file, report)
    valid = _validate(rows, report)
    if report.errors or dry_run:
        return report
    with transaction.atomic():
        existing = _existing_users([data.username for _line, data in valid])
        for _line, data in valid:
            if user := existing.get(data.username):
                _save_trainee(user, data)
            else:
                create_trainee(data)
    return report


def _read_rows(file: IO[bytes] | IO[str], report: ImportReport) -> list[tuple[int, dict]]:
    raw = file.read()
    try:
        # utf-8-sig drops the byte order mark Excel puts at the start of "CSV UTF-8" files.
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw.removeprefix("\ufeff")
    except UnicodeDecodeError:
        report.errors.append(RowError(1, "file", _("the file is not UTF-8 text")))
        return []
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text.partition("\n")[0], delimiters=";,"
        )
    except csv.Error:  # a one-column header: nothing to sniff, and an error below anyway
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in IMPORT_COLUMNS if name not in header]
    if missing:
        report.errors.append(
            RowError(
                1, "header", _("missing columns: %(columns)s") % {"columns": ", ".join(missing)}
            )
        )
        return []
    reader.fieldnames = header
    rows = []
    for record in reader:
        values = {name: (record.get(name) or "").strip() for name in IMPORT_COLUMNS}
        if any(values.values()):  # blank lines (often at the end of a sheet) are skipped
            # line_num counts the lines read so far (the header is line 1), so a cell with
            # a quoted line break does not shift the numbers of the rows after it.
            rows.append((reader.line_num, values))
    if not rows:
        report.errors.append(RowError(1, "file", _("the file has no trainees")))
    return rows


def _validate(rows: list[tuple[int, dict]], report: ImportReport) -> list[tuple[int, TraineeData]]:
    units = {
        unit.code: unit for unit in Unit.objects.filter(code__in={r["unit_code"] for _l, r in rows})
    }
    existing = _existing_users([r["username"] for _l, r in rows])
    user_fields = get_user_model()._meta
    username_field = user_fields.get_field("username")
    max_lengths = {
        **{
            name: user_fields.get_field(name).max_length
            for name in ("first_name", "last_name", "email")
        },
        "rank": TraineeProfile._meta.get_field("rank").max_length,
    }
    first_line: dict[str, int] = {}
    valid = []
    for line, row in rows:
        errors_before = len(report.errors)

        def error(name: str, message: str, line: int = line) -> None:
            report.errors.append(RowError(line, name, message))

        for name in IMPORT_REQUIRED:
            if not row[name]:
                error(name, _("this field is required"))
        username = row["username"]
        if username:
            try:
                username_field.run_validators(username)
            except ValidationError as exc:
                error("username", " ".join(exc.messages))
            if username in first_line:
                error(
                    "username",
                    _('"%(username)s" is also on line %(line)d')
                    % {"username": username, "line": first_line[username]},
                )
            else:
                first_line[username] = line
            user = existing.get(username)
            if user is not None and (user.is_staff or user.is_superuser):
                error("username", _('"%(username)s" is a staff account') % {"username": username})
        if row["email"]:
            try:
                validate_email(row["email"])
            except ValidationError:
                error("email", _('"%(email)s" is not an e-mail address') % {"email": row["email"]})
        if row["unit_code"] and row["unit_code"] not in units:
            error("unit_code", _('no unit "%(code)s"') % {"code": row["unit_code"]})
        language = row["language"].lower() or settings.LANGUAGE_CODE
        if language not in LANGUAGE_CODES:
            error(
                "language",
                _('"%(language)s" is not one of %(languages)s')
                % {"language": row["language"], "languages": ", ".join(LANGUAGE_CODES)},
            )
        for name, limit in max_lengths.items():
            if len(row[name]) > limit:
                error(name, _("at most %(limit)d characters") % {"limit": limit})
        if len(report.errors) > errors_before:
            continue
        (report.updated if username in existing else report.created).append(username)
        valid.append(
            (
                line,
                TraineeData(
                    username=username,
                    first_name=row["first_name"],
                    last_name=row["last_name"],
                    email=row["email"],
                    unit=units[row["unit_code"]],
                    rank=row["rank"],
                    language=language,
                ),
            )
        )
    return valid


def _existing_users(usernames: Iterable[str]) -> dict[str, AbstractUser]:
    return {
        user.username: user for user in get_user_model().objects.filter(username__in=set(usernames))
    }
