from celery import shared_task
from django.utils import timezone

from . import idempotency, tokens


@shared_task(soft_time_limit=60)
def forget_old_api_records() -> str:
    """Delete idempotency keys past their day and API tokens past expiry."""
    now = timezone.now()
    keys = idempotency.forget_old_keys(now=now)
    expired = tokens.forget_expired_tokens(now=now)
    return f"{keys} idempotency keys, {expired} expired tokens"
