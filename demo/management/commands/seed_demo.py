from django.core.management.base import BaseCommand

from demo.seed import DEFAULT_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Create the demo users, queues, customers and tickets (safe to re-run)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help="Password for new demo accounts (default: %(default)s).",
        )

    def handle(self, *args, password, **options):
        report = seed_demo(password=password)
        made = ", ".join(f"{count} {what}" for what, count in report.created.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data ready (created {made})."))
