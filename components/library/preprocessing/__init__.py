"""Cleaning, scaling, encoding and splitting tables."""

from components.library.preprocessing import standard_scaler  # noqa: F401
