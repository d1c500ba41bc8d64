"""IMAP fetch of a large backlog: messages per second, and memory that stays
at one batch.

Starts a Dovecot of its own on loopback (tests/imap_server.py), drops
`--messages` typical 30 KB messages straight into a mailbox's maildir, then
reads them all with the real poller (`mail.imap.read_mailbox`: search, sizes,
`BODY.PEEK[]` in batches, \\Seen flag and `last_uid` saved per message) into a
counting stand-in for intake, so the figure is the IMAP side alone (intake has
its own scenario). Peak Python memory is traced (tracemalloc) during the read
and compared with the size of one batch and of the whole backlog. Usage:
``python bench/imap_bench.py [--messages N] [--batch N]`` (needs the
database of DATABASE_URL, migrated; `make bench` runs it after the others).
"""

import argparse
import os
import random
import sys
import time
import tracemalloc
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MESSAGE_BYTES = 30_000
WORDS = ["order", "parcel", "invoice", "refund", "طلب", "شحنة", "فاتورة", "استرداد"]


@dataclass
class Run:
    messages: int
    total_bytes: int
    batch: int
    seconds: float
    peak_bytes: int

    @property
    def per_second(self) -> float:
        return self.messages / self.seconds if self.seconds else 0.0


def typical_message(rng: random.Random) -> bytes:
    """About 30 KB: a short text and a base64 attachment, like customer mail.
    NUMBER in it is replaced by each message's own."""
    message = EmailMessage()
    message["From"] = "customerNUMBER@example.com"
    message["To"] = "support@example.org"
    message["Subject"] = "Request NUMBER"
    message["Message-ID"] = "<bench-imap-NUMBER@example.com>"
    message.set_content(" ".join(rng.choice(WORDS) for _ in range(200)))
    message.add_attachment(
        rng.randbytes(MESSAGE_BYTES * 3 // 4 - 2000),
        maintype="application",
        subtype="pdf",
        filename="invoice.pdf",
    )
    return message.as_bytes()


def measure(messages: int, batch: int, say=print) -> Run:
    """Fill a fresh Dovecot mailbox with `messages` and read them all once."""
    from mail import imap
    from mail.models import Mailbox
    from tests.imap_server import PASSWORD, DovecotServer
    from tickets.models import Queue

    server = DovecotServer()
    server.start()
    mailbox = queue = None
    made_queue = False
    try:
        queue, made_queue = Queue.objects.get_or_create(
            slug="bench-imap", defaults={"name": "Bench IMAP"}
        )
        os.environ["BENCH_IMAP_PASSWORD"] = PASSWORD
        mailbox = Mailbox.objects.create(
            name="Bench IMAP",
            email_address="bench-imap@example.org",
            queue=queue,
            imap_host="127.0.0.1",
            imap_port=server.port,
            imap_security=Mailbox.Security.NONE,
            imap_user="bench",
            imap_secret_env="BENCH_IMAP_PASSWORD",
        )
        template = typical_message(random.Random(11))
        say(f"Writing {messages:,} messages into the maildir...")
        sizes = []

        def backlog():
            for n in range(messages):
                raw = template.replace(b"NUMBER", str(n).encode())
                sizes.append(len(raw))
                yield raw

        server.drop_in_maildir("bench", backlog())
        taken = 0

        def count(raw, *, mailbox, source):
            nonlocal taken
            taken += 1

        tracemalloc.start()
        began = time.perf_counter()
        imap.read_mailbox(mailbox, ingest=count, batch_size=batch)
        seconds = time.perf_counter() - began
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert taken == messages, f"read {taken} of {messages}"
        return Run(messages, sum(sizes), batch, seconds, peak)
    finally:
        if mailbox is not None:
            mailbox.delete()
        if made_queue:
            queue.delete()
        server.remove()


def table(run: Run) -> list[str]:
    """The markdown table `make bench` prints."""
    one_batch = run.total_bytes / run.messages * run.batch
    return [
        "",
        "## IMAP fetch of a backlog (one mailbox, loopback Dovecot)",
        "Bodies in batches of "
        f"{run.batch}; intake replaced by a counter; tracemalloc on during the read.",
        "",
        "| messages | backlog MB | seconds | messages/s | one batch MB "
        "| peak Python memory MB |",
        "|---:|---:|---:|---:|---:|---:|",
        f"| {run.messages:,} | {run.total_bytes / 1e6:,.0f} | {run.seconds:.1f} "
        f"| {run.per_second:,.0f} | {one_batch / 1e6:.1f} "
        f"| {run.peak_bytes / 1e6:.1f} |",
    ]


def report(say, *, messages: int = 10_000, batch: int = 50) -> bool:
    """Run and print; True when memory stayed within a few batches."""
    run = measure(messages, batch, say)
    say(*table(run))
    one_batch = run.total_bytes / run.messages * run.batch
    return run.peak_bytes < 4 * one_batch + 5_000_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=50)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()

    def say(*lines: str) -> None:
        for line in lines:
            print(line, flush=True)

    sys.exit(0 if report(say, messages=args.messages, batch=args.batch) else 1)


if __name__ == "__main__":
    main()
