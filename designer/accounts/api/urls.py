"""URLs under /api/ for accounts."""

from django.urls import path

from designer.accounts.api import views

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="auth-token"),
    path("me/", views.MeView.as_view(), name="me"),
]
