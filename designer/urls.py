"""Root URLconf: the REST API under /api/, its schema and docs, admin, browser login, and the
canvas app (``designer.web``) at ``/`` and ``/w/<id>/``."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

api = [
    path("", include("designer.accounts.api.urls")),
    path("", include("designer.catalogue.api.urls")),
    path("", include("designer.workflows.api.urls")),
    path("", include("designer.runs.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
]

urlpatterns = [
    path("api/", include(api)),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("designer.web.urls")),  # the canvas: / and /w/<id>/
]

handler404 = "designer.api.views.not_found"
handler500 = "designer.api.views.server_error"
