import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Create the first administrator from ADMIN_USERNAME (default admin), "
        "ADMIN_EMAIL and ADMIN_PASSWORD, unless that user exists already. Safe "
        "to run on every start: an existing user, and its password, are left "
        "alone; without ADMIN_PASSWORD it does nothing."
    )

    def handle(self, *args, **options):
        username = os.environ.get("ADMIN_USERNAME") or "admin"
        email = os.environ.get("ADMIN_EMAIL", "")
        password = os.environ.get("ADMIN_PASSWORD", "")
        user_model = get_user_model()

        if user_model._default_manager.filter(username__iexact=username).exists():
            self.stdout.write(f"User {username!r} exists already: left unchanged.")
            return
        if not password:
            self.stdout.write(
                "ADMIN_PASSWORD is not set: no administrator created "
                "(or run `manage.py createsuperuser`)."
            )
            return
        user = user_model(username=username, email=email)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(
                "ADMIN_PASSWORD is too weak: " + " ".join(error.messages)
            ) from None
        user_model._default_manager.create_superuser(username, email, password)
        self.stdout.write(f"Administrator {username!r} created.")
