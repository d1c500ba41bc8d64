"""The SLA ledger's shape: what the details of each SLA event hold.

Every SLA event (`TicketEvent.Action.sla()`) explains itself in
`TicketEvent.details`. The clock rules write them through `LedgerEntry`, the
sweep's SQL names its keys through `sql_details`, and the explanations read
them back through `LedgerEntry.from_details`; nothing else touches the JSON.

Versions:

1. Rows written before the shape was declared carry no `version`; they stored
   the chosen policy's conditions as ``[condition, value, accepted]`` and the
   skipped policies as ``[policy, condition, value, accepted, policy_ar]``.
2. Every value named: conditions and skipped policies are objects.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime, timedelta
from typing import Any

VERSION = 2


@dataclass(frozen=True)
class Condition:
    """A condition of the chosen policy: the ticket's value and those accepted."""

    condition: str
    value: Any
    accepted: tuple = ()


@dataclass(frozen=True)
class Skipped:
    """An earlier policy and the first of its conditions the ticket failed."""

    policy: str
    condition: str
    value: Any
    accepted: tuple = ()
    policy_ar: str = ""


@dataclass(frozen=True)
class Milestone:
    """A warning a started clock will give: at `percent` of its time, `at`."""

    percent: int
    at: datetime


@dataclass(frozen=True)
class LedgerEntry:
    """The details of one SLA event; a field is left at its default when the
    event has nothing to say about it.

    Times are aware datetimes, durations whole minutes."""

    version: int = VERSION
    # When the rule applied (a letter's arrival, a call answered); the event's
    # `created_at` is when it was recorded.
    at: datetime | None = None
    # A clock: started, resumed, paused, met or missed; the sweep's warnings
    # and breaches (`percent`, `milestone_at`).
    cycle: int | None = None
    started_at: datetime | None = None
    running_since: datetime | None = None
    due_at: datetime | None = None
    used_minutes: int | None = None
    limit_minutes: int | None = None
    warnings: tuple[Milestone, ...] = ()
    calendar: str = ""
    calendar_rules: tuple[dict, ...] = ()
    recomputed: bool = False
    reason: str = ""
    percent: int | None = None
    milestone_at: datetime | None = None
    # The policy chosen, why, and its targets.
    conditions: tuple[Condition, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    policy_ar: str = ""
    first_response_minutes: int | None = None
    next_response_minutes: int | None = None
    resolution_minutes: int | None = None
    warn_percents: tuple[int, ...] = ()
    # An escalation: the sweep that made it, and the assignee before and after
    # (user ids).
    sweep: str = ""
    old_assignee: int | None = None
    new_assignee: int | None = None
    # A clock owed by another queue (a memo): that queue, its Arabic name, and
    # what the clock answers (the memo's number).
    owed_by: str = ""
    owed_by_ar: str = ""
    reference: str = ""

    def to_details(self) -> dict:
        """The JSON for `TicketEvent.details`: the version and what is set."""
        details: dict[str, Any] = {"version": self.version}
        for f in fields(self)[1:]:
            value = getattr(self, f.name)
            if value != f.default:
                details[f.name] = _to_json(value)
        return details

    @classmethod
    def from_details(cls, details: dict | None) -> LedgerEntry:
        """Read `TicketEvent.details` of any version (none means 1)."""
        details = dict(details or {})
        version = int(details.pop("version", 1))
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {
            name: value for name, value in details.items() if name in known
        }
        for name in _TIMES & values.keys():
            values[name] = _parse_time(values[name])
        values["warnings"] = tuple(
            Milestone(percent=int(w["percent"]), at=_parse_time(w["at"]))
            for w in values.get("warnings", ())
        )
        values["conditions"] = tuple(
            _condition(c, version) for c in values.get("conditions", ())
        )
        values["skipped"] = tuple(
            _skipped(s, version) for s in values.get("skipped", ())
        )
        for name in ("calendar_rules", "warn_percents"):
            values[name] = tuple(values.get(name, ()))
        return cls(version=version, **values)


def minutes(duration: timedelta | None) -> int | None:
    """A duration as the ledger keeps it: whole minutes, rounded down."""
    return None if duration is None else int(duration.total_seconds() // 60)


def sql_details(builder: str, **columns: str) -> str:
    """SQL building an entry's details from SQL expressions, one per field.

    `builder` is the database's JSON object function; the keys are checked
    against `LedgerEntry`, so the sweep's SQL writes the declared shape."""
    known = {f.name for f in fields(LedgerEntry)}
    unknown = set(columns) - known
    if unknown:
        raise ValueError(f"Not fields of LedgerEntry: {sorted(unknown)}")
    pairs = [f"'version', {VERSION}"] + [
        f"'{name}', {expression}" for name, expression in columns.items()
    ]
    return f"{builder}({', '.join(pairs)})"


_TIMES = frozenset({"at", "started_at", "running_since", "due_at", "milestone_at"})


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Milestone | Condition | Skipped):
        return {k: _to_json(v) for k, v in asdict(value).items()}
    if isinstance(value, tuple | list):
        return [_to_json(item) for item in value]
    return value


def _parse_time(value: str | datetime | None) -> datetime | None:
    """An ISO 8601 time; SQLite's JSON writes them without a zone, in UTC."""
    if value is None or isinstance(value, datetime):
        return value
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _condition(value: list | dict, version: int) -> Condition:
    if version == 1:
        condition, chosen, accepted = _padded(value, ["", None, ()])
        return Condition(condition, chosen, tuple(accepted))
    return Condition(
        value["condition"], value["value"], tuple(value.get("accepted", ()))
    )


def _skipped(value: list | dict, version: int) -> Skipped:
    if version == 1:
        policy, condition, chosen, accepted, policy_ar = _padded(
            value, ["", "", None, (), ""]
        )
        return Skipped(policy, condition, chosen, tuple(accepted), policy_ar)
    return Skipped(
        value["policy"],
        value["condition"],
        value["value"],
        tuple(value.get("accepted", ())),
        value.get("policy_ar", ""),
    )


def _padded(value, defaults: list) -> list:
    """A positional version-1 item, completed with `defaults` where it is short
    (the earliest rows kept a bare sentence instead of a list)."""
    items = [value] if isinstance(value, str) else list(value)[: len(defaults)]
    return items + defaults[len(items) :]
