"""SCORM export API: editors request an export (202), poll it, and download the zip."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from ..admin_views import package_response
from ..exports import request_export
from ..models import ScormExport
from .filters import ScormExportFilter
from .permissions import CanExportScorm
from .serializers import ExportConflictSerializer, ExportRequestSerializer, ScormExportSerializer

FORBIDDEN = OpenApiResponse(description="Not signed in, or not an editor.")


@extend_schema(tags=["SCORM export"])
class ScormExportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Every editor sees every export (a small team shares its packages); `?mine=true` lists
    only one's own."""

    permission_classes = [IsAuthenticated, CanExportScorm]
    serializer_class = ScormExportSerializer
    filterset_class = ScormExportFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return ScormExport.objects.select_related("requested_by").order_by("-created_at", "-pk")

    @extend_schema(
        summary="Request an export of a course or module",
        request=ExportRequestSerializer,
        responses={
            202: ScormExportSerializer,
            400: OpenApiResponse(description="Invalid options, with a message per field."),
            403: FORBIDDEN,
        },
    )
    def create(self, request: Request) -> Response:
        options = ExportRequestSerializer(data=request.data)
        options.is_valid(raise_exception=True)
        data = options.validated_data
        export = request_export(data["page"], data["options"], request.user)
        # With the immediate backend (development, tests) the export has run on commit.
        export.refresh_from_db()
        body = ScormExportSerializer(export, context=self.get_serializer_context()).data
        headers = {"Location": body["links"]["self"]}
        return Response(body, status=status.HTTP_202_ACCEPTED, headers=headers)

    @extend_schema(
        summary="List exports, newest first",
        responses={200: ScormExportSerializer(many=True), 403: FORBIDDEN},
    )
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="An export: poll its status and progress",
        responses={
            200: ScormExportSerializer,
            403: FORBIDDEN,
            404: OpenApiResponse(description="No such export."),
        },
    )
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Download the package (a zip)",
        responses={
            (200, "application/zip"): OpenApiTypes.BINARY,
            403: FORBIDDEN,
            404: OpenApiResponse(description="No such export, or its file was removed."),
            409: OpenApiResponse(ExportConflictSerializer, description="The export is not done."),
        },
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def download(self, request: Request, pk: str | None = None):
        export = self.get_object()
        if export.status != ScormExport.Status.DONE:
            message = (
                _("The export failed: %(error)s") % {"error": export.error}
                if export.status == ScormExport.Status.FAILED
                else _("The export is not finished yet; poll it and try again.")
            )
            return Response(
                {"detail": message, "status": export.status}, status=status.HTTP_409_CONFLICT
            )
        try:
            return package_response(export)
        except Http404:
            return Response(
                {"detail": _("The package's file is missing.")}, status=status.HTTP_404_NOT_FOUND
            )
