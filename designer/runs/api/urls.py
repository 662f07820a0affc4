"""URLs under /api/ for runs (and a workflow's runs)."""

from django.urls import path, register_converter

from designer.runs.api import views


class NodeIdConverter:
    regex = r"[A-Za-z_][A-Za-z0-9_\-]{0,63}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class PortConverter(NodeIdConverter):
    regex = r"[A-Za-z_][A-Za-z0-9_]{0,63}"


register_converter(NodeIdConverter, "node")
register_converter(PortConverter, "port")

urlpatterns = [
    path("workflows/<int:workflow_id>/runs/", views.WorkflowRunsView.as_view(),
         name="workflow-runs"),
    path("runs/<int:run_id>/", views.RunDetailView.as_view(), name="run-detail"),
    path("runs/<int:run_id>/cancel/", views.RunCancelView.as_view(), name="run-cancel"),
    path("runs/<int:run_id>/retry/", views.RunRetryView.as_view(), name="run-retry"),
    path("runs/<int:run_id>/events/", views.RunEventsView.as_view(), name="run-events"),
    path("runs/<int:run_id>/nodes/<node:node_id>/logs/", views.NodeLogsView.as_view(),
         name="node-logs"),
    path("runs/<int:run_id>/nodes/<node:node_id>/outputs/<port:port>/",
         views.OutputPreviewView.as_view(), name="node-output"),
    path("runs/<int:run_id>/nodes/<node:node_id>/outputs/<port:port>/download/",
         views.OutputDownloadView.as_view(), name="node-output-download"),
]
