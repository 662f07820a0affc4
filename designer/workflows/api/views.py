"""Workflow endpoints: CRUD, versions, duplicate, validate, export to Python and import from it.

Thin: parse input with a serializer, call one service or selector, render an output serializer.
Every lookup goes through a selector scoped to ``request.user`` (someone else's workflow is 404).
"""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from designer.api.negotiation import IgnoreAccept
from designer.api.schema import errors
from designer.catalogue.selectors import component_registry
from designer.dag.export import ExportError, graph_to_code
from designer.errors import NotFound, ServiceError
from designer.workflows import documents, selectors, services
from designer.workflows.api import serializers as s
from designer.workflows.models import Workflow


@extend_schema(tags=["workflows"])
class WorkflowViewSet(viewsets.GenericViewSet):
    """Workflows of the signed-in user. Saving a changed graph adds an immutable version."""

    queryset = Workflow.objects.none()  # for the schema; requests use selectors

    def get_queryset(self) -> Any:
        return selectors.workflow_list_for_user(user=self.request.user).defer(
            "current_version__graph"
        )

    def _workflow(self, pk: str, *, with_graph: bool = True) -> Workflow:
        """``with_graph=False`` where the current graph is not used (it is parsed on load)."""
        if not (pk.isascii() and pk.isdigit()):
            raise NotFound(f"Workflow {pk!r} not found; ids are integers.")
        return selectors.workflow_get_for_user(user=self.request.user, workflow_id=int(pk),
                                               with_graph=with_graph)

    def _detail(self, workflow: Workflow, code: int = status.HTTP_200_OK) -> Response:
        workflow = self._workflow(str(workflow.pk))  # fresh, with the current version joined
        return Response(s.WorkflowDetailSerializer(workflow).data, status=code)

    # CRUD ------------------------------------------------------------------------------------
    @extend_schema(responses={200: s.WorkflowListSerializer(many=True), **errors(401)})
    def list(self, request: Request) -> Response:
        """The signed-in user's workflows, most recently updated first."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.WorkflowListSerializer(page, many=True).data)

    @extend_schema(request=s.WorkflowCreateInput,
                   responses={201: s.WorkflowDetailSerializer, **errors(400, 401)})
    def create(self, request: Request) -> Response:
        """Create a workflow; its graph becomes version 1 (an unfinished graph is fine)."""
        data = _valid(s.WorkflowCreateInput, request.data)
        workflow = services.workflow_create(owner=request.user, **data)
        return self._detail(workflow, status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.WorkflowDetailSerializer, **errors(401, 404)})
    def retrieve(self, request: Request, pk: str) -> Response:
        """A workflow with its current graph."""
        return Response(s.WorkflowDetailSerializer(self._workflow(pk)).data)

    @extend_schema(request=s.WorkflowUpdateInput,
                   responses={200: s.WorkflowDetailSerializer, **errors(400, 401, 404)})
    def update(self, request: Request, pk: str) -> Response:
        """Rename, redescribe, or save a graph (a new version only if the graph changed)."""
        workflow = self._workflow(pk, with_graph=False)
        data = _valid(s.WorkflowUpdateInput, request.data)
        services.workflow_update(workflow=workflow, user=request.user, **data)
        return self._detail(workflow)

    @extend_schema(request=s.WorkflowUpdateInput,
                   responses={200: s.WorkflowDetailSerializer, **errors(400, 401, 404)})
    def partial_update(self, request: Request, pk: str) -> Response:
        """Same as PUT: every field is optional."""
        return self.update(request, pk)

    @extend_schema(responses={204: None, **errors(401, 404)})
    def destroy(self, request: Request, pk: str) -> Response:
        """Delete the workflow, its versions and its runs."""
        services.workflow_delete(workflow=self._workflow(pk, with_graph=False))
        return Response(status=status.HTTP_204_NO_CONTENT)

    # versions --------------------------------------------------------------------------------
    @extend_schema(responses={200: s.VersionListSerializer(many=True), **errors(401, 404)})
    @action(detail=True, methods=["get"])
    def versions(self, request: Request, pk: str) -> Response:
        """Saved versions, newest first."""
        workflow = self._workflow(pk, with_graph=False)
        page = self.paginate_queryset(selectors.version_list(workflow=workflow).defer("graph"))
        return self.get_paginated_response(s.VersionListSerializer(page, many=True).data)

    @extend_schema(
        parameters=[OpenApiParameter("number", int, OpenApiParameter.PATH)],
        responses={200: s.VersionDetailSerializer, **errors(401, 404)},
    )
    @action(detail=True, methods=["get"], url_path=r"versions/(?P<number>[0-9]{1,9})",
            url_name="version-detail", pagination_class=None)
    def version(self, request: Request, pk: str, number: str) -> Response:
        """One saved version with its graph."""
        version = selectors.version_get(workflow=self._workflow(pk, with_graph=False),
                                        number=int(number))
        return Response(s.VersionDetailSerializer(version).data)

    # actions ---------------------------------------------------------------------------------
    @extend_schema(request=s.WorkflowDuplicateInput,
                   responses={201: s.WorkflowDetailSerializer, **errors(400, 401, 404)})
    @action(detail=True, methods=["post"])
    def duplicate(self, request: Request, pk: str) -> Response:
        """Copy the current graph into a new workflow."""
        data = _valid(s.WorkflowDuplicateInput, request.data)
        copy = services.workflow_duplicate(workflow=self._workflow(pk), user=request.user, **data)
        return self._detail(copy, status.HTTP_201_CREATED)

    @extend_schema(request=s.WorkflowValidateInput,
                   responses={200: s.ValidationReportSerializer, **errors(400, 401, 404)})
    @action(detail=True, methods=["post"])
    def validate(self, request: Request, pk: str) -> Response:
        """Every problem of the current graph (or of `graph` in the body), pinned to
        nodes, plus the table schemas known before running."""
        # the canvas sends the graph being edited on every change: the stored one is not read
        sent = isinstance(request.data, dict) and "graph" in request.data
        workflow = self._workflow(pk, with_graph=not sent)
        data = _valid(s.WorkflowValidateInput, request.data)
        if "graph" in data:
            document = data["graph"]
        elif workflow.current_version is not None:
            document = workflow.current_version.graph
        else:
            document = services.EMPTY_GRAPH
        return Response(documents.validation_report(document))

    @extend_schema(
        parameters=[
            OpenApiParameter("format", str, enum=["python"], default="python",
                             description="Only `python` (Designer SDK code) for now."),
        ],
        responses={(200, "text/x-python"): OpenApiResponse(OpenApiTypes.STR),
                   **errors(400, 401, 404)},
    )
    @action(detail=True, methods=["get"], content_negotiation_class=IgnoreAccept)
    def export(self, request: Request, pk: str) -> HttpResponse:
        """The current graph as runnable Python SDK code."""
        fmt = request.query_params.get("format", "python")
        if fmt != "python":
            raise ServiceError(f"Unknown export format {fmt!r}; use format=python.",
                               code="bad_format")
        workflow = self._workflow(pk)
        document = workflow.current_version.graph if workflow.current_version else (
            services.EMPTY_GRAPH)
        graph = documents.parse_document(document)
        try:
            code = graph_to_code(graph, component_registry(), name=workflow.name)
        except ExportError as exc:
            raise ServiceError(f"This workflow cannot be exported as code: {exc}",
                               code="export_error") from exc
        response = HttpResponse(code, content_type="text/x-python; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{_filename(workflow.name)}.py"'
        return response

    @extend_schema(request=s.WorkflowImportInput,
                   responses={201: s.WorkflowDetailSerializer, **errors(400, 401)})
    @action(detail=False, methods=["post"], url_path="import")
    def import_code(self, request: Request) -> Response:
        """A new workflow from Python SDK code (parsed, never executed)."""
        data = _valid(s.WorkflowImportInput, request.data)
        workflow = services.workflow_import_code(owner=request.user, **data)
        return self._detail(workflow, status.HTTP_201_CREATED)


def _valid(serializer_class: type, data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _filename(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_").lower() or "workflow"
