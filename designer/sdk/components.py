"""One namespace per catalogue category, one function per component, built from the registry:
``from designer.sdk.components import datasets, preprocessing`` then ``datasets.iris()``.

Each namespace is a real module (``designer.sdk.components.datasets``), so ``dir()``,
``help()`` and Jupyter completion list the components with their signatures and docs.
"""

from __future__ import annotations

import sys
import types

from components.library import load
from designer.sdk.functions import make_component_function, namespaces


class ComponentNamespace(types.ModuleType):
    """The components of one category; attributes are the component functions."""

    def __getattr__(self, name: str) -> object:
        if name.startswith("__"):
            raise AttributeError(name)
        names = ", ".join(sorted(n for n in vars(self) if not n.startswith("_")))
        raise AttributeError(
            f"{self.__name__.rsplit('.', 1)[-1]} has no component {name!r}; it has: {names}"
        )


def _build() -> list[str]:
    built = []
    for category, specs in sorted(namespaces(load()).items()):
        module = ComponentNamespace(
            f"{__name__}.{category}",
            f"Components whose ids start with ``{category}.``: " + ", ".join(sorted(specs)),
        )
        for name, spec in sorted(specs.items()):
            setattr(module, name, make_component_function(spec))
        module.__all__ = sorted(specs)  # type: ignore[attr-defined]
        sys.modules[module.__name__] = module
        globals()[category] = module
        built.append(category)
    return built


__all__ = _build()  # noqa: PLE0605 - built from the registry
