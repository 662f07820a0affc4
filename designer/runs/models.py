"""Runs of a workflow version: the run, one row per plan step (``NodeRun``), and the persisted
event stream (``RunEvent``) that the websocket replays to late or reconnecting clients.

State changes are made by services (and phase-2 Celery tasks) with conditional updates
(``filter(status=...).update(...)``), never in ``save()``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


RUN_FINISHED = frozenset({RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED})


class NodeStatus(models.TextChoices):
    PENDING = "pending", "Pending"  # waiting for parents
    READY = "ready", "Ready"  # parents done, not yet sent to a queue
    QUEUED = "queued", "Queued"  # a task was sent
    RUNNING = "running", "Running"  # a worker claimed it
    SUCCEEDED = "succeeded", "Succeeded"
    CACHED = "cached", "Cached"  # outputs reused from an earlier identical step
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Skipped"  # an upstream node failed
    CANCELLED = "cancelled", "Cancelled"


NODE_DONE = frozenset({NodeStatus.SUCCEEDED, NodeStatus.CACHED})
NODE_FINISHED = frozenset(
    {NodeStatus.SUCCEEDED, NodeStatus.CACHED, NodeStatus.FAILED, NodeStatus.SKIPPED,
     NodeStatus.CANCELLED}
)
NODE_WAITING = frozenset({NodeStatus.PENDING, NodeStatus.READY, NodeStatus.QUEUED})


class Run(models.Model):
    workflow = models.ForeignKey(
        "workflows.Workflow", on_delete=models.CASCADE, related_name="runs"
    )
    # Versions are immutable and only ever deleted with their workflow, which takes its runs along.
    version = models.ForeignKey(
        "workflows.WorkflowVersion", on_delete=models.CASCADE, related_name="runs"
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="runs")
    status = models.CharField(max_length=16, choices=RunStatus.choices,
                              default=RunStatus.QUEUED, db_index=True)
    plan = models.JSONField(help_text="ExecutionPlan.to_dict(): the immutable compiled plan.")
    options = models.JSONField(
        default=dict, help_text="{from_node, to_node, use_cache, seed} as requested."
    )
    error = models.TextField(blank=True, default="")
    cancel_requested_at = models.DateTimeField(null=True, blank=True)
    last_seq = models.PositiveBigIntegerField(
        default=0, help_text="Sequence number of the last RunEvent (events are 1, 2, 3...)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=("workflow", "-created_at"), name="run_workflow_created"),
            models.Index(fields=("owner", "-created_at"), name="run_owner_created"),
        ]

    def __str__(self) -> str:
        return f"run {self.pk} of workflow {self.workflow_id} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in RUN_FINISHED


class NodeRun(models.Model):
    # no index of its own: node_run_unique (run, node_id) serves every lookup by run
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="nodes", db_index=False)
    node_id = models.CharField(max_length=64)
    component_id = models.CharField(max_length=200)
    component_version = models.PositiveIntegerField(default=1)
    label = models.CharField(max_length=200, blank=True, default="")
    status = models.CharField(max_length=16, choices=NodeStatus.choices,
                              default=NodeStatus.PENDING)
    attempt = models.PositiveIntegerField(default=0, help_text="Executions started so far.")
    resends = models.PositiveIntegerField(
        default=0, help_text="Times the reconciler sent this node's task again (message lost).")
    remaining_parents = models.PositiveIntegerField(
        default=0, help_text="Parents in the plan that have not finished yet (0 = can run)."
    )
    cache_key = models.CharField(max_length=64, blank=True, default="",
                                 help_text="Empty: derived at run time from input digests.")
    queue = models.CharField(max_length=16, default="cpu")
    force = models.BooleanField(default=False, help_text="Execute even on a cache hit.")
    task_id = models.CharField(max_length=64, blank=True, default="")
    unsent = models.BooleanField(default=False, help_text=(
        "Queued without a message of its own: a worker busy with this run takes it next, or "
        "the node is sent when one ends (DESIGNER_SEND_WINDOW)."))
    ready_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    progress = models.JSONField(default=dict, blank=True,
                                help_text="Last progress report {value, max, text}.")
    outputs = models.JSONField(default=dict, blank=True,
                               help_text="{port: ArtifactRef.to_dict()} once succeeded/cached.")
    error = models.TextField(blank=True, default="")
    traceback = models.TextField(blank=True, default="")

    class Meta:
        ordering = ("run_id", "id")
        constraints = [
            models.UniqueConstraint(fields=("run", "node_id"), name="node_run_unique")
        ]
        indexes = [
            models.Index(fields=("status", "queued_at"), name="node_run_status_queued"),
            # "Is any node of this run still to finish?" after every node (a few rows, not all)
            models.Index(fields=("run", "node_id"), name="node_run_active", condition=models.Q(
                status__in=["pending", "ready", "queued", "running"])),
            # "The next queued node of this run that has no message" (workers continuing a run)
            models.Index(fields=("run", "id"), name="node_run_unsent",
                         condition=models.Q(unsent=True)),
            # "The oldest queued node of this run" (a free worker takes one whose message waits)
            models.Index(fields=("run", "id"), name="node_run_queued",
                         condition=models.Q(status="queued")),
        ]

    def __str__(self) -> str:
        return f"{self.node_id} of run {self.run_id} ({self.status})"


class RunEvent(models.Model):
    """One websocket event, persisted: ``{type, run, node?, seq, ts, **payload}`` on the wire."""

    # no index of its own: run_event_unique_seq (run, seq) serves every lookup by run
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="events", db_index=False)
    seq = models.PositiveBigIntegerField()
    type = models.CharField(max_length=32)
    node_id = models.CharField(max_length=64, blank=True, default="")
    payload = models.JSONField(default=dict, blank=True)
    ts = models.DateTimeField()

    class Meta:
        ordering = ("run_id", "seq")
        constraints = [
            models.UniqueConstraint(fields=("run", "seq"), name="run_event_unique_seq")
        ]
        indexes = [models.Index(fields=("run", "type", "node_id"), name="run_event_node_type")]

    def __str__(self) -> str:
        return f"run {self.run_id} #{self.seq} {self.type}"

    def to_message(self) -> dict[str, object]:
        """The wire form (ARCHITECTURE.md §5)."""
        message: dict[str, object] = dict(self.payload)
        message.update(type=self.type, run=self.run_id, seq=self.seq, ts=self.ts.isoformat())
        if self.node_id:
            message["node"] = self.node_id
        return message
