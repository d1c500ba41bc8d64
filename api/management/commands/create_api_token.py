"""manage.py create_api_token USERNAME [--name NAME] [--days N]: print a new key."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.tokens import DEFAULT_DAYS, MAX_DAYS, create_token


class Command(BaseCommand):
    help = (
        "Print a new API token for USERNAME, sent by integrations as "
        "`Authorization: Token <key>`. The key is shown only this once."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="Command line")
        parser.add_argument("--days", type=int, default=DEFAULT_DAYS)

    def handle(self, *args, username, name, days, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user is called {username!r}.")
        if not user.is_active:
            raise CommandError(f"{username} is deactivated: a token would not work.")
        if not 1 <= days <= MAX_DAYS:
            raise CommandError(f"--days must be between 1 and {MAX_DAYS}.")
        _token, key = create_token(user, name=name, days=days)
        self.stdout.write(key)
