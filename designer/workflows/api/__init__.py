"""REST API of the workflows app."""
