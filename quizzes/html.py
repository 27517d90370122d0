"""Editors' HTML on its way to trainees: links expanded, everything else sanitised.

Question texts are written in Wagtail's rich-text editor, but they can also come
from an import or the API, so the player never receives raw stored HTML.
"""

import nh3
from wagtail.rich_text import expand_db_html

ALLOWED_TAGS = {"p", "br", "b", "strong", "i", "em", "u", "ul", "ol", "li", "a", "sub", "sup"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def trainee_html(stored: str) -> str:
    """Stored rich text as safe HTML for the player (and, later, SCORM packages)."""
    if not stored:
        return ""
    return nh3.clean(
        expand_db_html(stored),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )
