"""Designer components: the component framework (``components.sdk``) and the catalogue
(``components.library``). Pure Python: never imports Django, DRF, Channels or Celery."""
