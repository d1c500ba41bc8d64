"""The supervisors' SLA editor: policies and calendars as real forms, with a
plain-words preview and the open tickets a change would affect, saved
through the same verbs as the admin (sla/forms.py, sla/editor_views.py,
sla/impact.py)."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from helpdesk.channels import Channel
from sla.forms import PolicyForm
from sla.models import SLAChange, SLAClock, SLAPolicy
from tickets.models import TicketEvent

from ..factories import make_ticket

pytestmark = pytest.mark.django_db
RIYADH = ZoneInfo("Asia/Riyadh")
T0 = datetime(2026, 11, 30, 9, tzinfo=RIYADH)  # Monday, office hours 08-16


def at(moment):
    return time_machine.travel(moment, tick=False)


def policy_data(**changes) -> dict:
    """A valid form for "T complaints" as the fixture makes it."""
    data = {
        "name": "T complaints",
        "name_ar": "",
        "ticket_kinds": ["complaint"],
        "first_response_0": "8",
        "first_response_1": "0",
        "next_response_0": "8",
        "next_response_1": "",
        "resolution_0": "40",
        "resolution_1": "",
        "appeal_resolution_0": "",
        "appeal_resolution_1": "",
        "calendar": "",
        "warning_thresholds": "",
        "order": "2",
        "is_active": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def calendar_data(policies):
    return {"calendar": str(policies["complaints"].calendar_id)}


# The form, field by field -----------------------------------------------------


def test_a_valid_form_gives_durations_lists_and_whole_percentages(
    policies, calendar_data
):
    form = PolicyForm(
        policy_data(
            name="Calls and emails",
            channels=["phone", "email"],
            priorities=["4", "3"],
            first_response_0="4",
            first_response_1="30",
            warning_thresholds="90, 50،٧٥ 50%",
            **calendar_data,
        )
    )

    assert form.is_valid(), form.errors
    policy = form.apply(SLAPolicy())
    assert policy.first_response == timedelta(hours=4, minutes=30)
    assert policy.next_response == timedelta(hours=8)
    assert policy.appeal_resolution is None
    assert policy.channels == ["phone", "email"]
    assert policy.priorities == [4, 3]
    assert policy.warning_thresholds == [50, 75, 90]
    assert policy.calendar == policies["complaints"].calendar


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("name", "T urgent", "Another policy already has this name."),
        ("channels", ["pigeon"], "Select a valid choice."),
        ("customer_kinds", ["alien"], "Select a valid choice."),
        ("ticket_kinds", ["praise"], "Select a valid choice."),
        ("priorities", ["9"], "Select a valid choice."),
        ("tiers", ["999999"], "Select a valid choice."),
        ("first_response_0", "-1", "greater than or equal to 0"),
        ("first_response_0", "four", "Enter a whole number."),
        ("first_response_1", "75", "less than or equal to 59"),
        ("resolution_0", "0", "A target must be longer than zero"),
        ("warning_thresholds", "50, 100", "“100” is not a whole percentage"),
        ("warning_thresholds", "7.5", "“7.5” is not a whole percentage"),
        # A digit to str.isdigit, not to int().
        ("warning_thresholds", "50, ²", "“²” is not a whole percentage"),
        ("calendar", "999999", "Select a valid choice."),
        ("order", "-3", "greater than or equal to 0"),
        ("order", "", "This field is required."),
    ],
)
def test_each_bad_field_gets_its_own_error(policies, field, value, message):
    form = PolicyForm(policy_data(**{field: value}), instance=policies["complaints"])

    assert not form.is_valid()
    name = field.rsplit("_", 1)[0] if field[-2:] in ("_0", "_1") else field
    assert message in " ".join(form.errors[name])


def test_a_policy_needs_at_least_one_target(policies):
    form = PolicyForm(
        policy_data(
            name="No targets",
            first_response_0="",
            first_response_1="",
            next_response_0="",
            resolution_0="",
        )
    )

    assert not form.is_valid()
    assert "Set at least one target" in form.errors["first_response"][0]


# Who may edit ----------------------------------------------------------------


@pytest.mark.parametrize("who", ["agent_client", "alice_client"])
@pytest.mark.parametrize(
    "url", ["/supervisor/sla/policies/new/", "/supervisor/sla/calendars/new/"]
)
def test_agents_and_customers_may_not_edit(policies, who, url, request):
    client = request.getfixturevalue(who)

    assert client.get(url).status_code == 403
    assert client.post(url, policy_data(name="Sneaky")).status_code == 403
    assert not SLAPolicy.objects.filter(name="Sneaky").exists()


def test_signed_out_visitors_are_sent_to_sign_in(policies, client):
    response = client.get("/supervisor/sla/policies/new/")

    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_an_administrator_may_edit(policies, admin_user, client):
    client.force_login(admin_user)

    page = client.get(f"/supervisor/sla/policies/{policies['vip_complaints'].pk}/")

    assert page.status_code == 200
    assert 'value="T VIP complaints"' in page.text
    assert 'value="50, 75"' in page.text
    assert 'name="first_response_0" value="4"' in page.text
    assert "Warns the assignee at 50%, 75% of each target" in page.text


def test_the_settings_page_links_to_the_editor(policies, supervisor_client):
    page = supervisor_client.get("/supervisor/sla/").text

    assert "/supervisor/sla/policies/new/" in page
    assert f"/supervisor/sla/policies/{policies['urgent'].pk}/" in page
    assert f"/supervisor/sla/calendars/{policies['urgent'].calendar_id}/" in page


# The preview ------------------------------------------------------------------


def test_the_preview_says_what_the_policy_does(policies, supervisor_client):
    calendar = policies["complaints"].calendar
    response = supervisor_client.post(
        "/supervisor/sla/policies/new/preview/",
        policy_data(
            name="VIP complaints by phone",
            tiers=[str(policies["vip_complaints"].tiers.get().pk)],
            channels=["phone"],
            first_response_0="4",
            resolution_0="16",
            appeal_resolution_0="24",
            calendar=str(calendar.pk),
            warning_thresholds="50, 75, 90",
            order="0",
        ),
    )

    text = response.text
    assert response.status_code == 200
    assert (
        "Applies to tickets from customers in the VIP tier, that are a Complaint, "
        "that came by Phone." in text
    )
    assert "First response within 4 hours of working time." in text
    assert "Resolved within 16 hours of working time" in text
    assert (
        "A complaint the customer appeals is resolved within 24 hours of working time."
        in text
    )
    assert "on the Test office calendar" in text
    assert "Warns the assignee at 50%, 75%, 90% of each target" in text
    # Nothing is saved by a preview.
    assert not SLAPolicy.objects.filter(name="VIP complaints by phone").exists()


def test_the_preview_in_arabic(policies, supervisor_client):
    supervisor_client.cookies["django_language"] = "ar"

    response = supervisor_client.post(
        "/supervisor/sla/policies/new/preview/",
        policy_data(name="Phone", channels=["phone"], first_response_0="4"),
        headers={"accept-language": "ar"},
    )

    with translation.override("ar"):
        assert translation.gettext("What this policy does") in response.text
        assert translation.gettext("Phone") in response.text
        assert (
            translation.gettext("First response within %(time)s.").split("%")[0]
            in response.text
        )
    assert "First response within" not in response.text


def test_the_preview_asks_to_correct_errors(policies, supervisor_client):
    response = supervisor_client.post(
        "/supervisor/sla/policies/new/preview/",
        policy_data(name="Broken", warning_thresholds="150"),
    )

    assert response.status_code == 200
    assert "Correct the marked fields" in response.text


def test_the_preview_endpoint_takes_posts_only(policies, supervisor_client):
    assert (
        supervisor_client.get("/supervisor/sla/policies/new/preview/").status_code
        == 405
    )


# Which open tickets a change would affect -------------------------------------


@pytest.fixture
def open_tickets(policies, bob, alice, queue):
    """Bob's complaint on "T complaints", Alice's VIP complaint on "T VIP
    complaints", Bob's email inquiry on "T written", his call on "T live",
    and a resolved complaint that no change touches."""
    with at(T0):
        tickets = {
            "complaint": make_ticket(bob, queue, kind="complaint", subject="Rude"),
            "vip": make_ticket(alice, queue, kind="complaint", subject="VIP"),
            "email": make_ticket(bob, queue, subject="Question"),
            "call": make_ticket(bob, queue, channel=Channel.PHONE, subject="Call"),
        }
        done = make_ticket(bob, queue, kind="complaint", subject="Done")
        done.status, done.resolved_at = "resolved", T0
        done.save(update_fields=["status", "resolved_at"])
    return tickets


def impact_of(client, url, data) -> tuple[int, str]:
    page = client.post(url, data).text
    start = page.index('data-testid="impact-count"')
    count = page[start:].split('data-count="', 1)[1].split('"', 1)[0]
    return int(count), page


def test_a_shorter_target_would_change_the_policys_own_open_tickets(
    policies, open_tickets, supervisor_client, calendar_data
):
    url = f"/supervisor/sla/policies/{policies['complaints'].pk}/preview/"

    count, page = impact_of(
        supervisor_client, url, policy_data(first_response_0="4", **calendar_data)
    )

    assert count == 1
    assert "1 would keep this policy with new due times." in page
    assert open_tickets["complaint"].number in page
    assert open_tickets["vip"].number not in page


def test_an_unchanged_policy_would_change_nothing(
    policies, open_tickets, supervisor_client, calendar_data
):
    url = f"/supervisor/sla/policies/{policies['complaints'].pk}/preview/"

    count, _page = impact_of(supervisor_client, url, policy_data(**calendar_data))

    assert count == 0


def test_narrowing_a_policy_would_send_its_tickets_to_the_next(
    policies, open_tickets, supervisor_client, calendar_data
):
    url = f"/supervisor/sla/policies/{policies['complaints'].pk}/preview/"

    count, page = impact_of(
        supervisor_client, url, policy_data(channels=["phone"], **calendar_data)
    )

    assert count == 1
    assert "1 would move to another policy or to none." in page


def test_a_new_first_policy_would_take_the_tickets_it_matches(
    policies, open_tickets, supervisor_client
):
    count, page = impact_of(
        supervisor_client,
        "/supervisor/sla/policies/new/preview/",
        policy_data(name="All calls", ticket_kinds=[], channels=["phone"], order="0"),
    )

    assert count == 1
    assert "1 would move to this policy." in page
    assert open_tickets["call"].number in page


def test_switching_a_policy_off_would_release_its_tickets(
    policies, open_tickets, supervisor_client, calendar_data
):
    url = f"/supervisor/sla/policies/{policies['vip_complaints'].pk}/preview/"
    data = policy_data(
        name="T VIP complaints",
        tiers=[str(policies["vip_complaints"].tiers.get().pk)],
        is_active=None,
        order="1",
        **calendar_data,
    )

    count, _page = impact_of(supervisor_client, url, data)

    assert count == 1


# Saving ------------------------------------------------------------------------


def test_saving_records_the_change_and_re_plans_the_open_tickets(
    policies,
    open_tickets,
    supervisor,
    supervisor_client,
    calendar_data,
    django_capture_on_commit_callbacks,
):
    policy = policies["complaints"]
    complaint = open_tickets["complaint"]

    with at(T0 + timedelta(hours=1)), django_capture_on_commit_callbacks(execute=True):
        response = supervisor_client.post(
            f"/supervisor/sla/policies/{policy.pk}/",
            policy_data(
                first_response_0="4", warning_thresholds="50, 90", **calendar_data
            ),
        )

    assert response.status_code == 302 and response["Location"] == "/supervisor/sla/"
    change = SLAChange.objects.get()
    assert change.by == supervisor and change.object_id == policy.pk
    fields = {line["field"] for line in change.changes}
    assert {"first_response", "warning_thresholds"} <= fields
    policy.refresh_from_db()
    assert policy.first_response == timedelta(hours=4)
    assert policy.warning_thresholds == [50, 90]
    clock = SLAClock.objects.get(ticket=complaint, target="first_response")
    assert clock.due_at == datetime(2026, 11, 30, 13, tzinfo=RIYADH)
    assert complaint.events.filter(
        action=TicketEvent.Action.SLA_STARTED, details__recomputed=True
    ).exists()
    page = supervisor_client.get("/supervisor/sla/").text
    assert "“T complaints” saved." in page


def test_creating_a_policy_with_tiers(policies, supervisor_client, calendar_data):
    vip = policies["vip_complaints"].tiers.get()

    response = supervisor_client.post(
        "/supervisor/sla/policies/new/",
        policy_data(
            name="VIP anything", tiers=[str(vip.pk)], order="0", **calendar_data
        ),
    )

    assert response.status_code == 302
    created = SLAPolicy.objects.get(name="VIP anything")
    assert list(created.tiers.all()) == [vip]
    assert SLAChange.objects.get().action == SLAChange.Action.CREATED


def test_a_bad_form_is_shown_again_with_its_errors_and_nothing_saved(
    policies, supervisor_client
):
    policy = policies["complaints"]

    response = supervisor_client.post(
        f"/supervisor/sla/policies/{policy.pk}/",
        policy_data(warning_thresholds="50, 200", first_response_1="99"),
    )

    assert response.status_code == 400
    assert "“200” is not a whole percentage" in response.text
    assert "less than or equal to 59" in response.text
    assert not SLAChange.objects.exists()


def test_the_preview_button_does_not_save(policies, supervisor_client):
    policy = policies["complaints"]

    response = supervisor_client.post(
        f"/supervisor/sla/policies/{policy.pk}/",
        policy_data(first_response_0="1", preview="1"),
    )

    assert response.status_code == 200
    assert "First response within 1 hour." in response.text
    assert not SLAChange.objects.exists()


def test_an_unknown_policy_is_404(policies, supervisor_client):
    assert supervisor_client.get("/supervisor/sla/policies/999999/").status_code == 404


# Calendars ----------------------------------------------------------------------


def calendar_form(calendar=None, **rows) -> dict:
    """The calendar form's POST data: `rows` maps a formset to a list of dicts
    (with "id" for existing rows)."""
    data = {
        "name": calendar.name if calendar else "Branch",
        "timezone": "Asia/Riyadh",
        "country": "sa",
    }
    for prefix in ("hours", "exceptions", "hijri_rules", "holidays"):
        items = rows.get(prefix, [])
        initial = sum(1 for item in items if item.get("id"))
        data[f"{prefix}-TOTAL_FORMS"] = str(len(items))
        data[f"{prefix}-INITIAL_FORMS"] = str(initial)
        for n, item in enumerate(items):
            for key, value in item.items():
                data[f"{prefix}-{n}-{key}"] = value
    return data


def test_creating_a_calendar_with_a_night_shift_and_a_holiday(
    policies, supervisor, supervisor_client
):
    response = supervisor_client.post(
        "/supervisor/sla/calendars/new/",
        calendar_form(
            hours=[
                {"weekday": "6", "start": "08:00", "end": "12:00"},
                {"weekday": "6", "start": "22:00", "end": "06:00"},
            ],
            holidays=[{"date": "2026-12-02", "name": "Union Day", "name_ar": ""}],
        ),
    )

    assert response.status_code == 302
    change = SLAChange.objects.get()
    assert change.subject == "calendar" and change.by == supervisor
    calendar = policies["complaints"].calendar.__class__.objects.get(name="Branch")
    assert calendar.country == "SA"
    assert [(h.start, h.end) for h in calendar.hours.all()] == [
        (time(8), time(12)),
        (time(22), time(6)),
    ]
    assert calendar.holidays.get().date == date(2026, 12, 2)


def test_a_holiday_added_to_a_calendar_re_plans_its_tickets(
    policies, open_tickets, supervisor_client, django_capture_on_commit_callbacks
):
    calendar = policies["complaints"].calendar
    hours = [
        {
            "id": str(h.pk),
            "calendar": str(calendar.pk),
            "weekday": str(h.weekday),
            "start": "08:00",
            "end": "16:00",
        }
        for h in calendar.hours.all()
    ]
    holidays = [
        {
            "id": str(h.pk),
            "calendar": str(calendar.pk),
            "date": str(h.date),
            "name": h.name,
            "name_ar": "",
        }
        for h in calendar.holidays.all()
    ] + [{"date": "2026-12-01", "name": "Extra Day", "name_ar": "يوم إضافي"}]

    with at(T0 + timedelta(hours=1)), django_capture_on_commit_callbacks(execute=True):
        response = supervisor_client.post(
            f"/supervisor/sla/calendars/{calendar.pk}/",
            calendar_form(calendar, hours=hours, holidays=holidays),
        )

    assert response.status_code == 302, response.text
    change = SLAChange.objects.get()
    assert change.replan_policies
    # 8 working hours from Monday 09:00 skip Tuesday's new holiday and
    # Thursday's: they end on Wednesday 09:00.
    clock = SLAClock.objects.get(
        ticket=open_tickets["complaint"], target="first_response"
    )
    assert clock.due_at == datetime(2026, 12, 2, 9, tzinfo=RIYADH)


@pytest.mark.parametrize(
    ("prefix", "row", "message"),
    [
        ("hours", {"weekday": "6", "start": "08:00", "end": "08:00"}, "give an end"),
        ("hours", {"weekday": "9", "start": "08:00", "end": "12:00"}, "valid choice"),
        ("hours", {"weekday": "6", "start": "25:00", "end": "12:00"}, "valid time"),
        (
            "exceptions",
            {
                "name": "Inventory",
                "kind": "half_day",
                "start_date": "2026-12-05",
                "end_date": "2026-12-01",
                "start_time": "08:00",
                "end_time": "12:00",
            },
            "cannot come before",
        ),
        (
            "exceptions",
            {
                "name": "Inventory",
                "kind": "half_day",
                "start_date": "2026-12-05",
                "end_date": "2026-12-05",
            },
            "Give the hours worked",
        ),
        (
            "hijri_rules",
            {
                "name": "Eid",
                "kind": "holiday",
                "month": "10",
                "first_day": "5",
                "last_day": "3",
            },
            "The last day cannot come before the first day.",
        ),
        (
            "hijri_rules",
            {"name": "Ramadan", "kind": "period", "month": "9", "first_day": "1"},
            "A period needs the hours it starts.",
        ),
        (
            "holidays",
            {"date": "not a date", "name": "Someday"},
            "Enter a valid date.",
        ),
    ],
)
def test_bad_calendar_rows_get_form_errors(
    policies, supervisor_client, prefix, row, message
):
    response = supervisor_client.post(
        "/supervisor/sla/calendars/new/", calendar_form(**{prefix: [row]})
    )

    assert response.status_code == 400
    assert message in response.text
    assert not SLAChange.objects.exists()


def test_two_holidays_on_one_day_are_refused(policies, supervisor_client):
    response = supervisor_client.post(
        "/supervisor/sla/calendars/new/",
        calendar_form(
            holidays=[
                {"date": "2026-12-02", "name": "One"},
                {"date": "2026-12-02", "name": "Two"},
            ]
        ),
    )

    assert response.status_code == 400
    assert not SLAChange.objects.exists()


def test_an_unknown_time_zone_is_a_form_error(policies, supervisor_client):
    data = calendar_form()
    data["timezone"] = "Mars/Olympus"

    response = supervisor_client.post("/supervisor/sla/calendars/new/", data)

    assert response.status_code == 400
    assert "Unknown time zone: Mars/Olympus" in response.text


def test_the_preview_reads_a_fixed_number_of_queries_whatever_the_tickets(
    policies, open_tickets, bob, queue, supervisor_client, calendar_data
):
    url = f"/supervisor/sla/policies/{policies['complaints'].pk}/preview/"
    data = policy_data(first_response_0="4", **calendar_data)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            supervisor_client.post(url, data)
        return len(captured)

    before = queries()
    with at(T0):
        for n in range(5):
            make_ticket(bob, queue, kind="complaint", subject=f"More {n}")
            make_ticket(bob, queue, channel=Channel.CHAT, subject=f"Chat {n}")

    assert queries() == before


def test_the_calendar_editor_in_arabic_names_its_fields_as_times(
    policies, supervisor_client
):
    calendar = policies["complaints"].calendar
    supervisor_client.cookies["django_language"] = "ar"

    page = supervisor_client.get(
        f"/supervisor/sla/calendars/{calendar.pk}/", headers={"accept-language": "ar"}
    ).text

    with translation.override("ar"):
        assert translation.pgettext("time of day", "From") in page
        assert translation.gettext("Working hours") in page
        assert translation.gettext("Sunday") in page
    assert 'value="Test Day"' in page
    assert 'value="08:00"' in page
