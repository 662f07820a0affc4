"""Workflows: owned, named graphs with immutable, content-hashed versions."""
