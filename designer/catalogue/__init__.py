"""The component catalogue and sample workflows, as served to the canvas (read-only, no models)."""
