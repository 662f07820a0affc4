"""Naming rules shared by the SDK, the code exporter and the importer: automatic node ids and
Python variable names made from labels. Pure functions, no catalogue needed."""

from __future__ import annotations

import builtins
import keyword
import re
import unicodedata
from collections.abc import Callable, Collection


def _first_free(base: str, taken: Callable[[str], bool], start: dict[str, int] | None) -> str:
    """``base_2``, ``base_3``, ...: the first one not ``taken``. ``start`` (kept by a caller that
    never frees a name) remembers where each base's search ended, so the k-th name of a base
    costs one check instead of k: a 2,000-node export named its nodes in quadratic time."""
    n = start.get(base, 2) if start is not None else 2
    while taken(f"{base}_{n}"):
        n += 1
    if start is not None:
        start[base] = n  # not n + 1: the caller may not take this one
    return f"{base}_{n}"


def auto_node_id(name: str, used: Collection[str], start: dict[str, int] | None = None) -> str:
    """The id the SDK gives a node of component ``name``: ``name``, then ``name_2``, ``name_3``.
    ``start``: see ``_first_free``."""
    if name not in used:
        return name
    return _first_free(name, used.__contains__, start)


# Attribute names an SDK ``NodeHandle`` uses itself; an output port with one of these names is
# reached as ``handle["port"]`` (the exporter writes it that way).
HANDLE_ATTRIBUTES = frozenset({"id", "component", "version", "outputs", "pipeline"})

# Names an exported module uses or that would shadow something a reader relies on.
RESERVED_NAMES = frozenset(
    {
        *keyword.kwlist,
        *keyword.softkwlist,
        *dir(builtins),
        "Pipeline",
        "pipeline",
        "datasets",
        "io",
        "preprocessing",
        "training",
        "evaluation",
        "designer",
        "components",
        "result",
    }
)


def snake_case(text: str) -> str:
    """``"Train/test split"`` -> ``train_test_split``, ``"LogReg"`` -> ``log_reg``; ASCII only,
    may be empty."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", text)
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def variable_name(label: str | None, fallback: str, used: Collection[str],
                  start: dict[str, int] | None = None) -> str:
    """A fresh, readable variable name from ``label`` (or ``fallback``), never a keyword,
    builtin, a name the exported module uses, or one in ``used``. ``start``: see
    ``_first_free``."""
    base = snake_case(label or "") or snake_case(fallback) or "node"
    if base[0].isdigit():
        base = f"node_{base}"
    if len(base) > 40:
        base = base[:40].rstrip("_")
    if base in RESERVED_NAMES:
        base = f"{base}_node"
    if base not in used:
        return base
    return _first_free(base, lambda name: name in used or name in RESERVED_NAMES, start)
