"""Sample graphs on bundled data sets, for the canvas's "open sample" menu, the CLI and tests.

Each ``<name>.json`` holds ``{"title", "description", "graph"}``; ``graph`` is a graph document.
"""

from __future__ import annotations

import json
from importlib import resources

from designer.dag.model import GraphSpec


def list_samples() -> list[str]:
    """Names of the bundled samples, sorted (``load_sample`` takes one)."""
    files = resources.files(__name__).iterdir()
    return sorted(f.name.removesuffix(".json") for f in files if f.name.endswith(".json"))


def load_sample(name: str) -> tuple[str, str, GraphSpec]:
    """``(title, description, graph)`` of sample ``name``."""
    if name not in list_samples():
        raise KeyError(f"no sample {name!r}; samples: {', '.join(list_samples())}")
    data = json.loads(resources.files(__name__).joinpath(f"{name}.json").read_text("utf-8"))
    return data["title"], data["description"], GraphSpec.from_json(data["graph"])
