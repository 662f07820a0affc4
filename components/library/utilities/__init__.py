"""Canvas helpers that do not transform data: junction points and the like."""

from components.library.utilities import passthrough  # noqa: F401
