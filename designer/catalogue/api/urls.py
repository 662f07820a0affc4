"""URLs under /api/ for the catalogue."""

from django.urls import path

from designer.catalogue.api import views

urlpatterns = [
    path("components/", views.ComponentsView.as_view(), name="components"),
    path("samples/", views.SamplesView.as_view(), name="samples"),
    path("samples/<slug:name>/instantiate/", views.SampleInstantiateView.as_view(),
         name="sample-instantiate"),
]
