"""Catalogue endpoints: the component palette (cached, with an ETag) and the bundled samples."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from designer.api.schema import errors
from designer.catalogue import selectors
from designer.catalogue.api.serializers import SampleInstantiateInput, SampleSerializer
from designer.workflows.api.serializers import WorkflowDetailSerializer
from designer.workflows.selectors import workflow_get_for_user
from designer.workflows.services import workflow_create_from_sample


@extend_schema(tags=["catalogue"])
class ComponentsView(APIView):
    """Every registered component (ports, parameter JSON Schemas, column pickers), the port type
    vocabulary and the connection matrix: what the canvas palette and inspector are built from."""

    @extend_schema(
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT,
                                        description="registry.describe(): types, connectable, "
                                        "categories, components"),
                   304: OpenApiResponse(description="Not modified (If-None-Match matched)."),
                   **errors(401)},
    )
    def get(self, request: Request) -> HttpResponse:
        body, etag = selectors.catalogue_payload()
        if request.headers.get("If-None-Match") == etag:
            response = HttpResponse(status=304)
        else:
            response = HttpResponse(body, content_type="application/json")
        response["ETag"] = etag
        response["Cache-Control"] = "private, max-age=60"
        return response


@extend_schema(tags=["catalogue"])
class SamplesView(APIView):
    """The bundled sample workflows."""

    @extend_schema(responses={200: SampleSerializer(many=True), **errors(401)})
    def get(self, request: Request) -> Response:
        return Response(SampleSerializer(selectors.sample_list(), many=True).data)


@extend_schema(tags=["catalogue"],
               parameters=[OpenApiParameter("name", str, OpenApiParameter.PATH)])
class SampleInstantiateView(APIView):
    """Copy a sample into a new workflow owned by the signed-in user."""

    @extend_schema(request=SampleInstantiateInput,
                   responses={201: WorkflowDetailSerializer, **errors(400, 401, 404)})
    def post(self, request: Request, name: str) -> Response:
        data = SampleInstantiateInput(data=request.data)
        data.is_valid(raise_exception=True)
        workflow = workflow_create_from_sample(
            owner=request.user, sample=name, name=data.validated_data.get("name")
        )
        workflow = workflow_get_for_user(user=request.user, workflow_id=workflow.pk)
        return Response(WorkflowDetailSerializer(workflow).data, status=status.HTTP_201_CREATED)
