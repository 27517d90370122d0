"""Template tags for the site shell: language switcher and main navigation."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language
from wagtail.models import Locale, Page, Site

register = template.Library()


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    current: bool


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> list[LanguageLink]:
    """One link per site language: the page's translation where it exists,
    otherwise that language's home page (or the same view in that language)."""
    request: HttpRequest = context["request"]
    page: Page | None = context.get("page") if isinstance(context.get("page"), Page) else None
    translations: dict[str, str] = {}
    if page is not None:
        for translation in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[translation.locale.language_code] = translation.get_url(request)
        site = Site.find_for_request(request)
        if site is not None:
            for home in (
                site.root_page.get_translations(inclusive=True).live().select_related("locale")
            ):
                translations.setdefault(home.locale.language_code, home.get_url(request))
    current = get_language()
    return [
        LanguageLink(
            code=code,
            name=name,
            url=translations.get(code) or translate_url(request.get_full_path(), code),
            current=code == current,
        )
        for code, name in settings.LANGUAGES
    ]


@dataclass(frozen=True)
class NavigationItem:
    title: str
    url: str
    current: bool


@dataclass(frozen=True)
class Navigation:
    home_url: str
    items: list[NavigationItem]


@register.simple_tag(takes_context=True)
def main_navigation(context: template.Context) -> Navigation:
    """The active language's home page and its sections marked "show in menus"."""
    request: HttpRequest = context["request"]
    site = Site.find_for_request(request)
    if site is None:
        return Navigation(home_url="/", items=[])
    home = site.root_page.get_translation_or_none(Locale.get_active()) or site.root_page
    page = context.get("page")
    current_path = page.path if isinstance(page, Page) else ""
    return Navigation(
        home_url=home.get_url(request) or "/",
        items=[
            NavigationItem(
                section.title, section.get_url(request), current_path.startswith(section.path)
            )
            for section in home.get_children().live().in_menu()
        ],
    )
