"""Quizzes and the question bank in Wagtail's admin."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Question, Quiz


class QuizViewSet(SnippetViewSet):
    model = Quiz
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


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Question bank")
    list_display = ["name", "type", "category", "difficulty", "latest_version"]
    list_filter = ["type", "difficulty", "category"]
    search_fields = ["name"]
    # Editing a question's content adds a version through quizzes.services; the
    # bank's own editing form arrives with the question editor (next step).
    panels = [
        FieldPanel("name"),
        FieldPanel("category"),
        FieldRowPanel([FieldPanel("difficulty"), FieldPanel("default_mark")]),
        FieldPanel("tags"),
    ]


class QuizzesGroup(SnippetViewSetGroup):
    items = (QuizViewSet, QuestionViewSet)
    menu_icon = "form"
    menu_label = _("Quizzes")
    menu_name = "quizzes"


register_snippet(QuizzesGroup)
