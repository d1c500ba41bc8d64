"""`manage.py ingest_email FILE|-`: take in one raw RFC 5322 message."""

import sys

from django.core.management.base import BaseCommand, CommandError

from mail.intake import ingest
from mail.models import InboundEmail, Mailbox


class Command(BaseCommand):
    help = "Read one raw email from FILE (or - for standard input) and take it in."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a file holding one RFC 5322 message, or -")
        parser.add_argument(
            "--mailbox",
            help="the address of the mailbox it came to (its queue gets new tickets)",
        )

    def handle(self, *args, file, mailbox=None, **options):
        box = None
        if mailbox:
            box = Mailbox.objects.filter(email_address__iexact=mailbox).first()
            if box is None:
                raise CommandError(f"No mailbox has the address {mailbox}.")
        try:
            raw = sys.stdin.buffer.read() if file == "-" else _read(file)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        result = ingest(raw, mailbox=box, source=InboundEmail.Source.COMMAND)
        self.stdout.write(result.describe())


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()
