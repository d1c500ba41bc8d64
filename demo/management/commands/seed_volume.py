"""Add a large, realistic volume of tickets for benchmarks: see demo/volume.py."""

from django.core.management.base import BaseCommand, CommandError

from demo.volume import seed_volume


class Command(BaseCommand):
    help = (
        "Add N realistic tickets with customers, messages, events and SLA "
        "clocks (COPY on PostgreSQL). Additive: running it twice adds twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tickets", type=int, required=True, help="how many")
        parser.add_argument("--seed", type=int, help="random seed, for the same data")
        parser.add_argument(
            "--batch", type=int, default=25_000, help="tickets per transaction"
        )

    def handle(self, *args, tickets, seed, batch, **options):
        """Seed, printing progress per batch and the rate at the end."""
        if tickets < 1 or batch < 1:
            raise CommandError("--tickets and --batch must be positive.")
        totals = seed_volume(
            tickets,
            seed=seed,
            batch=batch,
            progress=self.stdout.write if options["verbosity"] else lambda line: None,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {totals.tickets:,} tickets, {totals.customers:,} customers, "
                f"{totals.messages:,} messages, {totals.events:,} events, "
                f"{totals.clocks:,} SLA clocks and {totals.milestones:,} milestones "
                f"in {totals.seconds:.1f} s "
                f"({totals.rows / totals.seconds:,.0f} rows/s)."
            )
        )
