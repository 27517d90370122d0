"""Quizzes and the question bank in Wagtail's admin."""

from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views, question_types, report_views, translation_views
from .forms import QuestionForm
from .models import Question, QuestionVersion, Quiz


class QuizViewSet(SnippetViewSet):
    model = Quiz
    edit_view_class = report_views.QuizEditView  # adds "Results" to the header's menu
    icon = "form"
    menu_label = _("Quizzes")
    list_display = ["title", "pass_mark", "attempts_allowed", "grading_method"]
    search_fields = ["title"]
    panels = [
        FieldPanel("title"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("attempts_allowed")]),
                FieldRowPanel([FieldPanel("grading_method"), FieldPanel("time_limit")]),
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldRowPanel([FieldPanel("shuffle_questions"), FieldPanel("shuffle_options")]),
                FieldPanel("layout"),
            ],
            heading=_("Settings"),
        ),
        InlinePanel(
            "slots",
            heading=_("Questions"),
            label=_("Slot"),
            panels=[
                FieldPanel("question"),
                FieldPanel("pinned_version"),
                FieldRowPanel(
                    [
                        FieldPanel("random_category"),
                        FieldPanel("random_count"),
                        FieldPanel("random_include_subcategories"),
                    ]
                ),
                FieldPanel("mark"),
            ],
        ),
        FieldPanel("review_options"),
        FieldPanel("overall_feedback"),
    ]


#: How many versions the editor lists, newest first.
VERSIONS_LISTED = 20


def _version_line(version: QuestionVersion) -> tuple[str, str, str]:
    author = version.created_by
    name = (author.get_full_name() or author.get_username()) if author else "—"
    when = date_format(timezone.localtime(version.created_at), "SHORT_DATETIME_FORMAT")
    return (_("Version %(number)d") % {"number": version.number}, when, name)


class QuestionVersionsPanel(HelpPanel):
    """The question's versions, newest first: read-only, editing the content adds one."""

    class BoundPanel(HelpPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.content = self._versions_html() if self.is_shown() else ""

        def is_shown(self):
            if self.instance is None or self.instance.pk is None:
                return False
            # The copy view shows the original's form for a new question: no history there.
            match = getattr(self.request, "resolver_match", None)
            return getattr(match, "url_name", "") != "copy"

        def _versions_html(self):
            versions = list(
                self.instance.versions.select_related("created_by").order_by("-number")[
                    :VERSIONS_LISTED
                ]
            )
            if not versions:
                return format_html("<p>{}</p>", _("This question has no version yet."))
            summary = format_html(
                "<p>{} <strong>{}</strong>. {}</p>",
                _("Current version:"),
                versions[0].number,
                _(
                    "Saving changes to the text, the answers or the general feedback adds a "
                    "new version; quizzes and attempts keep the version they used. Changes "
                    "to the name, category, difficulty, mark or tags add none."
                ),
            )
            lines = format_html_join(
                "", "<li>{} – {} – {}</li>", (_version_line(v) for v in versions)
            )
            return format_html("{}<ul>{}</ul>", summary, lines)


def _type_label(question: Question) -> str:
    try:
        return str(question_types.get(question.type).label)
    except KeyError:
        return question.type


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Question bank")
    list_display = [
        "name",
        Column("type", label=_("type"), accessor=_type_label),
        "category",
        "difficulty",
        "latest_version",
    ]
    list_filter = ["type", "difficulty", "category"]
    search_fields = ["name"]
    # "Translate" in the header's "More" menu (wagtail-localize's would make a broken copy).
    edit_view_class = translation_views.QuestionEditView
    # The form writes through quizzes.services: editing the content adds a version.
    edit_handler = ObjectList(
        [
            translation_views.TranslationPanel(heading=_("Translation")),
            MultiFieldPanel(
                [
                    FieldPanel("name"),
                    FieldPanel("category"),
                    FieldRowPanel([FieldPanel("difficulty"), FieldPanel("default_mark")]),
                    FieldPanel("tags"),
                ],
                heading=_("In the question bank"),
            ),
            MultiFieldPanel(
                [FieldPanel("text"), FieldPanel("content"), FieldPanel("general_feedback")],
                heading=_("Question"),
            ),
            QuestionVersionsPanel(heading=_("Versions")),
        ],
        base_form_class=QuestionForm,
    )


class QuizzesGroup(SnippetViewSetGroup):
    items = (QuizViewSet, QuestionViewSet)
    menu_icon = "form"
    menu_label = _("Quizzes")
    menu_name = "quizzes"


register_snippet(QuizzesGroup)


@hooks.register("register_admin_urls")
def register_question_preview_urls():
    # The question preview's grading (player.js's PreviewBackend); Wagtail's admin URLs
    # require admin access, the view the right to add or edit questions.
    return [
        path(
            "quizzes/question-preview/grade/",
            admin_views.grade_preview,
            name=admin_views.GRADE_URL_NAME,
        )
    ]


# Translating a question: our "Translate" instead of wagtail-localize's, which would create a
# question without versions; see quizzes.translation_views. Registered first (order=-1) so
# that its redirect of wagtail-localize's URL for questions comes before that URL.
hooks.register("register_admin_urls", translation_views.admin_urls, order=-1)
hooks.register("register_snippet_listing_buttons", translation_views.listing_buttons)
hooks.register("construct_snippet_listing_buttons", translation_views.hide_generic_translate)

# Quiz reports for reviewers (results, statistics, grading); see quizzes.report_views.
hooks.register("register_admin_urls", report_views.admin_urls)
hooks.register("register_snippet_listing_buttons", report_views.quiz_listing_buttons)
