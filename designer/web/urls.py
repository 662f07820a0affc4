"""Pages of the browser app: the workflow list at ``/`` and the canvas at ``/w/<id>/``; both are
the same ``index.html``, the app reads the path. Static assets live under ``/static/app/``."""

from django.urls import path

from designer.web import views

urlpatterns = [
    path("", views.app_page, name="app"),
    path("w/<int:workflow_id>/", views.app_page, name="app-workflow"),
]
