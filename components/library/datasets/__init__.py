"""Data sets that ship inside scikit-learn, and synthetic generators: no downloads."""

from components.library.datasets import breast_cancer, diabetes, digits, iris, wine  # noqa: F401
