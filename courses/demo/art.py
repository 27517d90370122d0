"""Artwork the demo seed draws itself: PNG covers and illustrations, and PDF leaflets.

Nothing is downloaded. Every function is deterministic: the same input always gives
byte-identical output, so re-running the seed never creates "changed" files.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Callable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw
from reportlab.lib import colors
from reportlab.lib.fonts import addMapping
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

Color = tuple[int, ...]
Point = tuple[float, float]

SS = 2  # supersampling: shapes are drawn at double size and scaled down for smooth edges
COVER_SIZE = (1200, 630)
ILLUSTRATION_SIZE = (1200, 800)
FONT_DIR = Path(__file__).resolve().parent / "fonts"

WHITE: Color = (255, 255, 255)
INK: Color = (28, 36, 52)


def _mix(a: Color, b: Color, t: float) -> Color:
    """Linear blend of two RGB colours (t=0 gives a, t=1 gives b)."""
    return tuple(round(x + (y - x) * t) for x, y in zip(a[:3], b[:3], strict=True))


def _fade(c: Color, alpha: int) -> Color:
    """The colour with an alpha channel, for translucent shapes."""
    return (*c[:3], alpha)


def _scaled(coords: Sequence) -> list[float]:
    """Flatten points or a box and scale it to the supersampled canvas."""
    flat = [v for p in coords for v in p] if isinstance(coords[0], tuple | list) else coords
    return [v * SS for v in flat]


class _Pen:
    """ImageDraw wrapper drawing in logical pixels on a supersampled canvas."""

    def __init__(
        self, size: tuple[int, int], top: Color | None = None, bottom: Color | None = None
    ):
        """A transparent layer without colours, else a flat or (with bottom) banded canvas."""
        self.size = size
        big = (size[0] * SS, size[1] * SS)
        if top is None:  # transparent layer, composited later with paste()
            self.img = Image.new("RGBA", big, (0, 0, 0, 0))
            self.draw = ImageDraw.Draw(self.img)
        else:
            self.img = Image.new("RGB", big, top[:3])
            self.draw = ImageDraw.Draw(self.img, "RGBA")  # RGBA fills blend over RGB
            if bottom is not None:
                self.bands((0, 0, size[0], size[1]), top, bottom)

    def bands(self, box: Sequence[float], top: Color, bottom: Color, n: int = 14) -> None:
        """Vertical gradient made of n flat bands."""
        x0, y0, x1, y1 = box
        step = (y1 - y0) / n
        for i in range(n):
            band = (x0, y0 + i * step, x1, min(y1, y0 + (i + 1) * step + 1))
            self.rect(band, _mix(top, bottom, i / max(n - 1, 1)))

    def rect(self, box: Sequence[float], fill: Color | None = None, r: float = 0, **kw) -> None:
        x0, y0, x1, y1 = box
        r = max(0, min(r, (x1 - x0) / 2, (y1 - y0) / 2))
        width = round(kw.pop("width", 0) * SS)
        self.draw.rounded_rectangle(_scaled(box), round(r * SS), fill, width=width, **kw)

    def ellipse(self, box: Sequence[float], fill: Color | None = None, **kw) -> None:
        width = round(kw.pop("width", 0) * SS)
        self.draw.ellipse(_scaled(box), fill, width=width, **kw)

    def circle(self, c: Point, r: float, fill: Color | None = None, **kw) -> None:
        self.ellipse((c[0] - r, c[1] - r, c[0] + r, c[1] + r), fill, **kw)

    def chord(self, box: Sequence[float], start: float, end: float, fill: Color) -> None:
        self.draw.chord(_scaled(box), start, end, fill)

    def poly(self, pts: Sequence[Point], fill: Color) -> None:
        self.draw.polygon(_scaled(pts), fill)

    def line(self, pts: Sequence[Point], fill: Color, width: float, caps: bool = True) -> None:
        """Polyline with rounded joints and (for opaque colours) rounded caps."""
        self.draw.line(_scaled(pts), fill, round(width * SS), joint="curve")
        if caps:
            for p in (pts[0], pts[-1]):
                self.circle(p, width / 2, fill)

    def arc(self, c: Point, r: float, start: float, end: float, fill: Color, width: float) -> None:
        box = (c[0] - r, c[1] - r, c[0] + r, c[1] + r)
        self.draw.arc(_scaled(box), start, end, fill, round(width * SS))

    def paste(self, layer: _Pen, flip: bool = False, offset: Point = (0, 0)) -> None:
        """Composite a transparent layer, optionally mirrored left-to-right."""
        im = layer.img.transpose(Image.Transpose.FLIP_LEFT_RIGHT) if flip else layer.img
        self.img.paste(im, (round(offset[0] * SS), round(offset[1] * SS)), im)

    def png(self) -> bytes:
        """Downsample and encode; no metadata chunks, fixed encoder options."""
        img = self.img.convert("RGB").resize(self.size, Image.Resampling.LANCZOS)
        buf = io.BytesIO()
        img.save(buf, format="PNG", optimize=False, compress_level=9)
        return buf.getvalue()


# --- shared motifs ------------------------------------------------------------------------


def _cloud(pen: _Pen, x: float, y: float, s: float, fill: Color = WHITE) -> None:
    for dx, dy, r in ((0, 0, 38), (50, -14, 52), (100, 0, 38)):
        pen.circle((x + dx * s, y + dy * s), r * s, fill)
    pen.rect((x, y, x + 100 * s, y + 38 * s), fill)


def _wheel(pen: _Pen, c: Point, r: float) -> None:
    pen.circle(c, r, (34, 36, 44))
    pen.circle(c, r * 0.55, (196, 202, 212))
    pen.circle(c, r * 0.2, (92, 98, 110))


def _pin(pen: _Pen, x: float, y: float, s: float, fill: Color) -> None:
    """Map pin whose tip touches (x, y)."""
    cy = y - 1.9 * s
    pen.poly([(x - 0.86 * s, cy + 0.5 * s), (x + 0.86 * s, cy + 0.5 * s), (x, y)], fill)
    pen.circle((x, cy), s, fill)
    pen.circle((x, cy), s * 0.42, WHITE)


def _bubble(pen: _Pen, box: Sequence[float], fill: Color, tail_left: bool) -> None:
    """Speech bubble with a tail and three 'typing' dots (no text)."""
    x0, y0, x1, y1 = box
    tx = x0 + 40 if tail_left else x1 - 40
    pen.poly(
        [(tx - 18, y1 - 4), (tx + 18, y1 - 4), (tx - (22 if tail_left else -22), y1 + 36)], fill
    )
    pen.rect(box, fill, r=30)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    for dx in (-34, 0, 34):
        pen.circle((cx + dx, cy), 11, WHITE)


def _chevron(x: float, y: float, h: float, t: float) -> list[Point]:
    """A '>' shape with arm thickness t, height 2h, starting at x."""
    return [(x, y - h), (x + t, y - h), (x + t + h, y), (x + t, y + h), (x, y + h), (x + h, y)]


def _parcel(pen: _Pen, box: Sequence[float], body: Color, tape: Color) -> None:
    x0, y0, x1, y1 = box
    pen.rect(box, body, r=8)
    pen.rect((x0, y0, x1, y0 + (y1 - y0) * 0.22), _mix(body, INK, 0.15), r=8)
    cx = (x0 + x1) / 2
    pen.rect((cx - 9, y0, cx + 9, y1), tape)


# --- covers -------------------------------------------------------------------------------

# topic: (dark, light, accent, soft) -- dark/light make the background gradient
_PALETTES: dict[str, tuple[Color, Color, Color, Color]] = {
    "fugitives": ((16, 37, 82), (46, 100, 178), (255, 183, 3), (142, 190, 255)),
    "smuggling": ((58, 38, 22), (156, 98, 44), (22, 160, 150), (245, 200, 140)),
    "itinerant_groups": ((48, 24, 94), (124, 77, 196), (40, 190, 140), (210, 190, 255)),
    "trafficking": ((92, 14, 48), (196, 52, 96), (240, 170, 40), (255, 170, 190)),
    "hot_pursuit": ((140, 22, 22), (236, 104, 36), (24, 36, 84), (255, 210, 160)),
    "police_language": ((10, 78, 66), (32, 156, 120), (240, 170, 20), (170, 240, 210)),
}


def _glyph_fugitives(pen: _Pen, cx: float, cy: float, pal: Sequence[Color]) -> None:
    dark, light, accent, _ = pal
    pen.circle((cx - 40, cy - 45), 44, dark)
    pen.chord((cx - 125, cy + 10, cx + 45, cy + 190), 180, 360, dark)
    pen.circle((cx + 45, cy - 5), 66, _fade(WHITE, 150))
    pen.circle((cx + 45, cy - 5), 66, None, outline=accent, width=20)
    pen.line([(cx + 98, cy + 48), (cx + 140, cy + 92)], light, 28)


def _glyph_smuggling(pen: _Pen, cx: float, cy: float, pal: Sequence[Color]) -> None:
    dark, light, _, soft = pal
    body = _mix(soft, light, 0.35)
    for box in ((cx - 125, cy + 5, cx - 5, cy + 115), (cx + 5, cy + 5, cx + 125, cy + 115)):
        _parcel(pen, box, body, dark)
    _parcel(pen, (cx - 62, cy - 115, cx + 62, cy - 5), _mix(body, WHITE, 0.2), dark)


def _glyph_itinerant_groups(pen: _Pen, cx: float, cy: float, pal: Sequence[Color]) -> None:
    dark, light, accent, _ = pal
    route = [(cx - 110 + i * 11, cy + 75 - 90 * math.sin(i / 20 * math.pi)) for i in range(21)]
    for i in range(0, 20, 2):
        pen.line(route[i : i + 2], light, 12)
    for (x, y), colour in zip(route[::10], (dark, accent, dark), strict=True):
        _pin(pen, x, y, 30, colour)


def _glyph_trafficking(pen: _Pen, cx: float, cy: float, pal: Sequence[Color]) -> None:
    dark, _, accent, _ = pal
    for side in (-1, 1):
        x_in, x_out = cx + side * 28, cx + side * 168
        pen.rect(
            (min(x_in, x_out), cy - 48, max(x_in, x_out), cy + 48), None, 48, outline=dark, width=24
        )
        pen.rect((x_in - 14, cy - 14, x_in + 14, cy + 14), WHITE)  # the opened end of the link
    for angle in (-60, -90, -120, 60, 90, 120):
        a = math.radians(angle)
        pen.line(
            [
                (cx + 40 * math.cos(a), cy + 40 * math.sin(a)),
                (cx + 85 * math.cos(a), cy + 85 * math.sin(a)),
            ],
            accent,
            12,
        )


def _glyph_hot_pursuit(pen: _Pen, cx: float, cy: float, pal: Sequence[Color]) -> None:
    dark, light, accent, _ = pal
    for dy, length in ((-45, 55), (0, 80), (45, 55)):
        pen.line([(cx - 160, cy + dy), (cx - 160 + length, cy + dy)], light, 14)
    for i, colour in enumerate((light, dark, accent)):
        pen.poly(_chevron(cx - 80 + i * 62, cy, 85, 44), colour)


def _glyph_police_language(pen: _Pen, cx: float, cy: float, pal: Sequence[Color]) -> None:
    dark, light, _, _ = pal
    _bubble(pen, (cx - 145, cy - 115, cx + 45, cy - 10), dark, tail_left=True)
    _bubble(pen, (cx - 35, cy + 10, cx + 145, cy + 105), light, tail_left=False)


_GLYPHS: dict[str, Callable[[_Pen, float, float, Sequence[Color]], None]] = {
    "fugitives": _glyph_fugitives,
    "smuggling": _glyph_smuggling,
    "itinerant_groups": _glyph_itinerant_groups,
    "trafficking": _glyph_trafficking,
    "hot_pursuit": _glyph_hot_pursuit,
    "police_language": _glyph_police_language,
}


def _cover(topic: str) -> bytes:
    """Abstract cover: banded gradient, translucent ribbons and rings, a topic badge."""
    pal = _PALETTES[topic]
    dark, light, accent, soft = pal
    w, h = COVER_SIZE
    pen = _Pen(COVER_SIZE, dark, light)
    for i in range(3):
        x = 560 + i * 190
        pen.poly([(x, 0), (x + 110, 0), (x - 230, h), (x - 340, h)], _fade(soft, 26 + 12 * i))
    pen.circle((w - 60, 40), 250, _fade(soft, 40))
    pen.circle((90, h + 60), 230, _fade(soft, 40))
    pen.circle((90, h + 60), 230, None, outline=accent, width=14)
    for gx in range(7):
        for gy in range(4):
            pen.circle((80 + gx * 36, 80 + gy * 36), 5, _fade(WHITE, 90))
    cx, cy, r = 870, 315, 200
    pen.circle((cx + 16, cy + 20), r, _fade(dark, 110))
    pen.circle((cx, cy), r, WHITE)
    pen.circle((cx, cy), r - 16, None, outline=accent, width=10)
    _GLYPHS[topic](pen, cx, cy, pal)
    return pen.png()


# --- illustrations ------------------------------------------------------------------------


def _scene(sky: tuple[Color, Color], ground: tuple[Color, Color], horizon: float) -> _Pen:
    """Sky and ground, both banded gradients, split at the horizon."""
    w, h = ILLUSTRATION_SIZE
    pen = _Pen(ILLUSTRATION_SIZE, sky[0])
    pen.bands((0, 0, w, horizon), *sky)
    pen.bands((0, horizon, w, h), *ground, n=8)
    return pen


# Rough outline of Poland (lon, lat), clockwise from the Oder mouth, split at the borders.
_PL_WEST_COAST = [
    (14.2, 53.9),
    (15.0, 54.05),
    (16.0, 54.25),
    (16.9, 54.57),
    (17.9, 54.8),
    (18.4, 54.83),
    (18.6, 54.45),
    (19.0, 54.35),
    (19.6, 54.45),
]
_PL_RUSSIA = [(19.6, 54.45), (20.6, 54.38), (21.6, 54.33), (22.8, 54.36)]
_PL_LITHUANIA = [(22.8, 54.36), (23.0, 54.2), (23.35, 54.1), (23.5, 53.95)]
_PL_BELARUS_UKRAINE = [
    (23.5, 53.95),
    (23.55, 53.65),
    (23.9, 53.2),
    (23.75, 52.9),
    (23.9, 52.7),
    (23.2, 52.35),
    (23.65, 52.1),
    (23.55, 51.7),
    (23.6, 51.52),
    (24.1, 51.1),
    (24.15, 50.87),
    (24.0, 50.6),
    (23.5, 50.35),
    (22.95, 49.8),
    (22.65, 49.5),
    (22.88, 49.1),
    (22.56, 49.08),
]
_PL_SOUTH_WEST = [
    (22.56, 49.08),
    (22.0, 49.2),
    (21.4, 49.43),
    (20.9, 49.35),
    (20.1, 49.2),
    (19.5, 49.6),
    (18.85, 49.52),
    (18.6, 49.9),
    (18.0, 50.0),
    (17.7, 50.3),
    (17.0, 50.4),
    (16.85, 50.2),
    (16.55, 50.15),
    (16.3, 50.65),
    (15.6, 50.75),
    (14.82, 50.87),
    (15.0, 51.3),
    (14.6, 51.8),
    (14.75, 52.1),
    (14.6, 52.5),
    (14.15, 52.85),
    (14.4, 53.25),
    (14.3, 53.6),
]
_CITIES = [(22.57, 51.25), (22.0, 50.04), (23.16, 53.13), (20.49, 53.78)]  # Lub, Rze, Bia, Ols


def _lonlat(pts: Sequence[Point]) -> list[Point]:
    k = 108  # pixels per degree of latitude; longitude shrunk by cos(52°)
    return [(264 + (lon - 14.1) * k * 0.616, 80 + (54.9 - lat) * k) for lon, lat in pts]


def _map_eastern_border() -> bytes:
    w, h = ILLUSTRATION_SIZE
    pen = _Pen(ILLUSTRATION_SIZE, (206, 224, 242), (234, 242, 250))
    for gx in range(0, w, 40):
        for gy in range(0, h, 40):
            pen.circle((gx + 20, gy + 20), 2.5, (190, 208, 230))
    segments = (_PL_WEST_COAST, _PL_RUSSIA, _PL_LITHUANIA, _PL_BELARUS_UKRAINE, _PL_SOUTH_WEST)
    outline = _lonlat([p for seg in segments for p in seg[1:]])
    pen.poly([(x + 12, y + 16) for x, y in outline], (172, 192, 220))
    pen.poly(outline, (252, 248, 238))
    pen.line([*outline, outline[0]], (66, 86, 118), 5)
    for seg in (_PL_RUSSIA, _PL_BELARUS_UKRAINE):
        pen.line(_lonlat(seg), (214, 40, 60), 13)
    for c in _lonlat(_CITIES):
        pen.circle(c, 21, WHITE)
        pen.circle(c, 14, (20, 52, 110))
    return pen.png()


def _border_crossing() -> bytes:
    pen = _scene(((120, 186, 236), (214, 236, 250)), ((126, 186, 112), (92, 150, 86)), 500)
    _cloud(pen, 140, 120, 1.1)
    _cloud(pen, 760, 80, 0.8)
    for x, r in ((180, 260), (620, 200), (1040, 280)):
        pen.ellipse((x - r, 500 - r * 0.45, x + r, 500 + r * 0.45), (150, 200, 132))
    pen.rect((0, 500, 1200, 590), (126, 186, 112))
    pen.rect((0, 590, 1200, 700), (82, 88, 100))
    for x in range(20, 1200, 120):
        pen.rect((x, 641, x + 60, 649), (236, 238, 242))
    # booth
    pen.rect((820, 300, 1010, 596), (238, 241, 246))
    pen.rect((800, 270, 1030, 312), (34, 70, 140), r=6)
    pen.rect((845, 340, 985, 440), (146, 196, 234), outline=(60, 80, 110), width=6)
    pen.rect((820, 560, 1010, 596), (34, 70, 140))
    # lorry
    pen.rect((40, 330, 400, 620), (240, 244, 248), r=10)
    pen.rect((40, 330, 400, 360), (232, 120, 40), r=10)
    pen.rect((410, 420, 548, 620), (232, 120, 40), r=18)
    pen.rect((450, 440, 530, 505), (146, 196, 234), r=8)
    pen.rect((30, 610, 560, 640), (60, 64, 74), r=8)
    for x in (110, 190, 470):
        _wheel(pen, (x, 652), 40)
    # barrier
    pen.rect((588, 430, 622, 660), (60, 64, 74), r=6)
    pen.circle((605, 420), 16, (220, 40, 40))
    pen.rect((605, 462, 1170, 492), WHITE, r=12)
    for x in range(640, 1160, 90):
        pen.rect((x, 462, x + 45, 492), (214, 40, 50))
    return pen.png()


def _weather_balloon() -> bytes:
    pen = _scene(((36, 46, 104), (244, 164, 116)), ((40, 62, 52), (28, 44, 38)), 600)
    rng = random.Random("weather-balloon")
    for _ in range(40):
        pen.circle((rng.uniform(0, 1200), rng.uniform(0, 330)), rng.uniform(1.5, 3.5), WHITE)
    pen.circle((980, 140), 46, (250, 236, 200))
    for x in range(-40, 1240, 70):
        pen.poly([(x, 600), (x + 45, 470 + (x * 37) % 60), (x + 90, 600)], (30, 52, 44))
    # balloon, rigging and box
    pen.circle((600, 200), 135, (246, 246, 250))
    pen.ellipse((520, 110, 580, 190), (255, 255, 255))
    pen.poly([(575, 325), (625, 325), (612, 360), (588, 360)], (210, 212, 222))
    for x in (556, 644):
        pen.line([(600, 360), (x, 470)], (230, 230, 236), 4)
    _parcel(pen, (540, 470, 660, 560), (204, 150, 92), (150, 100, 56))
    for y in (150, 250):
        pen.line([(330, y), (420, y)], _fade(WHITE, 120), 8, caps=False)
    # fence
    for y in (640, 690, 735):
        pen.line([(0, y), (1200, y)], (150, 160, 166), 4, caps=False)
    for x in range(30, 1200, 110):
        pen.rect((x, 600, x + 16, 780), (110, 116, 122), r=4)
    for x in range(0, 1200, 36):
        pen.circle((x + 18, 612), 16, None, outline=(170, 178, 184), width=3)
    return pen.png()


def _wagon(pen: _Pen, x0: float, rng: random.Random) -> None:
    """Open freight wagon, 760 px long, heaped with ore, standing on the rails at y=660."""
    x1 = x0 + 760
    heap = (
        [(x0 + 20, 380)]
        + [
            (x, 300 + 30 * math.cos((x - x0) / 760 * 2 * math.pi) + rng.uniform(-14, 14))
            for x in range(round(x0) + 60, round(x1) - 40, 50)
        ]
        + [(x1 - 20, 380)]
    )
    pen.poly(heap, (84, 70, 72))
    for _ in range(26):
        pen.circle(
            (rng.uniform(x0 + 60, x1 - 60), rng.uniform(330, 378)),
            rng.uniform(8, 18),
            (120, 96, 88),
        )
    pen.rect((x0, 370, x1, 590), (168, 72, 44), r=6)
    for x in range(round(x0) + 60, round(x1), 80):
        pen.rect((x, 380, x + 12, 580), (140, 56, 34), r=4)
    pen.rect((x0, 370, x1, 390), (132, 52, 32), r=6)
    pen.rect((x0 + 10, 590, x1 - 10, 612), (44, 46, 54))
    pen.rect((x1 - 10, 588, x1 + 20, 604), (44, 46, 54))
    for bx in (x0 + 150, x1 - 150):
        pen.rect((bx - 100, 600, bx + 100, 628), (62, 66, 76), r=8)
        for dx in (-55, 55):
            _wheel(pen, (bx + dx, 628), 34)


def _freight_train() -> bytes:
    pen = _scene(((150, 200, 240), (226, 240, 250)), ((176, 196, 120), (140, 164, 96)), 560)
    _cloud(pen, 200, 110, 1.0)
    _cloud(pen, 860, 150, 0.7)
    pen.rect((0, 662, 1200, 720), (150, 140, 128))
    for x in range(0, 1200, 44):
        pen.rect((x, 664, x + 26, 680), (96, 72, 56))
    pen.rect((0, 656, 1200, 666), (120, 126, 136))
    rng = random.Random("freight-train")
    for x0 in (-580, 220, 1020):
        _wagon(pen, x0, rng)
    return pen.png()


def _patrol_car() -> bytes:
    pen = _scene(((22, 30, 70), (84, 104, 164)), ((62, 66, 78), (40, 42, 50)), 520)
    for x, hgt in ((40, 120), (170, 200), (300, 150), (880, 180), (1000, 240), (1120, 140)):
        pen.rect((x, 520 - hgt, x + 110, 520), (40, 52, 90))
        for wy in range(530 - hgt, 500, 40):
            pen.rect((x + 22, wy, x + 42, wy + 16), (242, 204, 120))
    for x in range(0, 1200, 160):
        pen.rect((x + 20, 716, x + 110, 728), (220, 222, 228))
    pen.ellipse((230, 600, 970, 650), (24, 26, 32))
    for c in ((575, 296), (655, 296)):  # blue light halo
        for r, a in ((150, 30), (100, 50), (60, 90)):
            pen.circle(c, r, _fade((70, 140, 255), a))
    pen.poly([(400, 440), (480, 320), (760, 320), (850, 440)], (236, 240, 246))
    pen.poly([(430, 430), (495, 338), (610, 338), (610, 430)], (36, 56, 96))
    pen.poly([(630, 430), (630, 338), (748, 338), (810, 430)], (36, 56, 96))
    pen.rect((250, 420, 960, 590), (240, 243, 248), r=40)
    pen.rect((250, 480, 960, 514), (28, 70, 168))
    pen.rect((618, 430, 622, 580), (196, 202, 214))
    for x in (560, 700):
        pen.rect((x, 528, x + 36, 536), (150, 158, 172), r=4)
    pen.rect((930, 446, 962, 470), (255, 226, 120), r=8)
    pen.rect((248, 446, 270, 470), (220, 40, 40), r=6)
    pen.rect((545, 300, 685, 322), (50, 56, 70), r=8)
    for c in ((575, 296), (655, 296)):
        pen.rect((c[0] - 26, c[1] - 12, c[0] + 26, c[1] + 12), (60, 130, 255), r=8)
        pen.rect((c[0] - 14, c[1] - 6, c[0] + 14, c[1] + 2), (190, 220, 255), r=4)
    for x in (380, 820):
        pen.circle((x, 590), 74, (30, 32, 40))
        _wheel(pen, (x, 590), 60)
    return pen.png()


def _radio_call() -> bytes:
    pen = _Pen(ILLUSTRATION_SIZE, (226, 236, 250), (186, 206, 238))
    pen.circle((600, 470), 310, (208, 222, 246))
    tip, orange = (660, 180), (240, 130, 40)
    for r, t in ((60, 0), (105, 0.2), (150, 0.4)):
        for start in (205, 295):
            pen.arc(tip, r, start, start + 40, _mix(orange, (214, 228, 248), t), 16)
    pen.rect((640, 180, 680, 320), (50, 56, 70), r=18)
    pen.rect((515, 262, 575, 300), (70, 76, 90), r=8)
    pen.rect((452, 390, 476, 500), (70, 76, 90), r=10)
    pen.rect((470, 290, 730, 740), (38, 44, 58), r=44)
    pen.rect((508, 328, 692, 412), (150, 220, 170), r=12)
    for i in range(4):
        pen.rect((530 + i * 24, 390 - i * 14, 546 + i * 24, 394), (40, 100, 70), r=3)
    for y in range(450, 600, 28):
        pen.rect((515, y, 685, y + 12), (74, 82, 98), r=6)
    for x, colour in ((540, (220, 60, 60)), (600, (90, 98, 114)), (660, (90, 98, 114))):
        pen.circle((x, 670), 20, colour)
    return pen.png()


def _passport() -> bytes:
    pen = _Pen(ILLUSTRATION_SIZE, (214, 238, 236), (176, 214, 214))
    pen.rect((192, 158, 1012, 690), (40, 70, 80), r=24)  # shadow
    pen.rect((180, 140, 1000, 672), (122, 26, 48), r=24)
    pen.rect((200, 160, 980, 652), (247, 243, 228), r=10)
    for y in range(190, 640, 26):  # guilloche-like background waves
        wave = [(x, y + 5 * math.sin(x / 22)) for x in range(210, 975, 15)]
        pen.line(wave, (232, 226, 206), 2, caps=False)
    pen.rect((586, 160, 614, 652), (226, 220, 200))
    pen.poly([(345, 350), (435, 350), (435, 410), (390, 450), (345, 410)], (224, 212, 186))
    for i in range(12):  # ring of stars around the crest
        a = i * math.pi / 6
        pen.circle((390 + 110 * math.cos(a), 400 + 110 * math.sin(a)), 9, (224, 212, 186))
    # data page: photo box, data lines, machine-readable zone
    pen.rect((640, 200, 780, 380), (200, 222, 240), r=6)
    pen.circle((710, 268), 36, (120, 134, 156))
    pen.chord((650, 310, 770, 440), 180, 360, (120, 134, 156))
    pen.rect((640, 200, 780, 380), None, r=6, outline=(150, 160, 180), width=3)
    rng = random.Random("passport")
    for i in range(5):
        y = 206 + i * 36
        pen.rect((805, y, 860, y + 7), (190, 184, 168), r=3)
        pen.rect((805, y + 13, 805 + rng.randint(70, 150), y + 23), (88, 92, 110), r=4)
    pen.rect((630, 540, 966, 636), (240, 236, 220))
    for row in (556, 596):
        filler = rng.randint(8, 16)
        for i in range(28):
            x = 640 + i * 11.6
            if i >= 28 - filler or rng.random() < 0.15:
                pen.line([(x + 8, row), (x + 1, row + 9), (x + 8, row + 18)], (60, 64, 80), 2)
            else:
                pen.rect((x, row, x + 8, row + 18), (60, 64, 80), r=1)
    return pen.png()


def _network_graph() -> bytes:
    w, h = ILLUSTRATION_SIZE
    pen = _Pen(ILLUSTRATION_SIZE, (18, 26, 46), (30, 44, 74))
    for x in range(0, w, 60):
        pen.rect((x, 0, x + 1, h), (40, 54, 84))
    for y in range(0, h, 60):
        pen.rect((0, y, w, y + 1), (40, 54, 84))
    rng = random.Random("network-graph")
    nodes = [
        (150 + c * 180 + rng.uniform(-50, 50), 140 + r * 170 + rng.uniform(-50, 50))
        for r in range(4)
        for c in range(6)
    ]
    hub = min(nodes, key=lambda p: math.dist(p, (600, 400)))
    edges = {
        tuple(sorted((i, j)))
        for i, p in enumerate(nodes)
        for j in sorted(range(len(nodes)), key=lambda k: math.dist(p, nodes[k]))[1:3]
    }
    edges |= {tuple(sorted((nodes.index(hub), j))) for j in rng.sample(range(len(nodes)), 6)}
    for i, j in sorted(edges):
        if i != j:
            on_hub = hub in (nodes[i], nodes[j])
            pen.line(
                [nodes[i], nodes[j]],
                (255, 184, 40) if on_hub else (88, 140, 200),
                6 if on_hub else 3,
                caps=False,
            )
    for p in nodes:
        if p != hub:
            pen.circle(p, 16, (120, 210, 230), outline=WHITE, width=4)
    for r, a in ((70, 40), (50, 80)):
        pen.circle(hub, r, _fade((255, 184, 40), a))
    pen.circle(hub, 30, (255, 184, 40), outline=WHITE, width=6)
    return pen.png()


def _hand(sleeve: Color, skin: Color) -> _Pen:
    """A left arm reaching right, on a transparent layer (mirror it for the other hand)."""
    layer = _Pen(ILLUSTRATION_SIZE)
    shade = _mix(skin, INK, 0.2)
    layer.poly([(-20, 440), (360, 404), (370, 530), (-20, 560)], sleeve)
    for i, length in enumerate((112, 124, 116, 94)):  # fingers, top to bottom
        y = 432 + i * 25
        finger = [(450, y), (450 + length, y + i * 5 - 6)]
        layer.line(finger, shade, 27)
        layer.line(finger, skin, 21)
    thumb = [(432, 442), (496, 396)]
    layer.line(thumb, shade, 30)
    layer.rect((376, 412, 488, 528), skin, r=44)  # palm, hiding the thumb's inner outline
    layer.line(thumb, skin, 24)
    layer.rect((340, 396, 390, 540), _mix(sleeve, WHITE, 0.3), r=10)
    return layer


def _helping_hands() -> bytes:
    pen = _Pen(ILLUSTRATION_SIZE, (255, 240, 226), (250, 206, 186))
    for r, a in ((300, 40), (210, 60), (130, 90)):
        pen.circle((600, 430), r, _fade(WHITE, a))
    pen.circle((583, 266), 22, (226, 72, 92))
    pen.circle((617, 266), 22, (226, 72, 92))
    pen.poly([(563, 276), (637, 276), (600, 318)], (226, 72, 92))
    pen.paste(_hand((52, 104, 190), (242, 198, 164)), offset=(-8, 0))
    pen.paste(_hand((30, 146, 132), (150, 100, 72)), flip=True, offset=(8, -34))
    return pen.png()


def _timeline() -> bytes:
    pen = _Pen(ILLUSTRATION_SIZE, (242, 246, 252), (218, 228, 244))
    colours = [_mix((44, 96, 196), (240, 130, 40), i / 4) for i in range(5)]
    pen.rect((70, 388, 1090, 412), (70, 84, 110), r=12)
    pen.poly([(1070, 350), (1160, 400), (1070, 450)], (70, 84, 110))
    for i, colour in enumerate(colours):
        x, up = 180 + i * 200, i % 2 == 0
        y0, y1 = (170, 290) if up else (510, 630)
        pen.rect((x - 3, y1 if up else 420, x + 3, 380 if up else y0), (150, 160, 180))
        pen.rect((x - 80, y0 + 6, x + 88, y1 + 6), (196, 206, 224), r=18)
        pen.rect((x - 84, y0, x + 84, y1), WHITE, r=18)
        pen.circle((x - 44, y0 + 40), 20, colour)
        pen.rect((x - 12, y0 + 30, x + 60, y0 + 42), (196, 204, 220), r=6)
        pen.rect((x - 60, y0 + 76, x + 60, y0 + 88), (214, 220, 232), r=6)
        pen.circle((x, 400), 32, WHITE, outline=colour, width=10)
        if i < 3:  # milestones already reached are filled
            pen.circle((x, 400), 14, colour)
    return pen.png()


_DRAWERS: dict[str, Callable[[], bytes]] = {
    **{f"cover-{topic}": (lambda t=topic: _cover(t)) for topic in _PALETTES},
    "map-eastern-border": _map_eastern_border,
    "border-crossing": _border_crossing,
    "weather-balloon": _weather_balloon,
    "freight-train": _freight_train,
    "patrol-car": _patrol_car,
    "radio-call": _radio_call,
    "passport": _passport,
    "network-graph": _network_graph,
    "helping-hands": _helping_hands,
    "timeline": _timeline,
}

IMAGE_KEYS: tuple[str, ...] = tuple(_DRAWERS)


def draw_image(key: str) -> bytes:
    """Return the PNG for an image key (covers 1200x630, illustrations 1200x800)."""
    try:
        drawer = _DRAWERS[key]
    except KeyError:
        raise ValueError(f"Unknown image key: {key!r}") from None
    return drawer()


# --- leaflet PDF --------------------------------------------------------------------------


def register_fonts() -> None:
    """Register DejaVu Sans (covers Polish and Cyrillic) with reportlab, once."""
    if "DejaVuSans" in pdfmetrics.getRegisteredFontNames():
        return
    for name in ("DejaVuSans", "DejaVuSans-Bold"):
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / f"{name}.ttf")))
    for italic in (0, 1):
        addMapping("DejaVuSans", 0, italic, "DejaVuSans")
        addMapping("DejaVuSans", 1, italic, "DejaVuSans-Bold")


def build_leaflet_pdf(title: str, paragraphs: list[str]) -> bytes:
    """Build an A4 leaflet (coloured title band, then paragraphs) as deterministic PDF bytes."""
    register_fonts()
    navy, accent = colors.HexColor("#14306e"), colors.HexColor("#f0a818")

    def decorate(canvas, doc) -> None:
        width, height = A4
        canvas.saveState()
        canvas.setFillColor(accent)
        canvas.rect(0, height - 6 * mm, width, 6 * mm, stroke=0, fill=1)
        canvas.setFillColor(navy)
        canvas.rect(0, 0, width, 4 * mm, stroke=0, fill=1)
        canvas.restoreState()

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        title=title,
        author="Police e-learning demo",
        creator="courses.demo",
        subject=title,
        invariant=1,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
    )
    heading = ParagraphStyle(
        "LeafletTitle", fontName="DejaVuSans-Bold", fontSize=22, leading=28, textColor=colors.white
    )
    body = ParagraphStyle(
        "LeafletBody",
        fontName="DejaVuSans",
        fontSize=11.5,
        leading=16.5,
        spaceAfter=9,
        textColor=colors.HexColor("#1c2434"),
    )
    band = Table([[Paragraph(escape(title), heading)]], colWidths=[doc.width])
    band.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), navy),
                ("LINEBELOW", (0, 0), (-1, -1), 4, accent),
                ("LEFTPADDING", (0, 0), (-1, -1), 16),
                ("RIGHTPADDING", (0, 0), (-1, -1), 16),
                ("TOPPADDING", (0, 0), (-1, -1), 18),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 20),
            ]
        )
    )
    story = [band, Spacer(1, 8 * mm), *(Paragraph(escape(p), body) for p in paragraphs)]
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buf.getvalue()
