"""Small builders for page trees used across the tests."""

from __future__ import annotations

import datetime
import uuid
from io import BytesIO
from typing import Any

from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from courses.choices import Region, Topic
from courses.models import (
    CataloguePage,
    CoursePage,
    GoodPracticePage,
    HomePage,
    ModulePage,
    PracticeIndexPage,
)


def publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def make_home(title: str = "Szkolenia") -> HomePage:
    """A home page at the site root, replacing Wagtail's placeholder."""
    root = Page.get_first_root_node()
    Locale.objects.get_or_create(language_code="pl")
    home = publish(root, HomePage(title=title, slug=f"home-{uuid.uuid4().hex[:6]}"))
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    return home


def make_catalogue(home: HomePage, **fields: Any) -> CataloguePage:
    fields = {"title": "Katalog kursów", "slug": "kursy", "show_in_menus": True, **fields}
    return publish(home, CataloguePage(**fields))


def make_course(catalogue: CataloguePage, **fields: Any) -> CoursePage:
    fields = {
        "title": "Kurs",
        "slug": f"kurs-{uuid.uuid4().hex[:6]}",
        "topic": Topic.FUGITIVES,
        "audience": "Funkcjonariusze",
        "duration_minutes": 90,
        **fields,
    }
    return publish(catalogue, CoursePage(**fields))


def make_module(course: CoursePage, body: list | None = None, **fields: Any) -> ModulePage:
    fields = {
        "title": "Moduł",
        "slug": f"modul-{uuid.uuid4().hex[:6]}",
        "duration_minutes": 30,
        "body": body or [],
        **fields,
    }
    return publish(course, ModulePage(**fields))


def make_bank(home: HomePage) -> PracticeIndexPage:
    return publish(home, PracticeIndexPage(title="Bank dobrych praktyk", slug="praktyki"))


def make_practice(bank: PracticeIndexPage, tags: list[str] = (), **fields: Any) -> GoodPracticePage:
    fields = {
        "title": "Praktyka",
        "slug": f"praktyka-{uuid.uuid4().hex[:6]}",
        "crime_area": Topic.SMUGGLING,
        "region": Region.PODLASKIE,
        "date": datetime.date(2025, 1, 1),
        "summary": "Opis praktyki.",
        **fields,
    }
    practice = GoodPracticePage(**fields)
    bank.add_child(instance=practice)
    practice.tags.set(list(tags))
    practice.save_revision().publish()
    return practice


def make_image(title: str = "Obraz", colour: str = "navy") -> Any:
    buffer = BytesIO()
    PILImage.new("RGB", (320, 200), colour).save(buffer, "PNG")
    image = get_image_model()(title=title)
    image.file = ImageFile(buffer, name=f"{uuid.uuid4().hex[:8]}.png")
    image.save()
    return image


def make_document(title: str = "Ulotka", content: bytes = b"%PDF-1.4 test") -> Any:
    document = get_document_model()(title=title)
    document.file = SimpleUploadedFile(f"{uuid.uuid4().hex[:8]}.pdf", content)
    document.save()
    return document
