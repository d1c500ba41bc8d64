"""Celery tasks of the SLA: thin, named for their effect."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone

from helpdesk import background
from sla.replan import REPLAN_CHUNK, replan_chunk, unfinished_changes

# Long enough for many chunks; a task cut short carries on in a new one.
REPLAN_SOFT_TIME_LIMIT = 240


@shared_task(
    acks_late=True,
    soft_time_limit=REPLAN_SOFT_TIME_LIMIT,
    time_limit=REPLAN_SOFT_TIME_LIMIT + 30,
)
def replan_open_tickets(change_id: int, size: int = REPLAN_CHUNK) -> None:
    """Re-plan the clocks of the open tickets an SLA change may affect, a chunk
    of `size` at a time, from where the change's re-planning stopped."""
    try:
        while replan_chunk(change_id, at=timezone.now(), size=size):
            pass
    except SoftTimeLimitExceeded:
        # The chunk under way was rolled back: carry on from the last one done.
        background.start(replan_open_tickets, change_id, size)


@shared_task(acks_late=True, soft_time_limit=REPLAN_SOFT_TIME_LIMIT)
def resume_replanning() -> int:
    """Start the re-planning of every SLA change not finished yet (its task
    was never queued, or died); return how many. Chunks lock their change,
    so running beside a task already at work only takes turns with it."""
    unfinished = unfinished_changes()
    for change_id in unfinished:
        background.start(replan_open_tickets, change_id)
    return len(unfinished)
