"""Pages as static HTML for a package: the site's block templates, with every link and
file rewritten to a path inside the package.

- Images (renditions), documents and uploaded videos: copied into `media/` (their storage
  name under it) and linked relatively (`../media/…` from `<sco>/index.html`).
- Links to pages of the same SCO become `#page-N`. Links to any other page of the site
  (another SCO of the package included: moving between SCOs is the LMS's job) become
  plain text: the package runs where the CMS is not reachable, and no URL may point to
  it. External links (other hosts) stay as they are.
- External embeds (video blocks with a URL, iframes) are shown as a link with a notice:
  nothing is fetched from another host at run time.
- Quiz blocks become the runtime's mount point `<div class="sco-quiz" data-quiz="…">`.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import lxml.html
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.html import json_script
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from wagtail.blocks import StreamValue, StructValue
from wagtail.blocks.list_block import ListValue
from wagtail.documents import get_document_model
from wagtail.images.models import AbstractImage

from courses.blocks import QuizBlock, VideoBlock
from quizzes.strings import player_strings

from .errors import ExportError
from .files import PackageFile

# HTML only (no XML entities to resolve), never from the network.
HTML_PARSER = lxml.html.HTMLParser(no_network=True, remove_comments=True)

#: Blocks rendered with the export's own template instead of the site's.
BLOCK_TEMPLATES: tuple[tuple[type, str], ...] = (
    (VideoBlock, "scorm_export/blocks/video.html"),
    (QuizBlock, "scorm_export/blocks/quiz.html"),
)
MEDIA_FOLDER = "media"


@dataclass(frozen=True)
class RenderedPage:
    key: str  # "page-1"…, the section's id
    title: str
    summary: str
    html: str  # the body's blocks, already rewritten


class Rewriter:
    """Rewrites the links and files of HTML fragments for one SCO and records the media
    files they use. `page_anchors` maps a page's path on the site to its section id."""

    def __init__(self, page_anchors: dict[str, str], site_hosts: Iterable[str]) -> None:
        self.page_anchors = page_anchors
        self.site_hosts = {host.lower() for host in site_hosts if host}
        self.media: dict[str, PackageFile] = {}

    def fragment(self, fragment: str) -> str:
        if not fragment or not fragment.strip():
            return fragment
        root = lxml.html.fragment_fromstring(fragment, create_parent="div", parser=HTML_PARSER)
        self.rewrite(root)
        return html.escape(root.text or "", quote=False) + "".join(
            lxml.html.tostring(child, encoding="unicode", method="html") for child in root
        )

    def rewrite(self, root: Any) -> None:
        for element in list(root.iter("iframe", "embed", "object")):
            self._replace_embed(element)
        for element in root.iter("img", "video", "audio", "source", "track"):
            for attribute in ("src", "poster"):
                if element.get(attribute):
                    element.set(attribute, self.asset(element.get(attribute)))
            if element.get("srcset"):
                element.set("srcset", self._srcset(element.get("srcset")))
        for element in list(root.iter("a", "area")):
            href = element.get("href")
            if href is None:
                continue
            target = self.link(href)
            if target is None:
                self._unlink(element)
            else:
                element.set("href", target)

    # --- URLs -----------------------------------------------------------------------------

    def _site_path(self, url: str) -> str | None:
        """The path of a URL of the CMS site (relative, or absolute on a site host)."""
        parts = urlsplit(url)
        if parts.scheme in ("", "http", "https") and not parts.netloc:
            if parts.scheme or url.startswith("/"):
                return unquote(parts.path)
            return None
        if parts.scheme in ("http", "https") and (parts.hostname or "") in self.site_hosts:
            return unquote(parts.path)
        return None

    def _media_name(self, url: str) -> str | None:
        """The storage name of a media URL (renditions, documents served directly)."""
        media_url = settings.MEDIA_URL or "/media/"
        if media_url.startswith(("http://", "https://")) and url.startswith(media_url):
            return unquote(urlsplit(url[len(media_url) :]).path)
        path = self._site_path(url)
        if path is not None and path.startswith(media_url):
            return path[len(media_url) :]
        return None

    def _document_name(self, path: str) -> str | None:
        try:
            match = resolve(path)
        except Resolver404:
            return None
        if match.url_name != "wagtaildocs_serve":
            return None
        document_id = match.kwargs.get("document_id") or (match.args[0] if match.args else None)
        if not str(document_id or "").isdigit():
            return None
        document = get_document_model().objects.filter(pk=int(document_id)).first()
        return document.file.name if document else None

    def _record(self, name: str) -> str:
        path = f"{MEDIA_FOLDER}/{name}"
        self.media.setdefault(path, PackageFile(path, "storage", source=name))
        return "../" + quote(path)

    def asset(self, url: str) -> str:
        """A file the page shows (image, video): its relative path inside the package."""
        name = self._media_name(url)
        if name is None and (path := self._site_path(url)) is not None:
            name = self._document_name(path)
            if name is None:
                raise ExportError(
                    _("A file of the page cannot be put in the package: %(url)s") % {"url": url}
                )
        if name is None:
            raise ExportError(
                _("A page shows a file from another website, which a package cannot: %(url)s")
                % {"url": url}
            )
        return self._record(name)

    def _srcset(self, srcset: str) -> str:
        candidates = []
        for candidate in srcset.split(","):
            url, _space, descriptor = candidate.strip().partition(" ")
            candidates.append(f"{self.asset(url)} {descriptor}".strip())
        return ", ".join(candidates)

    def link(self, href: str) -> str | None:
        """Where a link goes inside the package; None when it must become plain text."""
        if href.startswith("#") or href.startswith(("mailto:", "tel:")):
            return href
        name = self._media_name(href)
        if name is not None:
            return self._record(name)
        path = self._site_path(href)
        if path is None:
            return href  # another website
        document = self._document_name(path)
        if document is not None:
            return self._record(document)
        anchor = self.page_anchors.get(path)
        if anchor is not None:
            fragment = urlsplit(href).fragment
            return f"#{fragment}" if fragment else f"#{anchor}"
        return None

    def _unlink(self, element: Any) -> None:
        element.tag = "span"
        element.attrib.clear()
        element.set("class", "sco-unlinked")

    def _replace_embed(self, element: Any) -> None:
        url = element.get("src") or element.get("data") or ""
        notice = lxml.html.fragment_fromstring(
            render_to_string("scorm_export/blocks/external.html", {"url": url}),
            parser=HTML_PARSER,
        )
        notice.tail = element.tail
        element.getparent().replace(element, notice)


# --- pages ----------------------------------------------------------------------------------


def page_body(page: Any, *, quiz_mount: Callable[[Any], dict[str, str]], rewriter: Rewriter) -> str:
    """A module page's body as static HTML (blocks in order), rewritten for the package."""
    parts = []
    for child in page.body:
        context = {"page": page, "request": None, "block_id": child.id}
        template = next((t for cls, t in BLOCK_TEMPLATES if isinstance(child.block, cls)), None)
        if template is None:
            parts.append(child.block.render(child.value, context=context))
            continue
        context.update(value=child.value, self=child.value)
        if isinstance(child.block, QuizBlock):
            context["quiz"] = quiz_mount(child.value["quiz"])
        parts.append(render_to_string(template, context))
    return rewriter.fragment("".join(str(part) for part in parts))


def stored_files(value: Any) -> Iterable[tuple[str, Any]]:
    """The images and documents a block value refers to (to check their files)."""
    document_model = get_document_model()
    for leaf in leaf_values(value):
        if isinstance(leaf, (AbstractImage, document_model)):
            yield leaf.title, leaf.file


def leaf_values(value: Any) -> Iterable[Any]:
    """Every value inside a block value (streams, structs and lists walked through)."""
    if isinstance(value, StreamValue):
        for child in value:
            yield from leaf_values(child.value)
    elif isinstance(value, StructValue):
        for item in value.values():
            yield from leaf_values(item)
    elif isinstance(value, ListValue | list | tuple):
        for item in value:
            yield from leaf_values(item)
    else:
        yield value


def sco_strings() -> dict[str, str]:
    """The SCO page's own interface strings (for the runtime), in the active language."""
    return {
        "scoContents": pgettext("SCO", "Contents"),
        "scoPages": pgettext("SCO", "Pages"),
        "scoPrevious": pgettext("SCO", "Previous page"),
        "scoNext": pgettext("SCO", "Next page"),
        "scoPageOf": pgettext("SCO", "Page {n} of {total}"),
        "scoPreview": pgettext(
            "SCO",
            "Preview: no learning platform (LMS) was found, so your progress and results "
            "are not recorded.",
        ),
        "scoLmsError": pgettext(
            "SCO",
            "The learning platform did not accept your progress. Keep this window open and "
            "try again, or tell your trainer.",
        ),
        "scoFinished": pgettext(
            "SCO", "You have finished this part of the course. You can close this window."
        ),
    }


def interface_strings() -> dict[str, str]:
    """`strings` of sco-config: the quiz player's strings plus the SCO's own."""
    return {**player_strings(), **sco_strings()}


def sco_document(
    *, language: str, title: str, pages: list[RenderedPage], config: dict[str, Any]
) -> str:
    """A SCO's launch page (`<sco>/index.html`), as docs/scorm-package.md lays it out."""
    from .plan import JSONEncoder

    return render_to_string(
        "scorm_export/sco.html",
        {
            "language": language,
            "title": title,
            "pages": [
                {
                    "key": page.key,
                    "title": page.title,
                    "summary": page.summary,
                    "html": mark_safe(page.html),
                }
                for page in pages
            ],
            "config_script": json_script(config, "sco-config", encoder=JSONEncoder),
        },
    )
