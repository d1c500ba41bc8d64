"""The memos' figure on the supervisor dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q

from .models import Memo


@dataclass(frozen=True)
class MemoFigures:
    """Open memos addressed to the supervisor's queues, and how many are late."""

    open: int
    overdue: int


def memo_figures(
    queues: tuple[int, ...] | None, now: datetime, queue: int | None = None
) -> MemoFigures:
    """Open memos to `queues` (None: every queue), narrowed to `queue` when
    chosen, and those past their due time at `now`: one query over the
    partial index of open memos."""
    memos = Memo.objects.open()
    if queues is not None:
        memos = memos.filter(to_queue_id__in=queues)
    if queue is not None:
        memos = memos.filter(to_queue_id=queue)
    counts = memos.aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_at__lte=now))
    )
    return MemoFigures(open=counts["open"], overdue=counts["overdue"])
