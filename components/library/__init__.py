"""The component catalogue. ``load()`` imports every category package once, which registers
their components into ``components.sdk.REGISTRY``, and returns that registry."""

from __future__ import annotations

import importlib

from components.sdk.registry import REGISTRY, Registry

CATEGORIES = (
    "datasets",
    "io",
    "preprocessing",
    "training",
    "evaluation",
    "utilities",
)


def load() -> Registry:
    """Import the whole catalogue (idempotent) and return the registry."""
    for name in CATEGORIES:
        importlib.import_module(f"{__name__}.{name}")
    return REGISTRY
