"""Small server-side SVG charts for the training reports.

Rendered on the server so the admin needs no chart library (the site works on a closed
network, nothing fetched at run time). Each chart is an image with a title and a
description for screen readers (role="img"); the table next to it stays the data
alternative, so the bars themselves carry no extra accessible markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

#: Characters of a label before it is cut short with an ellipsis.
LABEL_CHARACTERS = 36
FONT_SIZE = 13
BAR_COLOUR = "#007d7e"  # Wagtail's teal: 4.9:1 against white, visible in the dark theme too

# Horizontal chart geometry (px in the viewBox; the SVG scales to its container's width).
H_LABEL_WIDTH = 260
H_PLOT_WIDTH = 360
H_VALUE_WIDTH = 80
H_ROW_HEIGHT = 26
H_BAR_HEIGHT = 16

# Column chart geometry.
C_COLUMN_WIDTH = 48
C_GAP = 12
C_PLOT_HEIGHT = 200
C_TOP = 24  # room for the value above the highest column
C_BOTTOM = 24  # room for the label under each column


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label, its value (scaled) and the text shown next to it (formatted by
    the caller, e.g. "66.7 %", so the chart needs no knowledge of units or locales)."""

    label: str
    value: float
    text: str = ""


def _scale(value: float, maximum: float, length: float) -> float:
    """The bar's length: proportional, never negative, never past the axis."""
    if maximum <= 0:
        return 0.0
    return round(min(max(value, 0.0), maximum) / maximum * length, 1)


def _maximum(bars: Sequence[Bar], maximum: float | None) -> float:
    if maximum is not None:
        return maximum
    return max((bar.value for bar in bars), default=0.0)


def _svg(width: int, height: int, title: str, description: str, body: list[str], id_: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lms-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" style="max-width: {width}px" '
        f'aria-labelledby="{escape(id_)}-title" aria-describedby="{escape(id_)}-desc" '
        f'font-size="{FONT_SIZE}" fill="currentColor">'
        f'<title id="{escape(id_)}-title">{escape(title)}</title>'
        f'<desc id="{escape(id_)}-desc">{escape(description)}</desc>'
        f"{''.join(body)}</svg>"
    )


def horizontal_bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    description: str,
    chart_id: str,
    maximum: float | None = None,
    indents: Sequence[int] = (),
) -> SafeString:
    """One row per bar: label, bar, text. `maximum` fixes the scale (100 for rates),
    otherwise the largest value fills the plot. `indents` (levels, one per bar) shift
    labels right, to show a tree. No bars, no chart: an empty string."""
    if not bars:
        return mark_safe("")
    top = _maximum(bars, maximum)
    body = []
    for row, bar in enumerate(bars):
        y = row * H_ROW_HEIGHT
        indent = indents[row] if row < len(indents) else 0
        label = Truncator(bar.label).chars(max(LABEL_CHARACTERS - 2 * indent, 8))
        middle = y + H_ROW_HEIGHT / 2
        body.append(
            f'<text x="{8 + 12 * indent}" y="{middle}" dominant-baseline="middle">'
            f"{escape(label)}</text>"
            f'<rect x="{H_LABEL_WIDTH}" y="{y + (H_ROW_HEIGHT - H_BAR_HEIGHT) / 2}" '
            f'width="{_scale(bar.value, top, H_PLOT_WIDTH)}" height="{H_BAR_HEIGHT}" '
            f'fill="{BAR_COLOUR}"/>'
            f'<text x="{H_LABEL_WIDTH + H_PLOT_WIDTH + 8}" y="{middle}" '
            f'dominant-baseline="middle">{escape(bar.text)}</text>'
        )
    # The axis, so a zero bar still reads as "nothing" rather than "missing".
    height = len(bars) * H_ROW_HEIGHT
    body.append(
        f'<line x1="{H_LABEL_WIDTH}" y1="0" x2="{H_LABEL_WIDTH}" y2="{height}" '
        'stroke="currentColor"/>'
    )
    width = H_LABEL_WIDTH + H_PLOT_WIDTH + H_VALUE_WIDTH
    return mark_safe(_svg(width, height, title, description, body, chart_id))


def column_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    description: str,
    chart_id: str,
    maximum: float | None = None,
) -> SafeString:
    """One column per bar, labels underneath, texts on top (a histogram). No bars, no
    chart: an empty string."""
    if not bars:
        return mark_safe("")
    top = _maximum(bars, maximum)
    body = []
    for index, bar in enumerate(bars):
        x = C_GAP + index * (C_COLUMN_WIDTH + C_GAP)
        height = _scale(bar.value, top, C_PLOT_HEIGHT)
        centre = x + C_COLUMN_WIDTH / 2
        body.append(
            f'<rect x="{x}" y="{C_TOP + C_PLOT_HEIGHT - height}" width="{C_COLUMN_WIDTH}" '
            f'height="{height}" fill="{BAR_COLOUR}"/>'
            f'<text x="{centre}" y="{C_TOP + C_PLOT_HEIGHT - height - 6}" '
            f'text-anchor="middle">{escape(bar.text)}</text>'
            f'<text x="{centre}" y="{C_TOP + C_PLOT_HEIGHT + 17}" text-anchor="middle">'
            f"{escape(Truncator(bar.label).chars(8))}</text>"
        )
    width = C_GAP + len(bars) * (C_COLUMN_WIDTH + C_GAP)
    baseline = C_TOP + C_PLOT_HEIGHT
    body.append(
        f'<line x1="0" y1="{baseline}" x2="{width}" y2="{baseline}" stroke="currentColor"/>'
    )
    return mark_safe(_svg(width, baseline + C_BOTTOM, title, description, body, chart_id))
