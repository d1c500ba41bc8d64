"""Celery tasks of the customer portal."""

from celery import shared_task

from . import intake


@shared_task(soft_time_limit=50)
def open_web_requests() -> int:
    """Open the tickets of the web form's waiting requests."""
    return intake.open_waiting()
