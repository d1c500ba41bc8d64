"""Celery tasks: thin, named for their effect."""

from celery import shared_task
from django.core.management import call_command


@shared_task
def clear_expired_sessions() -> None:
    """Delete expired sessions so the session table stays small."""
    call_command("clearsessions")
