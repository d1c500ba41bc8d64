"""The timeline under business_calendar: working time cached in blocks of days, in µs.

A calendar's working intervals are worked out a block of `BLOCK_DAYS` local
days at a time, merged and stored as UTC microseconds with running totals, so
that a due time or a time used is a couple of bisections. The blocks are kept
per calendar (`BusinessCalendar.block_cache`) and shared between equal
calendars. Pure, like `business_calendar.py`: no clock, database or Django.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from sla.business_calendar import BusinessCalendar

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
US = timedelta(microseconds=1)
DAY_US = 86_400_000_000
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
# Days per cached block of the timeline: long enough that typical targets
# (hours to a few days) stay inside one block, short enough to build quickly.
BLOCK_DAYS = 64
# Blocks whose days and neighbouring days all exist as dates.
_BLOCKS = range(1, date.max.toordinal() // BLOCK_DAYS - 1)


@dataclass(frozen=True, slots=True)
class Block:
    """Merged working intervals, in UTC microseconds, of `BLOCK_DAYS` local days."""

    # Blocks tile the timeline: block k covers instants [lo, hi) and block
    # k + 1 starts at its hi. cum[i] is the business time in the block before
    # interval i, so cum[-1] is the block's total.
    lo: int
    hi: int
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    cum: tuple[int, ...]

    @property
    def total(self) -> int:
        return self.cum[-1]

    def used_before(self, t: int) -> int:
        """Return the business time in the block before instant `t`."""
        i = bisect_right(self.starts, t)
        if i and t < self.ends[i - 1]:
            return self.cum[i - 1] + t - self.starts[i - 1]
        return self.cum[i]


def block_at(calendar: BusinessCalendar, index: int) -> Block:
    """Return block `index` of the calendar's timeline, built on first use."""
    blocks = calendar.block_cache
    block = blocks.get(index)
    if block is None:
        if index not in _BLOCKS:
            raise OverflowError("business time runs outside the years 1-9999")
        if len(blocks) > 4096:
            blocks.clear()
        block = blocks[index] = _shared_block(calendar, index)
    return block


def locate(calendar: BusinessCalendar, t: int) -> tuple[int, Block]:
    """Return the index and the block that holds instant `t`."""
    # The UTC day is within a day of the local one, so the guess is at most
    # one block away.
    index = (t // DAY_US + EPOCH_ORDINAL) // BLOCK_DAYS
    block = block_at(calendar, index)
    while t < block.lo:
        index -= 1
        block = block_at(calendar, index)
    while t >= block.hi:
        index += 1
        block = block_at(calendar, index)
    return index, block


@lru_cache(maxsize=4096)
def _shared_block(calendar: BusinessCalendar, index: int) -> Block:
    first = index * BLOCK_DAYS
    last = first + BLOCK_DAYS
    lo = _cut(calendar, first)
    hi = _cut(calendar, last)
    raw = sorted(
        pair
        for ordinal in range(first, last)
        for pair in day_intervals(calendar, ordinal)
    )
    starts: list[int] = []
    ends: list[int] = []
    for s, e in raw:
        # Clipping only bites where a shift from the previous block runs
        # past this block's first midnight; that time was counted there.
        s, e = max(s, lo), min(e, hi)
        if e <= s:
            continue
        if ends and s <= ends[-1]:
            ends[-1] = max(ends[-1], e)
        else:
            starts.append(s)
            ends.append(e)
    cum = [0]
    for s, e in zip(starts, ends, strict=True):
        cum.append(cum[-1] + e - s)
    return Block(lo, hi, tuple(starts), tuple(ends), tuple(cum))


def _cut(calendar: BusinessCalendar, ordinal: int) -> int:
    # A block boundary sits at local midnight, or after a shift that started
    # the previous evening, so every shift lies in exactly one block.
    midnight = midnight_us(calendar.tz, ordinal)
    previous = day_intervals(calendar, ordinal - 1)
    return max([midnight, *(e for _, e in previous)])


def day_intervals(calendar: BusinessCalendar, ordinal: int) -> list[tuple[int, int]]:
    """Return the merged working intervals starting on local day `ordinal`, in µs."""
    day = date.fromordinal(ordinal)
    hours = calendar.hours_on(day)
    if not hours:
        return []
    tz = calendar.tz
    next_day = date.fromordinal(ordinal + 1)
    pairs = []
    for s, e in hours:
        begin = (datetime.combine(day, s, tzinfo=tz) - EPOCH) // US
        finish = (
            datetime.combine(next_day if e <= s else day, e, tzinfo=tz) - EPOCH
        ) // US
        if finish > begin:
            pairs.append((begin, finish))
    pairs.sort()
    merged: list[tuple[int, int]] = []
    for s, e in pairs:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def midnight_us(tz: ZoneInfo, ordinal: int) -> int:
    """Return local midnight starting day `ordinal`, in UTC microseconds."""
    return (
        datetime.combine(date.fromordinal(ordinal), time(0), tzinfo=tz) - EPOCH
    ) // US


def to_us(instant: datetime) -> int:
    """Return an aware `instant` as microseconds since the epoch."""
    try:
        return (instant - EPOCH) // US
    except TypeError:
        raise ValueError(f"expected an aware datetime, got {instant!r}") from None


def from_us(us: int) -> datetime:
    """Return microseconds since the epoch as a UTC datetime."""
    return EPOCH + timedelta(microseconds=us)
