"""Realtime: the run websocket (``/ws/runs/<id>/``) and the publisher that feeds it."""
