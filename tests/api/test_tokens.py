"""API tokens: made on the tokens page or by the command, shown once, stored
hashed, refused with 401 once revoked or expired."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.authentication import BasicAuthentication

from api.models import TokenLabel
from api.tokens import create_token

pytestmark = pytest.mark.django_db


def _get_tickets(key):
    return Client().get(reverse("api:ticket-list"), HTTP_AUTHORIZATION=f"Token {key}")


def test_an_agent_creates_a_token_and_sees_its_key_once(agent_client, agent):
    response = agent_client.post(
        reverse("api_tokens"), {"name": "Phone system", "days": "30"}, follow=True
    )

    key = response.context["key"]
    assert response.status_code == 200
    assert key in response.text
    assert key.startswith("hd_")
    again = agent_client.get(reverse("api_tokens"))
    assert key not in again.text
    assert "Phone system" in again.text
    assert _get_tickets(key).status_code == 200


def test_a_token_is_stored_hashed_never_as_its_key(agent):
    token, key = create_token(agent, name="CRM", days=30)

    stored = AuthToken.objects.get(pk=token.pk)
    assert key not in (stored.digest, stored.token_key)
    assert stored.token_key == key[: len(stored.token_key)]
    assert len(stored.token_key) < len(key)


def test_the_token_page_lists_name_expiry_and_last_use(agent_client, agent):
    moment = timezone.now()
    with time_machine.travel(moment, tick=False):
        _token, key = create_token(agent, name="Reporting", days=10)
        _get_tickets(key)

    label = TokenLabel.objects.get(name="Reporting")
    page = agent_client.get(reverse("api_tokens"))

    assert label.last_used_at == moment
    assert label.token.expiry == moment + timedelta(days=10)
    assert [t.label.name for t in page.context["tokens"]] == ["Reporting"]
    assert "Never" not in page.text


def test_the_last_use_is_noted_once_a_minute_not_on_every_request(agent):
    start = timezone.now()
    _token, key = create_token(agent, name="Phone system", days=10)
    label = TokenLabel.objects.get(name="Phone system")
    for seconds in (0, 30, 59, 125):
        with time_machine.travel(start + timedelta(seconds=seconds), tick=False):
            assert _get_tickets(key).status_code == 200
        label.refresh_from_db()
        if seconds == 0:
            assert label.last_used_at == start
        elif seconds < 60:
            assert label.last_used_at == start, seconds

    assert label.last_used_at == start + timedelta(seconds=125)


def test_a_token_with_no_name_or_too_long_a_life_is_refused(agent_client):
    response = agent_client.post(reverse("api_tokens"), {"name": "", "days": "9999"})

    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"name", "days"}
    assert not AuthToken.objects.exists()


def test_a_revoked_token_is_refused_with_401_json(agent_client, agent):
    token, key = create_token(agent, name="Old portal", days=30)

    response = agent_client.post(reverse("api_token_revoke", args=[token.token_key]))
    answer = _get_tickets(key)

    assert response.status_code == 302
    assert answer.status_code == 401
    assert answer.json() == {
        "type": "client_error",
        "errors": [
            {"code": "authentication_failed", "detail": "Invalid token.", "attr": None}
        ],
    }


def test_an_agent_cannot_revoke_someone_elses_token(agent_client, supervisor):
    token, key = create_token(supervisor, name="Supervisor's", days=30)

    agent_client.post(reverse("api_token_revoke", args=[token.token_key]))

    assert _get_tickets(key).status_code == 200


def test_an_expired_token_is_refused_with_401_json(agent):
    _token, key = create_token(agent, name="Short", days=1)

    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        answer = _get_tickets(key)

    assert answer.status_code == 401
    assert answer.json()["errors"][0]["code"] == "authentication_failed"


def test_a_deactivated_users_token_stops_working(agent):
    _token, key = create_token(agent, name="Leaver", days=30)
    agent.is_active = False
    agent.save()

    assert _get_tickets(key).status_code == 401


def test_customers_have_no_token_page(alice_client):
    response = alice_client.get(reverse("api_tokens"))

    assert response.status_code == 403


def test_the_command_prints_a_working_token(agent):
    out = StringIO()

    call_command(
        "create_api_token", "agent", "--name", "Phone system", "--days", "7", stdout=out
    )

    key = out.getvalue().strip()
    token = AuthToken.objects.get(user=agent)
    assert token.label.name == "Phone system"
    assert token.expiry.date() == (timezone.now() + timedelta(days=7)).date()
    assert _get_tickets(key).status_code == 200


def test_the_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user is called 'nobody'"):
        call_command("create_api_token", "nobody")


def test_a_session_without_its_csrf_token_cannot_write(agent, queue, alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)

    response = client.post(
        reverse("api:ticket-list"),
        {
            "customer": alice.pk,
            "subject": "x",
            "body_text": "y",
            "channel": "phone",
            "queue": queue.slug,
        },
    )

    assert response.status_code == 403
    assert "CSRF" in response.json()["errors"][0]["detail"]


def test_guessing_tokens_is_slowed_down_with_429(client, settings):
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "1000/minute"}
    }

    statuses = [
        client.get(
            reverse("api:ticket-list"), HTTP_AUTHORIZATION=f"Token hd_guess{n}"
        ).status_code
        for n in range(5)
    ]

    assert statuses == [401, 401, 401, 429, 429]


# Lives: chosen from a list, capped by API_TOKEN_MAX_DAYS.


def _offered(client) -> list[str]:
    form = client.get(reverse("api_tokens")).context["form"]
    return [value for value, _label in form.fields["days"].choices]


def test_the_page_offers_lives_up_to_the_cap_and_never_only_without_one(
    agent_client, settings
):
    default = _offered(agent_client)
    refused = agent_client.post(reverse("api_tokens"), {"name": "x", "days": "never"})
    settings.API_TOKEN_MAX_DAYS = 0
    uncapped = _offered(agent_client)
    settings.API_TOKEN_MAX_DAYS = 60
    capped = _offered(agent_client)

    assert default == ["30", "90", "365"]
    assert refused.status_code == 400
    assert "days" in refused.context["form"].errors
    assert uncapped == ["30", "90", "365", "never"]
    assert capped == ["30", "60"]


def test_a_token_that_never_expires_is_listed_so_and_keeps_working(
    agent_client, settings
):
    settings.API_TOKEN_MAX_DAYS = 0

    response = agent_client.post(
        reverse("api_tokens"), {"name": "Switchboard", "days": "never"}, follow=True
    )
    key = response.context["key"]
    with time_machine.travel(timezone.now() + timedelta(days=5 * 365)):
        answer = _get_tickets(key)

    assert AuthToken.objects.get().expiry is None
    assert [t.label.name for t in response.context["tokens"]] == ["Switchboard"]
    assert "Never" in response.text
    assert answer.status_code == 200


def test_the_command_keeps_to_the_cap(agent, settings):
    with pytest.raises(CommandError, match="between 1 and 365"):
        call_command("create_api_token", "agent", "--days", "400")
    with pytest.raises(CommandError, match="never expire"):
        call_command("create_api_token", "agent", "--never")
    settings.API_TOKEN_MAX_DAYS = 0
    out = StringIO()
    call_command("create_api_token", "agent", "--never", stdout=out)

    assert AuthToken.objects.get(user=agent).expiry is None


def test_no_view_of_the_site_takes_http_basic(settings):
    # Every DRF view, the schema's and the docs' included, authenticates
    # with a token or the session (with its CSRF check), never a password.
    def views(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from views(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                view_class = getattr(pattern.callback, "cls", None)
                if view_class is not None:
                    yield view_class

    found = list(views(get_resolver().url_patterns))

    assert len(found) > 10
    for view_class in found:
        classes = view_class().get_authenticators()
        assert not any(isinstance(c, BasicAuthentication) for c in classes), view_class
    assert not any(
        "Basic" in name
        for name in settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]
    )
