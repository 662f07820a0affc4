"""The development server (``python -m designer.devserver``, run by ``./dev up``): web, a Celery
CPU worker and beat as child processes, with a broker chosen by ``modes.choose_mode``."""
