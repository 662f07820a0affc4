"""Settings from the environment: the DATABASE_URL parser and boolean/list helpers."""

from __future__ import annotations

from pathlib import Path

import pytest

from designer.envconf import (
    ConfigError,
    database_from_url,
    env_bool,
    env_json_object,
    env_list,
)


def test_postgres_url() -> None:
    db = database_from_url("postgres://u:p%40ss@db.example:5433/app?sslmode=require",
                           base_dir=Path("/srv"))
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "app", "u", "p@ss", "db.example", "5433")
    assert db["OPTIONS"] == {"sslmode": "require"}


def test_postgres_url_without_password_or_port() -> None:
    db = database_from_url("postgresql://postgres@127.0.0.1/designer", base_dir=Path("."))
    assert (db["USER"], db["PASSWORD"], db["PORT"]) == ("postgres", "", "")


def test_sqlite_urls(tmp_path: Path) -> None:
    rel = database_from_url("sqlite:///var/x.sqlite3", base_dir=tmp_path)
    assert rel["NAME"] == str(tmp_path / "var" / "x.sqlite3")
    absolute = database_from_url(f"sqlite:///{tmp_path}/abs.sqlite3", base_dir=Path("/nowhere"))
    assert absolute["NAME"] == f"{tmp_path}/abs.sqlite3"
    assert "journal_mode=WAL" in rel["OPTIONS"]["init_command"]
    assert rel["OPTIONS"]["timeout"] > 0


@pytest.mark.parametrize("url", ["mysql://x@y/z", "postgres://u@h:5432/"])
def test_unusable_urls_say_what_to_write(url: str) -> None:
    with pytest.raises(ConfigError, match="postgres://"):
        database_from_url(url, base_dir=Path("."))


def test_env_helpers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_FLAG", "Yes")
    monkeypatch.setenv("X_LIST", "a.example, b.example,,")
    assert env_bool("X_FLAG") is True
    assert env_bool("X_MISSING", True) is True
    assert env_list("X_LIST", []) == ["a.example", "b.example"]
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ConfigError, match="not a boolean"):
        env_bool("X_FLAG")


def test_numbers_and_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    from designer.envconf import env_choice, env_number

    monkeypatch.setenv("X_N", "2.5")
    monkeypatch.setenv("X_C", "Inline")
    assert env_number("X_N", 1) == 2.5 and env_number("X_UNSET", 7) == 7
    assert env_choice("X_C", ("celery", "inline"), "celery") == "inline"
    monkeypatch.setenv("X_N", "-1")
    with pytest.raises(ConfigError, match="below 0"):
        env_number("X_N", 1)
    monkeypatch.setenv("X_N", "ten")
    with pytest.raises(ConfigError, match="not a number"):
        env_number("X_N", 1)
    monkeypatch.setenv("X_C", "rabbit")
    with pytest.raises(ConfigError, match="not one of celery, inline"):
        env_choice("X_C", ("celery", "inline"), "celery")


def test_json_objects(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPTS", '{"client_kwargs": {"endpoint_url": "http://minio:9000"}}')
    assert env_json_object("OPTS") == {"client_kwargs": {"endpoint_url": "http://minio:9000"}}
    monkeypatch.setenv("OPTS", "")
    assert env_json_object("OPTS") == {}
    monkeypatch.setenv("OPTS", "{anon: true}")
    with pytest.raises(ConfigError, match="OPTS is not valid JSON"):
        env_json_object("OPTS")
    monkeypatch.setenv("OPTS", "[1]")
    with pytest.raises(ConfigError, match="must be a JSON object"):
        env_json_object("OPTS")
