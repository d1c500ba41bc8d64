"""Rebuild the search columns of tickets and customers (after an import)."""

from django.core.management.base import BaseCommand

from tickets import services


class Command(BaseCommand):
    help = "Rebuild the search terms of every ticket and customer, in batches."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=2000)

    def handle(self, *args, batch, **options):
        tickets, customers = services.reindex_search(batch=batch)
        self.stdout.write(f"Indexed {tickets} tickets and {customers} customers.")
