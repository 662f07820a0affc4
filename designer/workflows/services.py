"""Writes for workflows: create, update (new immutable version on a changed graph), duplicate,
delete, import from SDK code, create from a sample.

Keyword-only ``workflow_<verb>`` functions, each one transaction; graph problems raise
``GraphRejected`` before anything is written, so nothing is ever half-saved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max

from designer.catalogue.selectors import component_registry
from designer.dag.importer import CodeImportError, code_to_graph
from designer.errors import NotFound, ServiceError
from designer.samples import list_samples, load_sample
from designer.workflows import documents
from designer.workflows.models import Workflow, WorkflowVersion

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from designer.dag.model import GraphSpec

EMPTY_GRAPH: dict[str, Any] = {"schema_version": 1, "nodes": [], "edges": []}


def _add_version(
    *, workflow: Workflow, graph: GraphSpec, user: AbstractBaseUser | None, message: str = ""
) -> WorkflowVersion | None:
    """Append a version unless ``graph`` equals the current one (same content hash)."""
    content_hash = graph.content_hash()
    # Lock the workflow row so concurrent saves compare against the true current version and get
    # consecutive numbers (not a unique violation). SQLite serializes writers anyway.
    locked = (
        Workflow.objects.select_for_update(of=("self",))
        .select_related("current_version")
        .defer("current_version__graph")  # only its hash is compared
        .get(pk=workflow.pk)
    )
    current = locked.current_version
    if current is not None and current.content_hash == content_hash:
        workflow.current_version = current
        return None
    last = workflow.versions.aggregate(n=Max("number"))["n"] or 0
    version = WorkflowVersion.objects.create(
        workflow=workflow,
        number=last + 1,
        graph=graph.canonical().to_dict(),
        content_hash=content_hash,
        created_by=user if user is not None and user.is_authenticated else None,
        message=message[:500],
    )
    workflow.current_version = version
    return version


@transaction.atomic
def workflow_create(
    *,
    owner: AbstractBaseUser,
    name: str,
    graph: Any = None,
    description: str = "",
    message: str = "",
) -> Workflow:
    """A new workflow whose version 1 holds ``graph`` (an empty graph when None)."""
    spec = documents.prepare_for_save(EMPTY_GRAPH if graph is None else graph)
    workflow = Workflow.objects.create(owner=owner, name=name, description=description)
    _add_version(workflow=workflow, graph=spec, user=owner, message=message or "created")
    workflow.save(update_fields=["current_version", "updated_at"])
    return workflow


@transaction.atomic
def workflow_update(
    *,
    workflow: Workflow,
    user: AbstractBaseUser,
    name: str | None = None,
    description: str | None = None,
    graph: Any = None,
    message: str = "",
) -> Workflow:
    """Rename / redescribe, and add a version when ``graph`` differs from the current one."""
    spec = documents.prepare_for_save(graph) if graph is not None else None
    fields: list[str] = []
    if name is not None and name != workflow.name:
        workflow.name = name
        fields.append("name")
    if description is not None and description != workflow.description:
        workflow.description = description
        fields.append("description")
    if spec is not None and _add_version(workflow=workflow, graph=spec, user=user,
                                         message=message):
        fields.append("current_version")
    if fields:
        workflow.save(update_fields=[*fields, "updated_at"])
    return workflow


COPY_SUFFIX = " (copy)"


@transaction.atomic
def workflow_duplicate(
    *, workflow: Workflow, user: AbstractBaseUser, name: str | None = None
) -> Workflow:
    """A new workflow owned by ``user`` starting from ``workflow``'s current graph."""
    source = workflow.current_version
    if not name:  # "<name> (copy)", the name shortened to fit the column
        room = Workflow._meta.get_field("name").max_length - len(COPY_SUFFIX)
        name = workflow.name[:room].rstrip() + COPY_SUFFIX
    copy = Workflow.objects.create(owner=user, name=name, description=workflow.description)
    if source is not None:
        version = WorkflowVersion.objects.create(
            workflow=copy,
            number=1,
            graph=source.graph,
            content_hash=source.content_hash,
            created_by=user,
            message=f"duplicated from workflow {workflow.pk} v{source.number}",
        )
        copy.current_version = version
        copy.save(update_fields=["current_version", "updated_at"])
    return copy


@transaction.atomic
def workflow_delete(*, workflow: Workflow) -> None:
    """Delete the workflow with its versions and runs (cascade)."""
    Workflow.objects.filter(pk=workflow.pk).update(current_version=None)
    workflow.delete()


def workflow_import_code(*, owner: AbstractBaseUser, name: str, source: str) -> Workflow:
    """A new workflow from Python SDK code (as produced by the export endpoint).

    The code is parsed, never executed. ``CodeImportError`` becomes a 400 with its line number.
    """
    if len(source.encode()) > documents.MAX_BYTES:
        raise ServiceError(
            f"The code is over {documents.MAX_BYTES:,} bytes; import a smaller script.",
            code="too_large",
        )
    try:
        graph = code_to_graph(source, component_registry())
    except CodeImportError as exc:
        line = getattr(exc, "line", None)
        message = getattr(exc, "message", None) or str(exc)
        where = f" (line {line})" if line else ""
        raise ServiceError(
            f"Cannot import this code{where}: {message}",
            code="import_error",
            extra={"line": line},
        ) from exc
    except SyntaxError as exc:
        raise ServiceError(
            f"The code is not valid Python (line {exc.lineno}): {exc.msg}",
            code="import_error",
            extra={"line": exc.lineno},
        ) from exc
    return workflow_create(owner=owner, name=name, graph=graph.to_dict(), message="imported")


def workflow_create_from_sample(
    *, owner: AbstractBaseUser, sample: str, name: str | None = None
) -> Workflow:
    """A new workflow holding the bundled sample ``sample``."""
    if sample not in list_samples():
        raise NotFound(f"No sample named {sample!r}; GET /api/samples/ lists them.")
    title, description, graph = load_sample(sample)
    return workflow_create(
        owner=owner,
        name=name or title,
        description=description,
        graph=graph.to_dict(),
        message=f"from sample {sample}",
    )
