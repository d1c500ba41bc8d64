"""The SLA ledger's declared shape: written and read through `LedgerEntry`."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from customers.models import ServiceTier
from sla import explain as sla_explain
from sla.explain import ledger_entry
from sla.ledger import VERSION, Condition, LedgerEntry, Milestone, Skipped, sql_details
from tickets.models import TicketEvent

RIYADH = ZoneInfo("Asia/Riyadh")
MONDAY = datetime(2026, 11, 30, 9, tzinfo=RIYADH)


def test_an_entry_reads_back_as_it_was_written():
    entry = LedgerEntry(
        at=MONDAY,
        cycle=2,
        started_at=MONDAY,
        running_since=MONDAY,
        due_at=datetime(2026, 12, 2, 9, tzinfo=RIYADH),
        used_minutes=0,
        limit_minutes=2880,
        warnings=(Milestone(75, datetime(2026, 12, 1, 21, tzinfo=RIYADH)),),
        calendar="round the clock",
        calendar_rules=({"kind": "always_open"},),
        recomputed=True,
        conditions=(Condition("channel", "email", ("email", "web")),),
        skipped=(Skipped("VIP", "tier", "standard", ("vip",), "كبار العملاء"),),
        warn_percents=(50, 75),
    )

    details = entry.to_details()

    assert details["version"] == VERSION
    assert LedgerEntry.from_details(details) == entry


def test_fields_an_entry_leaves_unset_are_not_written():
    details = LedgerEntry(used_minutes=0, reason="waiting on the customer").to_details()

    assert details == {
        "version": VERSION,
        "used_minutes": 0,
        "reason": "waiting on the customer",
    }


def test_a_row_written_before_the_shape_was_declared_reads_as_version_1():
    old = {
        "at": "2026-11-30T09:00:00+03:00",
        "conditions": [["ticket_kind", "complaint", ["complaint"]]],
        "skipped": [
            ["VIP complaints", "tier", "standard", ["vip"], "شكاوى كبار العملاء"],
            ["Urgent", "priority", 2, [4]],
        ],
        "policy_ar": "الشكاوى",
        "warn_percents": [50, 75, 90],
        "an_unknown_key": "ignored",
    }

    entry = LedgerEntry.from_details(old)

    assert entry.version == 1
    assert entry.at == MONDAY
    assert entry.conditions == (Condition("ticket_kind", "complaint", ("complaint",)),)
    assert entry.skipped == (
        Skipped("VIP complaints", "tier", "standard", ("vip",), "شكاوى كبار العملاء"),
        Skipped("Urgent", "priority", 2, (4,), ""),
    )
    assert entry.warn_percents == (50, 75, 90)


def test_a_sweep_row_written_by_sqlite_reads_its_times_as_utc():
    entry = LedgerEntry.from_details(
        {"cycle": 1, "percent": 100, "due_at": "2026-12-02 06:00:00"}
    )

    assert entry.due_at == datetime(2026, 12, 2, 6, tzinfo=UTC)
    assert (entry.version, entry.cycle, entry.percent) == (1, 1, 100)


def test_the_sweep_sql_can_only_name_fields_of_the_entry():
    sql = sql_details("json_object", cycle="m.cycle", percent="m.percent")

    assert (
        sql
        == f"json_object('version', {VERSION}, 'cycle', m.cycle, 'percent', m.percent)"
    )
    with pytest.raises(ValueError, match="milestone_percent"):
        sql_details("json_object", milestone_percent="m.percent")


@pytest.mark.parametrize(
    "details",
    [
        {
            "conditions": [["channel", "email", ["email", "web"]]],
            "skipped": [["VIP", "tier", "standard", ["vip"], ""]],
        },
        LedgerEntry(
            conditions=(Condition("channel", "email", ("email", "web")),),
            skipped=(Skipped("VIP", "tier", "standard", ("vip",)),),
        ).to_details(),
    ],
    ids=["version 1", "current version"],
)
def test_the_explanation_reads_old_and_new_rows_alike(details):
    event = TicketEvent(
        action=TicketEvent.Action.SLA_POLICY, new_value="Written", details=details
    )

    with translation.override("en"):
        headline, lines = ledger_entry(event, tiers={"standard": "Standard"})

    assert headline == "Policy chosen: Written"
    assert lines == [
        "channel is Email, one of Email, Web form",
        "skipped VIP: service tier is Standard",
    ]


@pytest.mark.django_db
def test_a_renamed_tier_is_named_afresh_on_the_next_page(production_caches):
    tier = ServiceTier.objects.get(code="vip")
    assert sla_explain.tier_names()["vip"] == tier.name

    tier.name = "Premium"
    tier.save()

    assert sla_explain.tier_names()["vip"] == "Premium"
