"""Writes for accounts: issuing API tokens and first-run bootstrap (first user, samples)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from rest_framework.authtoken.models import Token

from designer.errors import ServiceError
from designer.samples import list_samples, load_sample
from designer.workflows.models import Workflow
from designer.workflows.services import workflow_create_from_sample


def token_issue(*, username: str, password: str) -> str:
    """The user's API token (created on first use) for a valid username and password."""
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        raise ServiceError(
            "Unable to sign in with that username and password; check both, or ask an "
            "administrator to create the account.",
            code="invalid_credentials",
        )
    token, _ = Token.objects.get_or_create(user=user)
    return str(token.key)


@transaction.atomic
def superuser_ensure(*, username: str, password: str, email: str = "") -> tuple[AbstractBaseUser,
                                                                                bool]:
    """The superuser ``username``, created with ``password`` if missing. Returns (user, created).
    An existing user keeps its password."""
    users = get_user_model()
    user = users.objects.filter(username=username).first()
    if user is not None:
        return user, False
    return users.objects.create_superuser(username=username, email=email, password=password), True


def samples_ensure(*, owner: AbstractBaseUser, say: Callable[[str], None] = print) -> int:
    """Give ``owner`` one workflow per bundled sample it does not have yet (by name).
    Idempotent. Returns how many were created."""
    have = set(Workflow.objects.filter(owner=owner).values_list("name", flat=True))
    created = 0
    for name in list_samples():
        title, _, _ = load_sample(name)
        if title in have:
            continue
        workflow_create_from_sample(owner=owner, sample=name)
        say(f"  sample workflow created: {title}")
        created += 1
    return created
