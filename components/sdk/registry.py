"""The component registry: lookup by (id, version) and the catalogue JSON for the palette.

There is one process-wide ``REGISTRY``; ``components.library`` fills it by importing the
category packages. Tests may build private ``Registry`` instances.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from components.sdk.types import describe_types

if TYPE_CHECKING:
    from components.sdk.spec import ComponentSpec


class UnknownComponent(LookupError):
    """No component with this id (or this version of it) is registered."""


class Registry:
    def __init__(self) -> None:
        self._specs: dict[tuple[str, int], ComponentSpec] = {}
        self._latest: dict[str, int] = {}
        self._describe_cache: dict[str, Any] | None = None

    def register(self, spec: ComponentSpec) -> None:
        existing = self._specs.get(spec.key)
        if existing is not None:
            same = (
                existing.func.__module__ == spec.func.__module__
                and existing.func.__qualname__ == spec.func.__qualname__
            )
            if not same:
                raise ValueError(
                    f"component {spec.id} version {spec.version} is registered twice "
                    f"({existing.func.__module__} and {spec.func.__module__}); bump the version "
                    "or rename one"
                )
        self._specs[spec.key] = spec
        self._latest[spec.id] = max(self._latest.get(spec.id, 0), spec.version)
        self._describe_cache = None

    def get(self, component_id: str, version: int | None = None) -> ComponentSpec:
        """The spec for ``component_id`` at ``version`` (default: the latest)."""
        if version is None:
            version = self._latest.get(component_id)
        spec = self._specs.get((component_id, version)) if version is not None else None
        if spec is None:
            if component_id in self._latest:
                raise UnknownComponent(
                    f"component {component_id!r} has no version {version}; "
                    f"known: {self.versions(component_id)}"
                )
            raise UnknownComponent(f"unknown component {component_id!r}")
        return spec

    def find(self, component_id: str, version: int | None = None) -> ComponentSpec | None:
        try:
            return self.get(component_id, version)
        except UnknownComponent:
            return None

    def versions(self, component_id: str) -> list[int]:
        return sorted(v for (cid, v) in self._specs if cid == component_id)

    def latest_version(self, component_id: str) -> int | None:
        return self._latest.get(component_id)

    def all(self) -> list[ComponentSpec]:
        """Every registered spec, sorted by id then version."""
        return [self._specs[k] for k in sorted(self._specs)]

    def latest(self) -> list[ComponentSpec]:
        """The latest version of each component, sorted by id."""
        return [self._specs[(cid, v)] for cid, v in sorted(self._latest.items())]

    def __len__(self) -> int:
        return len(self._specs)

    def __contains__(self, key: object) -> bool:
        return key in self._specs

    def describe(self) -> dict[str, Any]:
        """The whole catalogue as JSON: types, compatibility, categories and every component."""
        if self._describe_cache is None:
            specs = self.all()
            categories = sorted({s.category for s in specs})
            self._describe_cache = {
                **describe_types(),
                "categories": categories,
                "components": [s.describe() for s in specs],
            }
        return self._describe_cache


REGISTRY = Registry()
