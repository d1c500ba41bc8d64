"""Telling a subscription's owner that it was paused after failures."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from .models import Subscription

log = logging.getLogger(__name__)


def send_paused_notice(subscription_id: int) -> None:
    """Email the owner that their subscription stopped, why, and where to
    resume it. A failure to send is logged: the page shows a banner anyway."""
    subscription = (
        Subscription.objects.select_related("owner").filter(pk=subscription_id).first()
    )
    if subscription is None or not subscription.owner.email:
        return
    last = subscription.deliveries.exclude(last_attempt_at=None).first()
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "subscription": subscription,
            "failures": settings.WEBHOOK_PAUSE_AFTER_FAILURES,
            "last_error": last.error if last else "",
            "page_url": settings.SITE_URL + subscription.get_absolute_url(),
        }
        subject = render_to_string("emails/webhook_paused_subject.txt", context)
        text = render_to_string("emails/webhook_paused_body.txt", context)
        html = render_to_string("emails/webhook_paused_body.html", context)
    try:
        send_mail(
            " ".join(subject.split()),
            text,
            None,
            [subscription.owner.email],
            html_message=html,
        )
    except Exception:  # noqa: BLE001 - any mail server failure
        log.exception("Could not tell the owner of webhook %s", subscription_id)
