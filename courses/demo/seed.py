"""Build the demo site: pages in pl/en/uk, drawn images, leaflets and demo users.

Idempotent: whatever already exists (found by slug, translation or title) is
left as it is, so a second run changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
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
from .content import CONTENT_DIR, ContentError, MediaKeys, list_data, load_toml, stream_data

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
        DemoSiteBuilder(content_dir, locales, media, report).build()
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


FieldsFor = Callable[[str], dict[str, Any]]


@dataclass
class DemoSiteBuilder:
    """Creates each demo page in Polish, then its translations, unless it exists."""

    content_dir: Path
    locales: dict[str, Locale]
    media: MediaKeys
    report: SeedReport

    def build(self) -> None:
        site_text = load_toml(self.content_dir / "site.toml")
        home = self.home(site_text)
        catalogue = self.translated_child(
            home, CataloguePage, LANGUAGES, lambda code: site_text[code]["catalogue"], menu=True
        )
        for course_dir in _courses_in_programme_order(self.content_dir):
            self.course(course_dir, catalogue)
        bank = self.translated_child(
            home, PracticeIndexPage, LANGUAGES, lambda code: site_text[code]["practices"], menu=True
        )
        for code in LANGUAGES:
            _ensure_login_required(bank.get_translation(self.locales[code]), self.report)
        for practice_file in sorted((self.content_dir / "practices").glob("*.toml")):
            self.practice(practice_file, bank)
        self.campaign(site_text, home)

    def home(self, site_text: dict) -> HomePage:
        home = HomePage.objects.filter(locale=self.locales[SOURCE_LANGUAGE], depth=2).first()
        root = Page.get_first_root_node()
        if home is None:
            # Wagtail's installer adds a placeholder "Welcome" page; the demo replaces it.
            root.get_children().filter(slug="home", content_type__model="page").delete()
        home = self.translated_child(
            root, HomePage, LANGUAGES, lambda code: site_text[code]["home"], slug="home"
        )
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
        elif site.root_page_id != home.pk:
            site.root_page = home
            site.save()
        return home

    def course(self, course_dir: Path, catalogue: Page) -> None:
        course = load_toml(course_dir / "course.toml")
        texts = {
            code: load_toml(course_dir / f"{code}.toml")
            for code in LANGUAGES
            if (course_dir / f"{code}.toml").exists()
        }
        for code, text in texts.items():
            if sorted(text.get("modules", {})) != sorted(course["modules"]):
                raise ContentError(
                    f"{course_dir / f'{code}.toml'}: modules differ from course.toml"
                )

        def course_fields(code: str) -> dict[str, Any]:
            text = texts[code]
            return {
                "title": text["title"],
                "audience": text["audience"],
                "intro": text["intro"],
                "objectives": list_data(
                    "objective", text["objectives"], f"{course_dir.name}/{code}/objectives"
                ),
            }

        course_page = self.translated_child(
            catalogue,
            CoursePage,
            texts,
            course_fields,
            slug=course_dir.name,
            shared={
                "topic": course["topic"],
                "duration_minutes": course["duration_minutes"],
                "pass_mark": course["pass_mark"],
                "cover_image_id": self.media.images[course["cover"]],
            },
        )
        for slug in course["modules"]:

            def module_fields(code: str, slug: str = slug) -> dict[str, Any]:
                text = texts[code]["modules"][slug]
                where = f"{course_dir.name}/{code}.toml, module {slug}"
                return {
                    "title": text["title"],
                    "summary": text["summary"],
                    "duration_minutes": text["duration_minutes"],
                    "body": stream_data(text["body"], self.media, where),
                }

            self.translated_child(course_page, ModulePage, texts, module_fields, slug=slug)

    def practice(self, path: Path, bank: Page) -> None:
        practice = load_toml(path)

        def practice_fields(code: str) -> dict[str, Any]:
            text = practice[code]
            return {
                "title": text["title"],
                "summary": text["summary"],
                "body": stream_data(text["body"], self.media, f"{path.name} [{code}]"),
            }

        self.translated_child(
            bank,
            GoodPracticePage,
            [code for code in LANGUAGES if code in practice],
            practice_fields,
            slug=path.stem,
            shared={key: practice[key] for key in ("crime_area", "region", "date", "partner_unit")},
            tag=lambda page, code: page.tags.set(practice[code]["tags"]),
        )

    def campaign(self, site_text: dict, home: Page) -> None:
        texts = {
            code: load_toml(self.content_dir / "campaign" / f"{code}.toml") for code in LANGUAGES
        }

        def index_fields(code: str) -> dict[str, Any]:
            text = texts[code]
            return {"title": text["title"], "intro": text["intro"], **site_text[code]["campaign"]}

        campaign = self.translated_child(
            home, CampaignIndexPage, LANGUAGES, index_fields, menu=True
        )
        for key in CAMPAIGN_PAGES:

            def page_fields(code: str, key: str = key) -> dict[str, Any]:
                text = texts[code]["pages"][key]
                where = f"campaign/{code}.toml, page {key}"
                return {
                    "title": text["title"],
                    "summary": text["summary"],
                    "body": stream_data(text["body"], self.media, where),
                }

            self.translated_child(campaign, CampaignPage, LANGUAGES, page_fields, slug=key)

    def translated_child(
        self,
        parent: Page,
        page_class: type[Page],
        languages: Iterable[str],
        fields_for: FieldsFor,
        *,
        slug: str | None = None,
        shared: dict[str, Any] | None = None,
        menu: bool = False,
        tag: Callable[[Page, str], None] | None = None,
    ) -> Page:
        """The Polish page under `parent` (the Polish one), created with its
        translations into `languages` where missing; returns the Polish page."""
        fields = dict(fields_for(SOURCE_LANGUAGE))
        slug = fields.pop("slug", slug)
        source = page_class.objects.child_of(parent).filter(slug=slug).first()
        if source is None:
            source = page_class(slug=slug, show_in_menus=menu, **(shared or {}), **fields)
            parent.add_child(instance=source)
            if tag is not None:
                tag(source, SOURCE_LANGUAGE)
            _publish(source)
            self.report.count("pages")
        for code in languages:
            if code == SOURCE_LANGUAGE or source.get_translation_or_none(self.locales[code]):
                continue
            translation = source.copy_for_translation(self.locales[code])
            _set(translation, **fields_for(code))
            if tag is not None:
                tag(translation, code)
            _publish(translation)
            self.report.count("translations")
        return source


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
