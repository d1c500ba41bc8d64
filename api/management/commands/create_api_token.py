"""manage.py create_api_token USERNAME [--name NAME] [--days N | --never]: print
a new key for a user;
manage.py create_api_token --integration NAME --queues CODE,CODE
[--customer-facing]: the same for an integration account, made (or given
those queues and that kind) first."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.integrations import (
    Kind,
    change_integration,
    create_integration,
    integration_accounts,
)
from api.tokens import create_token, default_days, lifetime_allowed, max_days
from tickets.models import Queue


class Command(BaseCommand):
    help = (
        "Print a new API token for USERNAME, or for the integration account "
        "--integration NAME, sent as `Authorization: Token <key>`. The key is "
        "shown only this once."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?")
        parser.add_argument("--name", default="Command line")
        life = parser.add_mutually_exclusive_group()
        life.add_argument("--days", type=int)
        life.add_argument(
            "--never", action="store_true", help="A token that never expires."
        )
        parser.add_argument(
            "--integration",
            metavar="NAME",
            help="An integration account's name: made if it does not exist.",
        )
        parser.add_argument(
            "--queues",
            help="Comma-separated queue codes the integration works (all of them).",
        )
        parser.add_argument(
            "--customer-facing",
            action="store_true",
            help="The integration never reads or writes internal notes.",
        )

    def handle(self, *args, username, name, days, never, integration, **options):
        if bool(username) == bool(integration):
            raise CommandError("Give either USERNAME or --integration NAME.")
        days = None if never else (default_days() if days is None else days)
        if not lifetime_allowed(days):
            cap = max_days()
            raise CommandError(
                f"--days must be between 1 and {cap} (API_TOKEN_MAX_DAYS)."
                if days is not None
                else "API_TOKEN_MAX_DAYS does not allow tokens that never expire."
            )
        if integration:
            user = self._integration(integration, **options)
        else:
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"No user is called {username!r}.")
        if not user.is_active:
            raise CommandError(
                f"{user.username} is deactivated: a token would not work."
            )
        _token, key = create_token(user, name=name, days=days)
        self.stdout.write(key)

    def _integration(self, username, *, queues, customer_facing, **options):
        kind = Kind.CUSTOMER_FACING if customer_facing else Kind.INTEGRATION
        chosen = None
        if queues is not None:
            codes = {code.strip() for code in queues.split(",") if code.strip()}
            chosen = list(Queue.objects.filter(slug__in=codes))
            missing = codes - {queue.slug for queue in chosen}
            if missing:
                raise CommandError(
                    f"No queue has the code {', '.join(sorted(missing))}."
                )
        account = integration_accounts().filter(username=username).first()
        if account is None:
            if get_user_model().objects.filter(username=username).exists():
                raise CommandError(
                    f"{username} is a person's account, not an integration's."
                )
            if not chosen:
                raise CommandError("A new integration needs --queues.")
            return create_integration(username=username, kind=kind, queues=chosen)
        if chosen is not None:
            change_integration(
                account, kind=kind, queues=chosen, is_active=account.is_active
            )
        return account
