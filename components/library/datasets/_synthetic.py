"""Shared helpers for the synthetic data set generators: seed choice, columns and schemas."""

from __future__ import annotations

from typing import Any

import pandas as pd
from pydantic import Field

from components.sdk import Context, TableSchema

MAX_SEED = 2**32 - 1


def random_state_field() -> Any:
    return Field(None, ge=0, le=MAX_SEED, description="Seed; empty = the run's seed for this node")


def seed(random_state: int | None, ctx: Context) -> int:
    """The explicit ``random_state`` parameter, or the node's seed from the run."""
    return ctx.random_state if random_state is None else random_state


def to_table(x: Any, y: Any) -> pd.DataFrame:
    """Feature columns ``x0, x1, ...`` followed by ``target``."""
    frame = pd.DataFrame(x, columns=[f"x{i}" for i in range(x.shape[1])])
    frame["target"] = y
    return frame


def synthetic_schema(n_features: int, target_kind: str) -> TableSchema:
    features = [(f"x{i}", "float") for i in range(n_features)]
    return TableSchema.of([*features, ("target", target_kind)])
