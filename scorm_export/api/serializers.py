"""The SCORM export API's shapes: a request for an export, and an export as it stands."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse
from wagtail.models import Page

from ..errors import ExportError
from ..exports import is_exportable_type, published_languages
from ..models import VERSION_CHOICES, ScormExport
from ..options import LOCALES, REPORTING_MODES, ExportOptions


class ExportRequestSerializer(serializers.Serializer):
    page = serializers.IntegerField(help_text="The id of a published course or module page.")
    version = serializers.ChoiceField(
        choices=VERSION_CHOICES, help_text="SCORM 1.2 or 2004 (4th Ed.)."
    )
    locale = serializers.ChoiceField(
        choices=LOCALES,
        help_text="The package's language; the page must be published in it.",
    )
    single_sco = serializers.BooleanField(
        default=False,
        help_text="A course as one SCO instead of one SCO per module (ignored for a module).",
    )
    reporting = serializers.ChoiceField(
        choices=REPORTING_MODES,
        default=REPORTING_MODES[0],
        help_text="What the SCO reports when the quizzes are passed / failed.",
    )
    mastery_score = serializers.IntegerField(
        min_value=0,
        max_value=100,
        required=False,
        allow_null=True,
        default=None,
        help_text="0-100, written to the manifest; leave it out to let the SCO decide.",
    )
    hide_keys = serializers.BooleanField(
        default=False,
        help_text=(
            "Store answer keys as salted hashes in the package (no right answers in the "
            "review, no correct-response patterns); numerical and wildcard keys stay readable."
        ),
    )

    def validate_page(self, value: int) -> Page:
        page = Page.objects.filter(pk=value).first()
        if page is None:
            raise serializers.ValidationError(
                _("There is no page with the id %(id)s.") % {"id": value}
            )
        if not is_exportable_type(page):
            raise serializers.ValidationError(
                _("Only courses and modules can be exported; %(title)s is neither.")
                % {"title": page.title}
            )
        if not published_languages(page):
            raise serializers.ValidationError(
                _("%(title)s is not published in any language.") % {"title": page.title}
            )
        return page.specific

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        page = attrs["page"]
        languages = published_languages(page)
        if attrs["locale"] not in languages:
            raise serializers.ValidationError(
                {
                    "locale": [
                        _(
                            "%(title)s is not published in the language %(language)s; it is "
                            "published in: %(languages)s."
                        )
                        % {
                            "title": page.title,
                            "language": attrs["locale"],
                            "languages": ", ".join(languages),
                        }
                    ]
                }
            )
        try:
            attrs["options"] = ExportOptions(
                version=attrs["version"],
                locale=attrs["locale"],
                single_sco=attrs["single_sco"],
                reporting=attrs["reporting"],
                mastery_score=attrs["mastery_score"],
                hide_keys=attrs["hide_keys"],
            )
        except ExportError as error:
            raise serializers.ValidationError(str(error)) from error
        return attrs


class ProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField()


class LinksSerializer(serializers.Serializer):
    self = serializers.URLField()
    download = serializers.URLField(allow_null=True, help_text="Once the export is done.")


class ScormExportSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=ScormExport.Status.choices, read_only=True)
    progress = serializers.SerializerMethodField()
    requested_by = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    class Meta:
        model = ScormExport
        fields = [
            "id",
            "page",
            "page_title",
            "version",
            "locale",
            "single_sco",
            "reporting",
            "mastery_score",
            "hide_keys",
            "status",
            "progress",
            "error",
            "size",
            "requested_by",
            "created_at",
            "finished_at",
            "links",
        ]
        read_only_fields = fields

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, export: ScormExport) -> dict[str, int]:
        return {
            "done": export.progress_done,
            "total": export.progress_total,
            "percent": export.percent,
        }

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_requested_by(self, export: ScormExport) -> str | None:
        return export.requested_by.get_username() if export.requested_by else None

    @extend_schema_field(LinksSerializer)
    def get_links(self, export: ScormExport) -> dict[str, str | None]:
        request = self.context.get("request")
        done = export.status == ScormExport.Status.DONE
        return {
            "self": reverse("scorm-export-detail", args=[export.pk], request=request),
            "download": reverse("scorm-export-download", args=[export.pk], request=request)
            if done
            else None,
        }


class ExportConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    status = serializers.CharField()
