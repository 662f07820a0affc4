"""docker-compose.yml as the deployment tests read it: the parsed file, and compose's variable
substitution (``test_deployment.py`` reads the wiring, ``test_compose_rehearsal.py`` runs it)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]


def load_compose() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert isinstance(data, dict)
    return data


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's variable substitution: ``${VAR}``, ``${VAR:-default}``, ``${VAR:?error}``
    (an error when unset or empty), ``$$`` for a literal ``$``."""

    def one(match: re.Match[str]) -> str:
        name, op, arg = match.group(1), match.group(2), match.group(3) or ""
        value = env.get(name, "")
        if op == ":?" and not value:
            raise ValueError(f"{name}: {arg}")
        return value if value or op != ":-" else arg

    value = re.sub(r"\$\{([A-Z_][A-Z0-9_]*)(?:(:-|:\?)([^}]*))?\}", one, value)
    return value.replace("$$", "$")
