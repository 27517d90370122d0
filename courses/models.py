"""Wagtail pages: home → catalogue → course → module; the good-practice bank; the campaign."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from . import selectors
from .blocks import (
    RICH_TEXT_FEATURES,
    CampaignStreamBlock,
    LearningObjectivesBlock,
    ModuleStreamBlock,
    PracticeStreamBlock,
)
from .choices import Region, Topic


class IntroducedPage(Page):
    """A section page: a title and a short introduction above what it lists."""

    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    class Meta:
        abstract = True


class HomePage(IntroducedPage):
    """The portal's landing page: the root of one language's tree."""

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "courses.CataloguePage",
        "courses.PracticeIndexPage",
        "courses.CampaignIndexPage",
    ]
    template = "courses/home_page.html"

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.get_children().live().in_menu().specific()
        return context


class CataloguePage(IntroducedPage):
    """Lists the courses, filterable by topic."""

    subpage_types = ["courses.CoursePage"]
    template = "courses/catalogue_page.html"

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        topic = request.GET.get("topic", "")
        context["catalogue"] = selectors.catalogue(self, topic if topic in Topic.values else "")
        return context


class CompletionRule(models.TextChoices):
    """What finishes a module of a course (the learner side applies it)."""

    VIEWED = "viewed", _("Every module viewed")
    QUIZ_PASSED = "quiz_passed", _("Every module's quiz passed (a module without a quiz: viewed)")
    VIEWED_AND_QUIZ = "viewed_and_quiz", _("Every module viewed and its quiz passed")


class CoursePage(Page):
    topic = models.CharField(_("topic"), max_length=32, choices=Topic.choices)
    audience = models.CharField(
        _("audience"), max_length=255, help_text=_("Who the course is for.")
    )
    duration_minutes = models.PositiveIntegerField(
        _("estimated duration (minutes)"), validators=[MinValueValidator(1)]
    )
    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)
    objectives = StreamField(
        LearningObjectivesBlock(), verbose_name=_("learning objectives"), blank=True
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=80,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    completion_rule = models.CharField(
        _("completion rule"),
        max_length=20,
        choices=CompletionRule.choices,
        default=CompletionRule.VIEWED_AND_QUIZ,
        help_text=_("When a trainee has completed the course and receives a certificate."),
    )
    attendance_required = models.BooleanField(
        _("attendance required"),
        default=False,
        help_text=_(
            "Trainees must attend a session of this course: completion then needs the "
            "modules done and attendance at one classroom or practical session."
        ),
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("audience"),
        index.SearchField("intro"),
        index.SearchField("objectives"),
        index.FilterField("topic"),
    ]
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("topic"),
                FieldPanel("audience"),
                FieldPanel("duration_minutes"),
                FieldPanel("pass_mark"),
                FieldPanel("completion_rule"),
                FieldPanel("attendance_required"),
            ],
            heading=_("Course details"),
        ),
        FieldPanel("cover_image"),
        FieldPanel("intro"),
        FieldPanel("objectives"),
    ]
    parent_page_types = ["courses.CataloguePage"]
    subpage_types = ["courses.ModulePage"]
    template = "courses/course_page.html"

    class Meta:
        verbose_name = _("course")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["modules"] = selectors.course_modules(self)
        return context


class ModulePage(Page):
    summary = models.TextField(_("summary"), blank=True)
    duration_minutes = models.PositiveIntegerField(
        _("estimated duration (minutes)"), validators=[MinValueValidator(1)]
    )
    body = StreamField(ModuleStreamBlock(), verbose_name=_("body"), blank=True)

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("duration_minutes"),
        FieldPanel("body"),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []
    template = "courses/module_page.html"

    class Meta:
        verbose_name = _("module")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.module_navigation(self))
        return context


class PracticeIndexPage(IntroducedPage):
    """The good-practice bank: search and facets over its practices."""

    subpage_types = ["courses.GoodPracticePage"]
    template = "courses/practice_index_page.html"

    class Meta:
        verbose_name = _("good-practice bank")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["bank"] = selectors.search_practices(
            self, selectors.PracticeQuery.from_params(request.GET)
        )
        return context


class PracticeTag(TaggedItemBase):
    content_object = ParentalKey(
        "courses.GoodPracticePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class GoodPracticePage(Page):
    crime_area = models.CharField(_("crime area"), max_length=32, choices=Topic.choices)
    region = models.CharField(_("region"), max_length=32, choices=Region.choices)
    partner_unit = models.CharField(_("partner unit"), max_length=255, blank=True)
    date = models.DateField(_("date"))
    summary = models.TextField(_("summary"))
    body = StreamField(PracticeStreamBlock(), verbose_name=_("body"), blank=True)
    tags = ClusterTaggableManager(through=PracticeTag, blank=True, verbose_name=_("tags"))

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("partner_unit"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("crime_area"),
        index.FilterField("region"),
        index.FilterField("date"),
    ]
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("crime_area"),
                FieldPanel("region"),
                FieldPanel("partner_unit"),
                FieldPanel("date"),
                FieldPanel("tags"),
            ],
            heading=_("Classification"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    parent_page_types = ["courses.PracticeIndexPage"]
    subpage_types: list[str] = []
    template = "courses/good_practice_page.html"

    class Meta:
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")


class CampaignIndexPage(IntroducedPage):
    """The public prevention campaign's landing page."""

    subpage_types = ["courses.CampaignPage"]
    template = "courses/campaign_index_page.html"

    class Meta:
        verbose_name = _("campaign")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["campaign_pages"] = self.get_children().live().specific()
        return context


class CampaignPage(Page):
    summary = models.TextField(_("summary"), blank=True)
    body = StreamField(CampaignStreamBlock(), verbose_name=_("body"), blank=True)

    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    parent_page_types = ["courses.CampaignIndexPage"]
    subpage_types: list[str] = []
    template = "courses/campaign_page.html"

    class Meta:
        verbose_name = _("campaign page")
