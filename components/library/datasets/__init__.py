"""Data sets that ship inside scikit-learn, and synthetic generators: no downloads."""

from components.library.datasets import (  # noqa: F401
    breast_cancer,
    diabetes,
    digits,
    iris,
    make_blobs,
    make_classification,
    make_regression,
    wine,
)
