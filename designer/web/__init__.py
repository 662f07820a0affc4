"""Serves the browser canvas: the built single-page app (``frontend/dist``) behind the login."""
