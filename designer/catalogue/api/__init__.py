"""REST API of the catalogue app."""
