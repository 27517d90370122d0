"""Build the demo site: pages in pl/en/uk, drawn images, leaflets and demo users.

Idempotent: whatever already exists (found by slug, translation or title) is
left as it is, so a second run changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils.text import capfirst
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, PageViewRestriction, Site

from courses.choices import Topic
from courses.models import (
    CampaignIndexPage,
    CampaignPage,
    CataloguePage,
    CoursePage,
    GoodPracticePage,
    HomePage,
    ModulePage,
    PracticeIndexPage,
)

from . import art
from .content import CONTENT_DIR, ContentError, MediaKeys, load_toml, stream_data

LANGUAGES = ("pl", "en", "uk")
SOURCE_LANGUAGE = "pl"
COLLECTION_NAME = "Demo content"
CAMPAIGN_PAGES = ("key-messages", "indicators", "get-help", "leaflets")


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    group: str | None
    role: str
    is_superuser: bool = False


DEMO_USERS = (
    DemoUser("admin", "demo-admin-2026", None, "administrator", is_superuser=True),
    DemoUser("editor", "demo-editor-2026", "Editors", "content editor"),
    DemoUser("reviewer", "demo-reviewer-2026", "Reviewers", "reviewer"),
    DemoUser("trainee", "demo-trainee-2026", None, "trainee"),
)


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1

    @property
    def total(self) -> int:
        return sum(self.created.values())


def seed_demo(content_dir: Path = CONTENT_DIR) -> SeedReport:
    report = SeedReport()
    # Translations get their own slugs right after being copied; those pages were
    # never published under the copied slug, so no redirects are wanted.
    with override_settings(WAGTAILREDIRECTS_AUTO_CREATE=False), transaction.atomic():
        locales = _ensure_locales(report)
        media = _ensure_media(content_dir, report)
        site_text = load_toml(content_dir / "site.toml")
        homes = _ensure_home(site_text, locales, report)
        catalogues = _ensure_section(homes, CataloguePage, site_text, "catalogue", locales, report)
        for course_dir in _courses_in_programme_order(content_dir):
            _ensure_course(course_dir, catalogues, locales, media, report)
        banks = _ensure_section(homes, PracticeIndexPage, site_text, "practices", locales, report)
        for page in banks.values():
            _ensure_login_required(page, report)
        for practice_file in sorted((content_dir / "practices").glob("*.toml")):
            _ensure_practice(practice_file, banks, locales, media, report)
        _ensure_campaign(content_dir, site_text, homes, locales, media, report)
        _ensure_users(report)
    return report


def _courses_in_programme_order(content_dir: Path) -> list[Path]:
    folders = [path for path in (content_dir / "courses").iterdir() if path.is_dir()]
    topics = list(Topic.values)
    return sorted(folders, key=lambda path: topics.index(load_toml(path / "course.toml")["topic"]))


def _ensure_locales(report: SeedReport) -> dict[str, Locale]:
    locales = {}
    for code in LANGUAGES:
        locale, created = Locale.objects.get_or_create(language_code=code)
        if created:
            report.count("locales")
        locales[code] = locale
    return locales


def _ensure_media(content_dir: Path, report: SeedReport) -> MediaKeys:
    root = Collection.get_first_root_node()
    collection = Collection.objects.filter(name=COLLECTION_NAME).first()
    if collection is None:
        collection = root.add_child(name=COLLECTION_NAME)
        report.count("collections")
    image_model = get_image_model()
    images = {}
    for key in art.IMAGE_KEYS:
        title = _media_title(key)
        image = image_model.objects.filter(collection=collection, title=title).first()
        if image is None:
            image = image_model(title=title, collection=collection)
            image.file = ImageFile(BytesIO(art.draw_image(key)), name=f"{key}.png")
            image.save()
            report.count("images")
        images[key] = image.pk
    document_model = get_document_model()
    documents = {}
    for code in LANGUAGES:
        leaflet = load_toml(content_dir / "campaign" / f"{code}.toml")["leaflet"]
        document = document_model.objects.filter(
            collection=collection, title=leaflet["title"]
        ).first()
        if document is None:
            pdf = art.build_leaflet_pdf(leaflet["title"], leaflet["paragraphs"])
            document = document_model(title=leaflet["title"], collection=collection)
            document.file = SimpleUploadedFile(f"leaflet-thb-{code}.pdf", pdf, "application/pdf")
            document.save()
            report.count("documents")
        documents[f"leaflet-thb-{code}"] = document.pk
    return MediaKeys(images=images, documents=documents)


def _media_title(key: str) -> str:
    return capfirst(key.replace("-", " ").replace("_", " "))


def _ensure_home(
    site_text: dict, locales: dict[str, Locale], report: SeedReport
) -> dict[str, HomePage]:
    site = Site.objects.filter(is_default_site=True).first()
    home = HomePage.objects.filter(locale=locales[SOURCE_LANGUAGE], depth=2).first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's installer adds a placeholder "Welcome" page; the demo replaces it.
        placeholder = root.get_children().filter(slug="home", content_type__model="page").first()
        if placeholder is not None:
            placeholder.delete()
        fields = site_text[SOURCE_LANGUAGE]["home"]
        home = HomePage(title=fields["title"], slug="home", intro=fields["intro"])
        root.add_child(instance=home)
        _publish(home)
        report.count("pages")
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    homes = {SOURCE_LANGUAGE: home}
    for code in LANGUAGES[1:]:
        fields = site_text[code]["home"]
        homes[code] = _ensure_translation(
            home, locales[code], report, lambda page, f=fields: _set(page, **f)
        )
    return homes


def _ensure_section(
    homes: dict[str, HomePage],
    page_class: type[Page],
    site_text: dict,
    key: str,
    locales: dict[str, Locale],
    report: SeedReport,
) -> dict[str, Page]:
    fields = site_text[SOURCE_LANGUAGE][key]
    source = _ensure_child(
        homes[SOURCE_LANGUAGE],
        page_class,
        report,
        show_in_menus=True,
        **fields,
    )
    sections = {SOURCE_LANGUAGE: source}
    for code in LANGUAGES[1:]:
        translated = site_text[code][key]
        sections[code] = _ensure_translation(
            source, locales[code], report, lambda page, f=translated: _set(page, **f)
        )
    return sections


def _ensure_course(
    course_dir: Path,
    catalogues: dict[str, Page],
    locales: dict[str, Locale],
    media: MediaKeys,
    report: SeedReport,
) -> None:
    course = load_toml(course_dir / "course.toml")
    texts = {
        code: load_toml(course_dir / f"{code}.toml")
        for code in LANGUAGES
        if (course_dir / f"{code}.toml").exists()
    }
    for code, text in texts.items():
        if sorted(text.get("modules", {})) != sorted(course["modules"]):
            raise ContentError(f"{course_dir / (code + '.toml')}: modules differ from course.toml")

    def course_fields(code: str) -> dict[str, Any]:
        text = texts[code]
        where = f"{course_dir.name}/{code}"
        return {
            "title": text["title"],
            "audience": text["audience"],
            "intro": text["intro"],
            "objectives": [
                {"type": "objective", "value": objective, "id": f"{where}-objective-{i}"}
                for i, objective in enumerate(text["objectives"])
            ],
        }

    source = _ensure_child(
        catalogues[SOURCE_LANGUAGE],
        CoursePage,
        report,
        slug=course_dir.name,
        topic=course["topic"],
        duration_minutes=course["duration_minutes"],
        pass_mark=course["pass_mark"],
        cover_image_id=media.images[course["cover"]],
        **course_fields(SOURCE_LANGUAGE),
    )
    translations = {SOURCE_LANGUAGE: source}
    for code in texts.keys() - {SOURCE_LANGUAGE}:
        translations[code] = _ensure_translation(
            source, locales[code], report, lambda page, c=code: _set(page, **course_fields(c))
        )

    for module_slug in course["modules"]:

        def module_fields(code: str, slug: str = module_slug) -> dict[str, Any]:
            text = texts[code]["modules"][slug]
            return {
                "title": text["title"],
                "summary": text["summary"],
                "duration_minutes": text["duration_minutes"],
                "body": stream_data(
                    text["body"], media, f"{course_dir.name}/{code}.toml, module {slug}"
                ),
            }

        module = _ensure_child(
            source, ModulePage, report, slug=module_slug, **module_fields(SOURCE_LANGUAGE)
        )
        for code in texts.keys() - {SOURCE_LANGUAGE}:
            _ensure_translation(
                module, locales[code], report, lambda page, c=code: _set(page, **module_fields(c))
            )


def _ensure_practice(
    path: Path,
    banks: dict[str, Page],
    locales: dict[str, Locale],
    media: MediaKeys,
    report: SeedReport,
) -> None:
    practice = load_toml(path)

    def practice_fields(code: str) -> dict[str, Any]:
        text = practice[code]
        return {
            "title": text["title"],
            "summary": text["summary"],
            "body": stream_data(text["body"], media, f"{path.name} [{code}]"),
        }

    def add_tags(page: GoodPracticePage, code: str) -> None:
        page.tags.set(practice[code]["tags"])

    source = _ensure_child(
        banks[SOURCE_LANGUAGE],
        GoodPracticePage,
        report,
        slug=path.stem,
        crime_area=practice["crime_area"],
        region=practice["region"],
        date=practice["date"],
        partner_unit=practice["partner_unit"],
        before_publish=lambda page: add_tags(page, SOURCE_LANGUAGE),
        **practice_fields(SOURCE_LANGUAGE),
    )
    for code in LANGUAGES[1:]:
        if code in practice:

            def translate(page: GoodPracticePage, c: str = code) -> None:
                _set(page, **practice_fields(c))
                add_tags(page, c)

            _ensure_translation(source, locales[code], report, translate)


def _ensure_campaign(
    content_dir: Path,
    site_text: dict,
    homes: dict[str, HomePage],
    locales: dict[str, Locale],
    media: MediaKeys,
    report: SeedReport,
) -> None:
    texts = {code: load_toml(content_dir / "campaign" / f"{code}.toml") for code in LANGUAGES}

    def index_fields(code: str) -> dict[str, Any]:
        return {
            "title": texts[code]["title"],
            "intro": texts[code]["intro"],
            **site_text[code]["campaign"],
        }

    source = _ensure_child(
        homes[SOURCE_LANGUAGE],
        CampaignIndexPage,
        report,
        show_in_menus=True,
        **index_fields(SOURCE_LANGUAGE),
    )
    for code in LANGUAGES[1:]:
        _ensure_translation(
            source, locales[code], report, lambda page, c=code: _set(page, **index_fields(c))
        )
    for key in CAMPAIGN_PAGES:

        def page_fields(code: str, key: str = key) -> dict[str, Any]:
            text = texts[code]["pages"][key]
            return {
                "title": text["title"],
                "summary": text["summary"],
                "body": stream_data(text["body"], media, f"campaign/{code}.toml, page {key}"),
            }

        page = _ensure_child(source, CampaignPage, report, slug=key, **page_fields(SOURCE_LANGUAGE))
        for code in LANGUAGES[1:]:
            _ensure_translation(
                page, locales[code], report, lambda p, c=code: _set(p, **page_fields(c))
            )


def _ensure_child(
    parent: Page,
    page_class: type[Page],
    report: SeedReport,
    *,
    slug: str,
    before_publish: Callable[[Page], None] | None = None,
    **fields: Any,
) -> Page:
    existing = page_class.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing
    page = page_class(slug=slug, **fields)
    parent.add_child(instance=page)
    if before_publish is not None:
        before_publish(page)
    _publish(page)
    report.count("pages")
    return page


def _ensure_translation(
    source: Page, locale: Locale, report: SeedReport, fill: Callable[[Page], None]
) -> Page:
    existing = source.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    translation = source.copy_for_translation(locale)
    fill(translation)
    _publish(translation)
    report.count("translations")
    return translation


def _set(page: Page, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(page, name, value)


def _publish(page: Page) -> None:
    page.save_revision().publish()


def _ensure_login_required(page: Page, report: SeedReport) -> None:
    if not PageViewRestriction.objects.filter(page=page).exists():
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
        report.count("view restrictions")


def _ensure_users(report: SeedReport) -> None:
    user_model = get_user_model()
    for demo in DEMO_USERS:
        if user_model.objects.filter(username=demo.username).exists():
            continue
        user = user_model(
            username=demo.username,
            first_name=capfirst(demo.username),
            email=f"{demo.username}@example.org",
            is_staff=demo.is_superuser,
            is_superuser=demo.is_superuser,
        )
        user.set_password(demo.password)
        user.save()
        if demo.group:
            user.groups.add(Group.objects.get(name=demo.group))
        report.count("users")
