"""Adapters that turn third-party libraries into components: ``sklearn`` (constraints -> Params),
``sklearn_components`` (generated trainers), ``training`` (steps every trainer shares)."""
