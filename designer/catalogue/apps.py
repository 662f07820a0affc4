"""App config for the catalogue (components palette and samples)."""

from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "designer.catalogue"
    label = "catalogue"
    verbose_name = "Component catalogue"
