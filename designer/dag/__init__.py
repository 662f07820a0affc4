"""The graph engine: graph documents, validation, compilation, code export and import.
Pure Python: never imports Django, DRF, Channels or Celery."""
