"""The question editor of Wagtail's admin.

Editors (police trainers) never see JSON. Besides the question's place in the bank (name,
category, difficulty, mark, tags) the form has its content: the text and the general
feedback as rich text, and `content`, a stream of one block per question type
(`QuestionType.editor_block`) in which the editor picks the type once and writes its
options or answers.

Saving goes through `quizzes.services`: creating a question adds version 1; editing the
text, the answers or the general feedback adds a new version (earlier versions stay as
attempts used them); changing only the name, category, difficulty, mark or tags adds none.
A question keeps its type for good.

Wagtail's live preview calls `save(commit=False)`: that writes nothing and hangs the would-be
version on the question instead (`preview_version`, see quizzes.admin_views).
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.rich_text import get_rich_text_editor_widget
from wagtail.blocks import BlockField, StreamBlock, StreamValue
from wagtail.blocks.stream_block import StreamBlockValidationError

from . import question_types, services
from .models import Question, QuestionCategory, QuestionVersion
from .question_types import DefinitionError, QuestionType
from .question_types._editor import editor_error

#: What question texts and general feedback may use (the player shows them as HTML).
RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul"]
#: Fields of the question itself; editing only these adds no version.
METADATA_FIELDS = ("name", "category", "difficulty", "default_mark")
#: Draftail's block keys belong to the editing session, not to the content: they are
#: dropped so that saving an untouched text is no change.
_BLOCK_KEY_RE = re.compile(r'\sdata-block-key="[^"]*"')


def content_block() -> StreamBlock:
    """One child per registered question type (named after it); an editor adds exactly one."""
    return StreamBlock(
        [(name, question_types.get(name).editor_block()) for name in question_types.names()],
        min_num=1,
        max_num=1,
    )


def tidy_html(html: str | None) -> str:
    return _BLOCK_KEY_RE.sub("", html or "").strip()


def category_label(category: QuestionCategory) -> str:
    """A category indented by its depth in the tree ("— — Excise goods")."""
    return "— " * (category.depth - 1) + category.name


class QuestionForm(WagtailAdminModelForm):
    text = forms.CharField(
        label=_("Question text"),
        help_text=_("What the trainee reads. For a cloze question, the gaps go below."),
    )
    content = BlockField(
        block=content_block(),
        label=_("Question type and answers"),
        help_text=_(
            "Add one block: its type is the question's type, which cannot be changed later. "
            "Then write the options or the accepted answers."
        ),
    )
    general_feedback = forms.CharField(
        required=False,
        label=_("General feedback"),
        help_text=_(
            "Shown to every trainee after the question, whatever the answer: for example "
            "the legal basis."
        ),
    )

    class Meta(WagtailAdminModelForm.Meta):
        model = Question
        fields = [*METADATA_FIELDS, "tags", "text", "content", "general_feedback"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.question_type: QuestionType | None = None
        self.definition: dict[str, Any] | None = None
        for name in ("text", "general_feedback"):
            if name in self.fields:
                self.fields[name].widget = get_rich_text_editor_widget(features=RICH_TEXT_FEATURES)
        if "category" in self.fields:
            self.fields["category"].queryset = QuestionCategory.objects.order_by("path")
            self.fields["category"].label_from_instance = category_label
        if self.editing:
            self.fields["content"].help_text = _(
                "The question's type cannot be changed; for another type, create a new "
                "question. Saving changes to the text, the answers or the general feedback "
                "adds a new version."
            )
            self._show_latest_version()

    @property
    def editing(self) -> bool:
        """True for an existing question (its type is fixed, saving may add a version)."""
        return self.instance.pk is not None

    def _show_latest_version(self) -> None:
        version = self.instance.latest_version
        if version is None:
            return
        self.initial.setdefault("text", version.text)
        self.initial.setdefault("general_feedback", version.general_feedback)
        question_type = self.instance.question_type
        try:
            value = question_type.editor_value(version.definition)
        except DefinitionError as error:
            # A stored definition that no longer validates: start the editor empty and say why.
            self.fields["content"].help_text = _(
                "The stored answers could not be loaded (%(error)s); write them again."
            ) % {"error": "; ".join(error.messages)}
            return
        block = self.fields["content"].block
        self.initial.setdefault(
            "content", block.to_python([{"type": question_type.name, "value": value}])
        )

    # --- validation --------------------------------------------------------------------

    def clean_text(self) -> str:
        return tidy_html(self.cleaned_data.get("text"))

    def clean_general_feedback(self) -> str:
        return tidy_html(self.cleaned_data.get("general_feedback"))

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        content = cleaned_data.get("content")
        if content:  # None when the blocks are invalid: the field has their errors already
            self._clean_content(content)
        return cleaned_data

    def _clean_content(self, content: StreamValue) -> None:
        """Convert the chosen type's block to a clean definition, or put the errors on it."""
        child = content[0]
        if self.editing and child.block_type != self.instance.type:
            message = _(
                "This question is of the type “%(type)s”, and a question keeps its type. "
                "For another type, create a new question."
            )
            error = ValidationError(message, params={"type": self.instance.question_type.label})
            self.add_error("content", StreamBlockValidationError(non_block_errors=[error]))
            return
        question_type = question_types.get(child.block_type)
        try:
            definition = question_type.definition_from_editor(child.value)
            definition = question_type.clean_definition(definition)
        except DefinitionError as error:
            block_error = editor_error(child.block, child.value, error)
            self.add_error("content", StreamBlockValidationError(block_errors={0: block_error}))
            return
        self.question_type, self.definition = question_type, definition

    # --- saving --------------------------------------------------------------------------

    def save(self, commit: bool = True) -> Question:
        """Create the question (version 1) or update it, adding a version if its content
        changed; always through `quizzes.services`. With commit=False (Wagtail's preview),
        only the in-memory question for the preview: see `preview_instance`."""
        if self.question_type is None or self.definition is None:
            raise ValueError("Save a QuestionForm only once it is valid.")
        if not commit:
            return self.preview_instance()
        user = self.for_user if getattr(self.for_user, "is_authenticated", False) else None
        text = self.cleaned_data["text"]
        general_feedback = self.cleaned_data.get("general_feedback", "")
        question = self.instance
        if not self.editing:
            self.instance = services.create_question(
                category=question.category,
                type=self.question_type.name,
                name=question.name,
                text=text,
                definition=self.definition,
                general_feedback=general_feedback,
                default_mark=question.default_mark,
                tags=list(self.cleaned_data.get("tags") or []),
                locale=question.locale if question.locale_id else None,
                user=user,
                difficulty=question.difficulty,
            )
            return self.instance
        # Only the metadata: the latest version is the services' business.
        question.save(update_fields=[name for name in METADATA_FIELDS if name in self.fields])
        if "tags" in self.fields:
            question.tags.set(self.cleaned_data["tags"])
        if self._content_changed(text, general_feedback):
            services.edit_question(
                question,
                text=text,
                definition=self.definition,
                general_feedback=general_feedback,
                user=user,
            )
            question.refresh_from_db(fields=["latest_version"])
        return question

    def preview_instance(self) -> Question:
        """The question as the form would save it, in memory only (nothing is written): its
        metadata from the form (Django's validation set it on the instance), its type, and
        the would-be version as `preview_version`, an unsaved QuestionVersion."""
        if self.question_type is None or self.definition is None:
            raise ValueError("Preview a QuestionForm only once it is valid.")
        question = self.instance
        question.type = self.question_type.name  # a new question has none yet
        question.preview_version = QuestionVersion(
            question=question,
            text=self.cleaned_data["text"],
            definition=self.definition,
            general_feedback=self.cleaned_data.get("general_feedback", ""),
        )
        return question

    def _content_changed(self, text: str, general_feedback: str) -> bool:
        """Whether the content differs from the latest version (as it is now, not as it was
        when the form was shown)."""
        latest = QuestionVersion.objects.filter(question=self.instance).order_by("number").last()
        if latest is None:
            return True
        return (
            latest.definition != self.definition
            or not self._same_html("text", text, latest.text)
            or not self._same_html("general_feedback", general_feedback, latest.general_feedback)
        )

    def _same_html(self, name: str, new: str, stored: str) -> bool:
        """Whether `new` is `stored` as it comes back from the rich text editor untouched
        (the editor wraps plain text in paragraphs, for instance)."""
        if new == tidy_html(stored):
            return True
        if name not in self.fields:
            return False
        widget = self.fields[name].widget
        as_edited = widget.value_from_datadict({name: widget.format_value(stored)}, {}, name)
        return new == tidy_html(as_edited)
