"""Reading and writing files in the run's data folder (CSV, Parquet)."""
