"""Shared file helpers for the io components: sandboxed paths and friendly errors.

Everything goes through ``Context.resolve_path`` / ``open_file``, so no path leaves the data folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from pydantic import Field

from components.sdk import Context


def path_field(example: str) -> Any:
    return Field(
        min_length=1,
        max_length=1000,
        description=f"Path inside the run's data folder, such as {example!r}",
    )


def relative(ctx: Context, path: str) -> str:
    """``path`` normalised relative to the data folder (refused if it escapes the folder)."""
    target = ctx.resolve_path(path)
    rel = target.relative_to(Path(ctx.data_dir or ".").resolve()).as_posix()
    if rel == ".":
        raise ValueError(f"path {path!r} names the data folder itself; add a file name")
    return rel


def open_input(ctx: Context, path: str) -> IO[Any]:
    """Open a file of the data folder for reading, with an error that says what to do."""
    rel = relative(ctx, path)
    try:
        return ctx.open_file(rel, "rb")
    except FileNotFoundError:
        raise FileNotFoundError(
            f"no file {rel!r} in the data folder; put it there or correct the path"
        ) from None


def open_output(ctx: Context, path: str) -> tuple[str, IO[Any]]:
    """The normalised relative path and a binary handle to (over)write it, folders created."""
    rel = relative(ctx, path)
    if ctx.resolve_path(rel).is_dir():
        raise IsADirectoryError(f"{rel!r} is a folder; give a file name inside it")
    return rel, ctx.open_file(rel, "wb")
