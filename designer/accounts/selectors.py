"""Reads for accounts."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser


def user_profile(*, user: AbstractBaseUser) -> dict[str, Any]:
    return {
        "id": user.pk,
        "username": user.get_username(),
        "email": getattr(user, "email", ""),
        "first_name": getattr(user, "first_name", ""),
        "last_name": getattr(user, "last_name", ""),
        "is_staff": bool(getattr(user, "is_staff", False)),
    }
