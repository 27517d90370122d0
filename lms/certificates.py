"""The certificate as a PDF: one A4 landscape page in the certificate's own language."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils import formats, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from courses.demo.art import register_fonts as register_dejavu_fonts

from .models import Certificate

REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"  # DejaVu covers Polish and Cyrillic
NAVY = colors.HexColor("#14306e")
ACCENT = colors.HexColor("#f0a818")
INK = colors.HexColor("#1c2434")
MUTED = colors.HexColor("#4a5568")


@dataclass(frozen=True)
class Line:
    text: str
    font: str
    size: float
    colour: colors.Color = INK
    space_before: float = 0


def certificate_lines(certificate: Certificate, verification_url: str) -> list[Line]:
    """What the certificate says, top to bottom, in its language."""
    with translation.override(certificate.language):
        issued = formats.date_format(certificate.issued_at, "DATE_FORMAT")
        return [
            Line(_("Certificate of completion"), BOLD, 30, NAVY),
            Line(_("This certifies that"), REGULAR, 14, MUTED, space_before=14 * mm),
            Line(certificate.holder_name, BOLD, 26, space_before=4 * mm),
            Line(_("has completed the course"), REGULAR, 14, MUTED, space_before=8 * mm),
            Line(certificate.course_title, BOLD, 20, NAVY, space_before=4 * mm),
            Line(
                _("Date of issue: %(date)s") % {"date": issued}, REGULAR, 12, space_before=14 * mm
            ),
            Line(
                _("Verification code: %(code)s") % {"code": certificate.code},
                BOLD,
                12,
                space_before=3 * mm,
            ),
            Line(
                _("Check this certificate at %(url)s") % {"url": verification_url},
                REGULAR,
                10,
                MUTED,
                space_before=3 * mm,
            ),
        ]


def certificate_pdf(certificate: Certificate, verification_url: str) -> bytes:
    register_dejavu_fonts()
    width, height = landscape(A4)
    buffer = io.BytesIO()
    lines = certificate_lines(certificate, verification_url)
    canvas = Canvas(buffer, pagesize=(width, height), invariant=1)
    canvas.setTitle(lines[0].text)
    canvas.setAuthor(certificate.holder_name)
    canvas.setSubject(certificate.course_title)

    canvas.setFillColor(NAVY)
    canvas.rect(0, height - 10 * mm, width, 10 * mm, stroke=0, fill=1)
    canvas.setFillColor(ACCENT)
    canvas.rect(0, 0, width, 6 * mm, stroke=0, fill=1)
    canvas.setStrokeColor(NAVY)
    canvas.setLineWidth(1.5)
    canvas.rect(15 * mm, 16 * mm, width - 30 * mm, height - 36 * mm, stroke=1, fill=0)

    text_width = width - 60 * mm
    y = height - 45 * mm
    for line in lines:
        y -= line.space_before
        canvas.setFont(line.font, line.size)
        canvas.setFillColor(line.colour)
        # Long course titles and names wrap rather than run off the page.
        for part in simpleSplit(line.text, line.font, line.size, text_width):
            canvas.drawCentredString(width / 2, y, part)
            y -= line.size * 1.3
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
