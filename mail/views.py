"""The endpoint mail servers deliver to: `POST /inbound/email/` with the raw
message as the body and `Authorization: Bearer <INBOUND_EMAIL_SECRET>`."""

import hmac
import logging

from django.conf import settings
from django.db import DatabaseError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django_ratelimit.core import is_ratelimited

from .intake import ingest
from .models import InboundEmail, Mailbox

log = logging.getLogger(__name__)
# The body may be a little larger than the quarantine's limit: such a message
# is still kept (quarantined as too large); beyond this the server is told
# no, and keeps or returns the message itself.
HARD_LIMIT_FACTOR = 2


def _error(status: int, code: str, message: str, **headers) -> JsonResponse:
    response = JsonResponse({"error": code, "detail": message}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _authorised(request) -> bool:
    secret = settings.INBOUND_EMAIL_SECRET
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if not secret or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), secret.encode())


@csrf_exempt
def inbound_email(request):
    if request.method != "POST":
        return _error(405, "method_not_allowed", "POST the raw message.", Allow="POST")
    if not settings.INBOUND_EMAIL_SECRET:
        return _error(503, "not_configured", "INBOUND_EMAIL_SECRET is not set.")
    if is_ratelimited(
        request,
        group="inbound-email",
        key="ip",
        rate=settings.INBOUND_EMAIL_RATE,
        increment=True,
    ):
        return _error(
            429, "rate_limited", "Too many messages; retry later.", Retry_After="60"
        )
    if not _authorised(request):
        return _error(
            401,
            "unauthorised",
            "A valid bearer secret is required.",
            WWW_Authenticate="Bearer",
        )
    limit = settings.EMAIL_MAX_BYTES * HARD_LIMIT_FACTOR
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        return _error(400, "bad_length", "Content-Length is not a number.")
    if length > limit:
        return _error(413, "too_large", f"The message is larger than {limit} bytes.")
    # Read from the stream: request.body would refuse anything over
    # DATA_UPLOAD_MAX_MEMORY_SIZE, far below a message with attachments.
    raw = request.read(limit + 1)
    if len(raw) > limit:
        return _error(413, "too_large", f"The message is larger than {limit} bytes.")
    if not raw.strip():
        return _error(400, "empty", "The body must be the raw RFC 5322 message.")
    mailbox = None
    if address := request.GET.get("mailbox", "").strip():
        mailbox = Mailbox.objects.filter(email_address__iexact=address).first()
        if mailbox is None:
            return _error(
                400, "unknown_mailbox", f"No mailbox has the address {address}."
            )
    try:
        result = ingest(raw, mailbox=mailbox, source=InboundEmail.Source.HTTP)
    except DatabaseError:
        # Not stored: the server must keep the message and try again.
        log.exception("An inbound email could not be stored.")
        return _error(
            503,
            "unavailable",
            "Could not store the message; retry later.",
            Retry_After="60",
        )
    return JsonResponse(result.as_json(), status=202)
