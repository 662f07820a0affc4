"""Reads of the component catalogue and the bundled samples; the one place the web process loads
the registry (``components.library.load()``, once per process)."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from designer.samples import list_samples, load_sample

if TYPE_CHECKING:
    from components.sdk.registry import Registry


@lru_cache(maxsize=1)
def component_registry() -> Registry:
    """The process-wide registry with the whole catalogue imported."""
    from components.library import load

    return load()


@lru_cache(maxsize=1)
def catalogue_payload() -> tuple[bytes, str]:
    """The catalogue JSON (``registry.describe()``) rendered once, and its ETag."""
    body = json.dumps(component_registry().describe(), separators=(",", ":"), default=str).encode()
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def sample_list() -> list[dict[str, Any]]:
    """Every bundled sample: ``{name, title, description, nodes, edges}``."""
    out: list[dict[str, Any]] = []
    for name in list_samples():
        title, description, graph = load_sample(name)
        out.append(
            {
                "name": name,
                "title": title,
                "description": description,
                "nodes": len(graph.nodes),
                "edges": len(graph.edges),
            }
        )
    return out
