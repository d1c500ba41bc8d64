"""How a memo's deadline reads: due in, overdue by, answered in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sla.display import format_duration

from .models import Memo


@dataclass(frozen=True)
class MemoLine:
    memo: Memo
    overdue: bool
    # Until due while open (negative once overdue); the working time the answer
    # took once answered (the memo clock's time used).
    left: timedelta | None
    taken: timedelta | None

    @property
    def left_text(self) -> str:
        return format_duration(self.left) if self.left is not None else ""

    @property
    def taken_text(self) -> str:
        return format_duration(self.taken, days=False) if self.taken is not None else ""

    @property
    def late(self) -> bool:
        """Answered after its due time."""
        memo = self.memo
        return memo.answered_at is not None and memo.answered_at > memo.due_at


def memo_line(memo: Memo, now: datetime) -> MemoLine:
    """`memo` as lists and cards show it at `now` (its clock select_related)."""
    if memo.is_open:
        left = memo.due_at - now
        return MemoLine(memo, left < timedelta(0), left, None)
    taken = memo.clock.used if memo.clock else memo.answered_at - memo.sent_at
    return MemoLine(memo, False, None, taken)
