"""``manage.py designer_bootstrap``: first-run setup, safe to repeat after ``migrate``.

Creates the first superuser from ``DESIGNER_ADMIN_USER`` / ``DESIGNER_ADMIN_PASSWORD`` (or says
how to create one) and gives that user the sample workflows it does not have yet.
"""

from __future__ import annotations

import os
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from designer.accounts.services import samples_ensure, superuser_ensure


class Command(BaseCommand):
    help = "Create the first user (from DESIGNER_ADMIN_USER/PASSWORD) and load sample workflows."

    def handle(self, *args: Any, **options: Any) -> None:
        username = os.environ.get("DESIGNER_ADMIN_USER", "").strip()
        password = os.environ.get("DESIGNER_ADMIN_PASSWORD", "")
        users = get_user_model()
        if username and password:
            user, created = superuser_ensure(
                username=username, password=password,
                email=os.environ.get("DESIGNER_ADMIN_EMAIL", ""),
            )
            verb = "created" if created else "exists"
            self.stdout.write(f"superuser {username!r} {verb}")
        else:
            user = users.objects.filter(is_superuser=True).order_by("id").first()
            if user is None:
                self.stdout.write(
                    "No user yet. Create one with:\n"
                    "  DESIGNER_ADMIN_USER=admin DESIGNER_ADMIN_PASSWORD=... "
                    ".venv/bin/python manage.py designer_bootstrap\n"
                    "or interactively: .venv/bin/python manage.py createsuperuser\n"
                    "then run designer_bootstrap again to load the sample workflows."
                )
                return
            self.stdout.write(f"using existing superuser {user.get_username()!r}")
        created_samples = samples_ensure(owner=user, say=self.stdout.write)
        self.stdout.write(f"samples: {created_samples} created")
