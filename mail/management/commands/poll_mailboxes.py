"""`manage.py poll_mailboxes [--mailbox ID]`: read the IMAP mailboxes now,
in this process, and say what came of each."""

from django.core.management.base import BaseCommand, CommandError

from mail import polling
from mail.models import Mailbox
from mail.tasks import LOCK_SECONDS


class Command(BaseCommand):
    help = "Read every active IMAP mailbox (or one) now and take in its new mail."

    def add_arguments(self, parser):
        parser.add_argument("--mailbox", type=int, help="the id of one mailbox")

    def handle(self, *args, mailbox=None, **options):
        mailboxes = Mailbox.objects.select_related("queue")
        if mailbox is not None:
            mailboxes = mailboxes.filter(pk=mailbox)
            if not mailboxes:
                raise CommandError(f"No mailbox has the id {mailbox}.")
        else:
            mailboxes = mailboxes.filter(is_active=True).exclude(imap_host="")
        failed = False
        for box in mailboxes:
            if not box.imap_host:
                self.stdout.write(f"{box}: not read over IMAP (no host)")
                continue
            with polling.mailbox_lock(box.pk, LOCK_SECONDS) as mine:
                if not mine:
                    self.stdout.write(f"{box}: skipped, a worker is reading it")
                    continue
                result = polling.poll_mailbox(box)
            if result.error:
                failed = True
                self.stderr.write(f"{box}: failed: {result.error}")
            else:
                self.stdout.write(f"{box}: {result.taken} message(s) taken in")
        if failed:
            raise CommandError("Some mailboxes could not be read.")
