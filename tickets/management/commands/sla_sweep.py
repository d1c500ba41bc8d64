from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from helpdesk import background
from sla.sweep import run_sweep
from tickets.tasks import send_notification_emails


class Command(BaseCommand):
    help = (
        "Run one SLA sweep now, or as if at --at (ISO 8601), and print what it "
        "recorded. Rehearsals record for real: use a copy of the data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--at",
            help="sweep as if at this time, e.g. 2026-12-03T09:00+03:00 "
            "(without an offset: the department's time zone)",
        )

    def handle(self, *args, at=None, **options):
        now = _parse(at) if at else timezone.now()
        result = run_sweep(now)
        self.stdout.write(str(result))
        if result.notifications:
            background.start(send_notification_emails)


def _parse(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"--at wants an ISO 8601 time such as 2026-12-03T09:00, not {text!r}."
        ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment
