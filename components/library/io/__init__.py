"""Reading and writing files in the run's data folder (CSV, Parquet)."""

from components.library.io import read_csv, read_parquet, write_csv, write_parquet  # noqa: F401
