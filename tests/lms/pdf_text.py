"""Read the text back out of the PDFs reportlab writes (no PDF library is a dependency).

reportlab embeds each TrueType font as subsets of single-byte codes, each subset with a
ToUnicode map; the page shows strings with `Tj` after choosing a subset with `Tf`.
"""

from __future__ import annotations

import base64
import re
import zlib

OBJECT = re.compile(rb"(\d+) 0 obj\n(.*?)\nendobj", re.S)
STREAM = re.compile(rb"^(.*?/Length (\d+).*?)stream\r?\n", re.S)
FONT_RESOURCE = re.compile(rb"/(F[\w+]+) (\d+) 0 R")
SHOW_TEXT = re.compile(rb"/(F[\w+]+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\) Tj", re.S)
ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.S)
ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def pdf_text_lines(pdf: bytes) -> list[str]:
    """Every string the PDF shows, in drawing order."""
    objects = {}
    for number, body in OBJECT.findall(pdf):
        stream = STREAM.match(body)
        if stream is None:
            objects[int(number)] = (body, b"")
        else:
            head, length = stream.groups()
            data = body[stream.end() : stream.end() + int(length)]
            objects[int(number)] = (head, _decode(head, data))
    fonts: dict[bytes, dict[int, str]] = {}
    for head, _ in objects.values():
        for name, ref in FONT_RESOURCE.findall(head):
            to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", objects[int(ref)][0])
            fonts[name] = _cmap(objects[int(to_unicode[1])][1]) if to_unicode else {}
    lines, font = [], {}
    for head, data in objects.values():
        if b"/Length" not in head or b"Length1" in head or b" Tj" not in data:
            continue
        for name, string in SHOW_TEXT.findall(data):
            if name:
                font = fonts[name]
            else:
                raw = ESCAPE.sub(_unescape, string)
                lines.append("".join(font.get(byte, chr(byte)) for byte in raw))
    return lines


def _decode(head: bytes, data: bytes) -> bytes:
    if b"ASCII85Decode" in head:
        data = base64.a85decode(data.strip().removesuffix(b"~>"))
    return zlib.decompress(data) if b"FlateDecode" in head else data


def _cmap(data: bytes) -> dict[int, str]:
    pairs = re.findall(rb"<([0-9A-F]{2})> <([0-9A-F]{4})>", data)
    return {int(code, 16): chr(int(char, 16)) for code, char in pairs}


def _unescape(match: re.Match) -> bytes:
    escaped = match.group(1)
    if escaped.isdigit():
        return bytes([int(escaped, 8)])
    return ESCAPES.get(escaped, escaped)
