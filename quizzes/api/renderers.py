"""Extra response formats of the quiz API."""

import csv
import io
import re
from collections.abc import Mapping
from typing import Any

from rest_framework.renderers import BaseRenderer

BYTE_ORDER_MARK = "\ufeff"
# A cell starting with one of these is a formula to Excel and LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


class CSVRenderer(BaseRenderer):
    """Serialized rows as CSV: a header row, then one line per row.

    UTF-8 with a byte-order mark, so that Excel reads Polish letters right.
    Takes a serializer's ``many=True`` data (the header then comes from the
    serializer's fields, even without rows), a list of flat dicts, a paginated
    page (``{"results": [...]}``) or a single dict such as an error.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if data is None:
            return b""
        if isinstance(data, Mapping):
            data = data.get("results", [data])
        header = _header(data)
        output = io.StringIO()
        output.write(BYTE_ORDER_MARK)
        writer = csv.writer(output)
        writer.writerow(header)
        for row in data:
            writer.writerow(_cell(row.get(name)) for name in header)
        return output.getvalue().encode(self.charset)


def _header(rows: Any) -> list[str]:
    serializer = getattr(rows, "serializer", None)  # DRF's ReturnList keeps it
    fields = getattr(getattr(serializer, "child", None), "fields", None)
    if fields is not None:
        return list(fields)
    return list(rows[0]) if rows else []


def _cell(value: Any) -> Any:
    """A value as Excel should show it: no formulas smuggled in through names."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):  # e.g. a field's error messages
        value = "; ".join(str(item) for item in value)
    return formula_safe(value)


def formula_safe(value: Any) -> Any:
    """Text that would start a formula in Excel or LibreOffice, quoted so that it stays
    text (names and answers come from users); anything else as it is."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value
