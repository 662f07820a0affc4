"""Runs: compiled plans of a workflow version, per-node state, and the persisted event stream."""
