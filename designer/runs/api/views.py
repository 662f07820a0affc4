"""Run endpoints: start and list a workflow's runs, run detail, cancel, retry, events since a seq,
node logs, and artifact previews/downloads. Thin: selectors read, services write."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from designer.api.negotiation import IgnoreAccept
from designer.api.schema import errors
from designer.runs import artifacts, selectors, services
from designer.runs.api import serializers as s
from designer.runs.models import Run
from designer.workflows.selectors import workflow_get_for_user

NODE = OpenApiParameter("node_id", str, OpenApiParameter.PATH,
                        pattern=r"^[A-Za-z_][A-Za-z0-9_\-]*$")
PORT = OpenApiParameter("port", str, OpenApiParameter.PATH, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
RUN_ID = OpenApiParameter("run_id", int, OpenApiParameter.PATH)
WORKFLOW_ID = OpenApiParameter("workflow_id", int, OpenApiParameter.PATH)


def _valid(serializer_class: type, data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class _RunView(GenericAPIView):
    queryset = Run.objects.none()  # for the schema; requests use selectors

    def run(self, run_id: int, *, with_nodes: bool = False) -> Run:
        return selectors.run_get_for_user(user=self.request.user, run_id=run_id,
                                          with_nodes=with_nodes)


@extend_schema(tags=["runs"], parameters=[WORKFLOW_ID])
class WorkflowRunsView(_RunView):
    """A workflow's run history (GET) and starting a run (POST)."""

    serializer_class = s.RunListSerializer

    @extend_schema(responses={200: s.RunListSerializer(many=True), **errors(401, 404)})
    def get(self, request: Request, workflow_id: int) -> Response:
        workflow = workflow_get_for_user(user=request.user, workflow_id=workflow_id,
                                         with_graph=False)
        page = self.paginate_queryset(selectors.run_list_for_workflow(workflow=workflow))
        return self.get_paginated_response(s.RunListSerializer(page, many=True).data)

    @extend_schema(request=s.RunStartInput,
                   responses={201: s.RunDetailSerializer, **errors(400, 401, 404)})
    def post(self, request: Request, workflow_id: int) -> Response:
        workflow = workflow_get_for_user(user=request.user, workflow_id=workflow_id)
        data = _valid(s.RunStartInput, request.data)
        run = services.run_start(
            workflow=workflow, user=request.user, version_number=data.pop("version", None), **data
        )
        return Response(s.RunDetailSerializer(self.run(run.pk, with_nodes=True)).data,
                        status=status.HTTP_201_CREATED)


@extend_schema(tags=["runs"], parameters=[RUN_ID])
class RunDetailView(_RunView):
    serializer_class = s.RunDetailSerializer

    @extend_schema(responses={200: s.RunDetailSerializer, **errors(401, 404)})
    def get(self, request: Request, run_id: int) -> Response:
        return Response(s.RunDetailSerializer(self.run(run_id, with_nodes=True)).data)


@extend_schema(tags=["runs"], parameters=[RUN_ID])
class RunCancelView(_RunView):
    serializer_class = s.RunDetailSerializer

    @extend_schema(request=None, responses={200: s.RunDetailSerializer, **errors(401, 404, 409)})
    def post(self, request: Request, run_id: int) -> Response:
        services.run_cancel(run=self.run(run_id))
        return Response(s.RunDetailSerializer(self.run(run_id, with_nodes=True)).data)


@extend_schema(tags=["runs"], parameters=[RUN_ID])
class RunRetryView(_RunView):
    """Start a new run of the same version and options with the cache on: what succeeded is
    reused, what failed (or was cancelled or skipped) executes again."""

    serializer_class = s.RunDetailSerializer

    @extend_schema(request=None, responses={201: s.RunDetailSerializer, **errors(400, 401, 404)})
    def post(self, request: Request, run_id: int) -> Response:
        run = services.run_retry(run=self.run(run_id), user=request.user)
        return Response(s.RunDetailSerializer(self.run(run.pk, with_nodes=True)).data,
                        status=status.HTTP_201_CREATED)


@extend_schema(tags=["runs"], parameters=[RUN_ID])
class RunEventsView(_RunView):
    """Persisted events with ``seq > after`` (what a reconnecting websocket client missed)."""

    serializer_class = s.RunEventsSerializer
    pagination_class = None

    @extend_schema(parameters=[s.EventsQuery],
                   responses={200: s.RunEventsSerializer, **errors(400, 401, 404)})
    def get(self, request: Request, run_id: int) -> Response:
        query = _valid(s.EventsQuery, request.query_params)
        run = self.run(run_id)
        events = selectors.run_events_after(run=run, after=query["after"], limit=query["limit"])
        return Response({"run": run.pk, "status": run.status, "last_seq": run.last_seq,
                         "events": [e.to_message() for e in events]})


@extend_schema(tags=["runs"], parameters=[RUN_ID, NODE])
class NodeLogsView(_RunView):
    serializer_class = s.NodeLogsSerializer
    pagination_class = None

    @extend_schema(responses={200: s.NodeLogsSerializer, **errors(401, 404)})
    def get(self, request: Request, run_id: int, node_id: str) -> Response:
        run = self.run(run_id)
        node = selectors.node_run_get(run=run, node_id=node_id)
        return Response({"run": run.pk, "node": node.node_id, "status": node.status,
                         "lines": selectors.node_logs(run=run, node_id=node.node_id),
                         "error": node.error, "traceback": node.traceback})


@extend_schema(tags=["runs"], parameters=[RUN_ID, NODE, PORT])
class OutputPreviewView(_RunView):
    """A JSON preview of one output: table rows and column statistics, metric values, the
    figure's Vega-Lite spec, a model's summary, or the text."""

    serializer_class = s.ArtifactPreviewSerializer
    pagination_class = None

    @extend_schema(parameters=[s.PreviewQuery],
                   responses={200: s.ArtifactPreviewSerializer, **errors(400, 401, 404)})
    def get(self, request: Request, run_id: int, node_id: str, port: str) -> Response:
        query = _valid(s.PreviewQuery, request.query_params)
        node = selectors.node_run_get(run=self.run(run_id), node_id=node_id)
        ref = artifacts.output_ref(node, port)
        return Response(artifacts.artifact_preview(ref, rows=query["rows"]))


@extend_schema(tags=["runs"], parameters=[RUN_ID, NODE, PORT])
class OutputDownloadView(_RunView):
    """The stored file: Parquet (tables), JSON (metrics, figures), text, joblib/torch (models)."""

    pagination_class = None
    content_negotiation_class = IgnoreAccept

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(
        OpenApiTypes.BINARY), **errors(401, 404)})
    def get(self, request: Request, run_id: int, node_id: str, port: str) -> FileResponse:
        node = selectors.node_run_get(run=self.run(run_id), node_id=node_id)
        path, content_type = artifacts.artifact_file(artifacts.output_ref(node, port))
        return FileResponse(
            path.open("rb"),
            as_attachment=True,
            filename=f"run{run_id}-{node.node_id}-{port}{path.suffix}",
            content_type=content_type,
        )
