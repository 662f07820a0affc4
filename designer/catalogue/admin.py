"""No admin: the catalogue has no models."""
