"""Reads for the course pages: each list is built in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Value, When
from django.http import QueryDict
from wagtail.images import get_image_model

from .choices import Region, Topic

if TYPE_CHECKING:
    from .models import CataloguePage, CoursePage, ModulePage, PracticeIndexPage

COVER_RENDITION = "fill-640x336|format-webp"
PRACTICES_PER_PAGE = 10
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class Facet:
    value: str
    label: str
    count: int
    active: bool


@dataclass(frozen=True)
class Catalogue:
    courses: list[CoursePage]
    topics: list[Facet]
    active_topic: str


def catalogue(page: CataloguePage, topic: str = "") -> Catalogue:
    """Live courses under a catalogue, optionally of one topic, with per-topic counts."""
    from .models import CoursePage

    live = CoursePage.objects.child_of(page).live()
    counts = dict(live.order_by().values_list("topic").annotate(n=Count("pk")))
    courses = list((live.filter(topic=topic) if topic else live).select_related("cover_image"))
    _prefetch_cover_renditions(courses)
    topics = [
        Facet(value, label, counts[value], value == topic)
        for value, label in Topic.choices
        if counts.get(value)
    ]
    return Catalogue(courses=courses, topics=topics, active_topic=topic)


def _prefetch_cover_renditions(courses: list[CoursePage]) -> None:
    image_ids = {course.cover_image_id for course in courses if course.cover_image_id}
    images = get_image_model().objects.prefetch_renditions(COVER_RENDITION).in_bulk(image_ids)
    for course in courses:
        if course.cover_image_id:
            course.cover_image = images[course.cover_image_id]


def course_modules(course: CoursePage) -> list[ModulePage]:
    from .models import ModulePage

    return list(ModulePage.objects.child_of(course).live())


def module_navigation(module: ModulePage) -> dict:
    """The module's course, its position, and the previous and next modules."""
    from .models import CoursePage, ModulePage

    course = CoursePage.objects.parent_of(module).first()
    siblings = list(ModulePage.objects.sibling_of(module).live().only("title", "url_path", "path"))
    position = next((i for i, sibling in enumerate(siblings) if sibling.pk == module.pk), 0)
    return {
        "course": course,
        "modules": siblings,
        "module_number": position + 1,
        "previous_module": siblings[position - 1] if position > 0 else None,
        "next_module": siblings[position + 1] if position + 1 < len(siblings) else None,
    }


@dataclass(frozen=True)
class PracticeQuery:
    text: str = ""
    crime_area: str = ""
    region: str = ""
    tag: str = ""
    page: str = "1"

    @classmethod
    def from_params(cls, params: QueryDict) -> PracticeQuery:
        """Read the bank's query string; unknown facet values are ignored, never an error."""
        crime_area = params.get("crime_area", "")
        region = params.get("region", "")
        return cls(
            text=params.get("q", "").strip()[:MAX_QUERY_LENGTH],
            crime_area=crime_area if crime_area in Topic.values else "",
            region=region if region in Region.values else "",
            tag=params.get("tag", "").strip()[:100],
            page=params.get("page", "1"),
        )

    @property
    def is_filtered(self) -> bool:
        return bool(self.text or self.crime_area or self.region or self.tag)


@dataclass(frozen=True)
class PracticeBank:
    query: PracticeQuery
    results: PaginatorPage
    total: int
    crime_areas: list[Facet] = field(default_factory=list)
    regions: list[Facet] = field(default_factory=list)
    tags: list[Facet] = field(default_factory=list)


def search_practices(index_page: PracticeIndexPage, query: PracticeQuery) -> PracticeBank:
    """Full-text search plus crime-area, region and tag facets over one bank.

    Each facet counts what the other active facets leave, so a trainee can
    always switch within a facet without clearing it first.
    """
    from .models import GoodPracticePage, PracticeTag

    matched = GoodPracticePage.objects.child_of(index_page).live()
    ranked_ids: list[int] = []
    if query.text:
        ranked_ids = [page.pk for page in matched.search(query.text, operator="and")]
        matched = matched.filter(pk__in=ranked_ids)

    def narrowed(crime_area: str, region: str, tag: str):
        queryset = matched
        if crime_area:
            queryset = queryset.filter(crime_area=crime_area)
        if region:
            queryset = queryset.filter(region=region)
        if tag:
            queryset = queryset.filter(tagged_items__tag__slug=tag)
        return queryset

    results = narrowed(query.crime_area, query.region, query.tag)
    if ranked_ids:
        rank = Case(
            *(When(pk=pk, then=Value(i)) for i, pk in enumerate(ranked_ids)),
            output_field=IntegerField(),
        )
        results = results.order_by(rank)
    else:
        results = results.order_by("-date", "title")
    paginator = Paginator(results.prefetch_related("tags"), PRACTICES_PER_PAGE)
    page = paginator.get_page(query.page)

    area_counts = _counts(narrowed("", query.region, query.tag), "crime_area")
    region_counts = _counts(narrowed(query.crime_area, "", query.tag), "region")
    tag_rows = (
        PracticeTag.objects.filter(
            content_object__in=narrowed(query.crime_area, query.region, "").values("pk")
        )
        .values("tag__slug", "tag__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "tag__name")[:30]
    )
    return PracticeBank(
        query=query,
        results=page,
        total=paginator.count,
        crime_areas=_facets(Topic.choices, area_counts, query.crime_area),
        regions=_facets(Region.choices, region_counts, query.region),
        tags=[
            Facet(row["tag__slug"], row["tag__name"], row["n"], row["tag__slug"] == query.tag)
            for row in tag_rows
        ],
    )


def _counts(queryset, field_name: str) -> dict[str, int]:
    return dict(queryset.order_by().values_list(field_name).annotate(n=Count("pk", distinct=True)))


def _facets(choices: list[tuple[str, str]], counts: dict[str, int], active: str) -> list[Facet]:
    return [
        Facet(value, label, counts[value], value == active)
        for value, label in choices
        if counts.get(value)
    ]
