"""StreamField blocks for training modules, practices and campaign pages.

Small StructBlocks with one template each, composed by the StreamBlocks at the
bottom (as in Wagtail's bakerydemo).
"""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from .choices import CalloutKind

RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]

# Renditions used by the image block's template; prefetched with the images so
# that a page with many images renders in a fixed number of queries.
IMAGE_RENDITIONS = ("width-800|format-webp", "width-1200|format-webp")


class PrefetchingImageChooserBlock(ImageChooserBlock):
    def bulk_to_python(self, values):
        images = get_image_model().objects.prefetch_renditions(*IMAGE_RENDITIONS).in_bulk(values)
        return [images.get(pk) for pk in values]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=200)

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "courses/blocks/heading.html"


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=RICH_TEXT_FEATURES, **kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Text")
        template = "courses/blocks/paragraph.html"


class ImageBlock(blocks.StructBlock):
    image = PrefetchingImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=250,
        required=False,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    decorative = blocks.BooleanBlock(label=_("Decorative (no alt text needed)"), required=False)
    caption = blocks.CharBlock(label=_("Caption"), max_length=300, required=False)

    def clean(self, value):
        value = super().clean(value)
        if not value["alt_text"] and not value["decorative"]:
            raise StructBlockValidationError(
                block_errors={
                    "alt_text": ErrorList([_("Describe the image, or mark it as decorative.")])
                }
            )
        return value

    class Meta:
        icon = "image"
        label = _("Image")
        template = "courses/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    file = DocumentChooserBlock(
        label=_("Uploaded video file"), required=False, help_text=_("MP4 or WebM.")
    )
    embed = EmbedBlock(
        label=_("Or an embedded video (URL)"),
        required=False,
        help_text=_("Embedded videos need internet access; prefer an uploaded file."),
    )
    transcript = ParagraphBlock(label=_("Transcript"), required=False)

    def clean(self, value):
        value = super().clean(value)
        if bool(value["file"]) == bool(value["embed"]):
            raise StructBlockValidationError(
                non_block_errors=ErrorList(
                    [ValidationError(_("Choose either an uploaded file or an embed URL."))]
                )
            )
        return value

    class Meta:
        icon = "media"
        label = _("Video")
        template = "courses/blocks/video.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    description = blocks.CharBlock(label=_("Description"), max_length=300, required=False)

    class Meta:
        icon = "doc-full"
        label = _("Document download")
        template = "courses/blocks/document.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(choices=CalloutKind.choices, default=CalloutKind.TIP, label=_("Kind"))
    title = blocks.CharBlock(label=_("Title"), max_length=200, required=False)
    text = ParagraphBlock(label=_("Text"))

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["kind_label"] = CalloutKind(value["kind"]).label
        return context

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "courses/blocks/callout.html"


class CaseScenarioBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    situation = ParagraphBlock(label=_("Situation"))
    question = blocks.CharBlock(label=_("Question"), max_length=500)
    model_answer = ParagraphBlock(label=_("Model answer"))

    class Meta:
        icon = "help"
        label = _("Case scenario")
        template = "courses/blocks/case_scenario.html"


class ChecklistBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    items = blocks.ListBlock(blocks.CharBlock(label=_("Item"), max_length=500), label=_("Items"))

    class Meta:
        icon = "tasks"
        label = _("Checklist")
        template = "courses/blocks/checklist.html"


class KeyTermBlock(blocks.StructBlock):
    term = blocks.CharBlock(label=_("Term"), max_length=200)
    definition = blocks.TextBlock(label=_("Definition"))


class KeyTermsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200, required=False)
    terms = blocks.ListBlock(KeyTermBlock(), label=_("Terms"))

    class Meta:
        icon = "list-ul"
        label = _("Key terms")
        template = "courses/blocks/key_terms.html"


class HelpContactBlock(blocks.StructBlock):
    organisation = blocks.CharBlock(label=_("Organisation"), max_length=200)
    phone = blocks.CharBlock(label=_("Phone"), max_length=40)
    description = blocks.TextBlock(label=_("Description"), required=False)
    website = blocks.URLBlock(label=_("Website"), required=False)

    class Meta:
        icon = "mail"
        label = _("Help contact")
        template = "courses/blocks/help_contact.html"


class QuizBlock(blocks.StructBlock):
    """A graded knowledge check from the quiz engine, taken right in the module."""

    quiz = SnippetChooserBlock("quizzes.Quiz", label=_("Quiz"))

    class Meta:
        icon = "form"
        label = _("Quiz")
        template = "courses/blocks/quiz.html"


class LearningObjectivesBlock(blocks.StreamBlock):
    objective = blocks.CharBlock(label=_("Objective"), max_length=300, icon="success")


class BaseContentBlock(blocks.StreamBlock):
    """Blocks every body can hold; the bodies below add their own."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = ImageBlock()
    callout = CalloutBlock()
    checklist = ChecklistBlock()
    document = DocumentBlock()


class ModuleStreamBlock(BaseContentBlock):
    """Everything a training module's body can hold."""

    video = VideoBlock()
    case_scenario = CaseScenarioBlock()
    key_terms = KeyTermsBlock()
    quiz = QuizBlock()


class PracticeStreamBlock(BaseContentBlock):
    """Body of a good practice."""

    key_terms = KeyTermsBlock()


class CampaignStreamBlock(BaseContentBlock):
    """Public campaign pages: messages, indicators, help contacts and leaflets."""

    help_contact = HelpContactBlock()
