"""Shared REST plumbing for every app: exception handler, pagination, JSON error pages and
schema helpers."""
