"""Letters and faxes an agent logs are registered as they are logged."""

from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.channels import Channel
from tickets.models import Message
from tickets.signals import contact_logged

from .services import register_incoming

REGISTERED_CHANNELS = {Channel.LETTER, Channel.FAX}


@receiver(contact_logged)
def register_logged_letter(
    sender, *, ticket, message, received_at, by, **kwargs
) -> str:
    if (
        message.direction != Message.Direction.INBOUND
        or message.channel not in REGISTERED_CHANNELS
    ):
        return ""
    entry = register_incoming(
        ticket,
        message,
        received_on=timezone.localdate(received_at),
        channel=message.channel,
        sender_name=ticket.customer.name,
        reference=message.details.get("reference", ""),
        by=by,
    )
    return _("Registered as incoming %(number)s.") % {"number": entry.number}
