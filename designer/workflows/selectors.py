"""Reads for workflows, always scoped to the requesting user: someone else's workflow is a 404."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from designer.errors import NotFound, check_id
from designer.workflows.models import Workflow, WorkflowVersion

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def workflow_list_for_user(*, user: AbstractBaseUser) -> QuerySet[Workflow]:
    """The user's workflows, most recently updated first, with the current version joined."""
    return (
        Workflow.objects.filter(owner_id=user.pk)
        .select_related("current_version")
        .order_by("-updated_at", "-id")
    )


def workflow_get_for_user(*, user: AbstractBaseUser, workflow_id: int,
                          with_graph: bool = True) -> Workflow:
    """``with_graph=False``: without the current version's graph document (a read that only
    needs the workflow, e.g. its run history, need not parse a large graph)."""
    check_id(workflow_id, "Workflow")
    workflows = workflow_list_for_user(user=user)
    if not with_graph:
        workflows = workflows.defer("current_version__graph")
    try:
        return workflows.get(pk=workflow_id)
    except Workflow.DoesNotExist:
        raise NotFound(f"Workflow {workflow_id} not found.") from None


def version_list(*, workflow: Workflow) -> QuerySet[WorkflowVersion]:
    return workflow.versions.order_by("-number").select_related("created_by")


def version_get(*, workflow: Workflow, number: int) -> WorkflowVersion:
    check_id(number, "Version", maximum=2**31 - 1)
    try:
        return workflow.versions.get(number=number)
    except WorkflowVersion.DoesNotExist:
        raise NotFound(
            f"Workflow {workflow.pk} has no version {number}; GET .../versions/ lists them."
        ) from None
