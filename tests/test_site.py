import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from tests.markers import requires_postgres

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_health_check_reports_the_database(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@requires_postgres("PostgreSQL's parallel query setting")
@pytest.mark.django_db
def test_database_sessions_run_without_parallel_query_workers():
    # Web workers already use every core: helper processes would compete.
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone() == ("0",)


def test_liveness_answers_without_the_database(client):
    assert client.get(reverse("liveness")).text == "ok"


@pytest.mark.django_db
def test_home_sends_each_role_to_its_workspace(client, agent_client, alice_client):
    assert client.get("/").status_code == 200
    assert agent_client.get("/").url == reverse("tickets:list")
    assert alice_client.get("/").url == reverse("portal:list")


def test_production_settings_pass_the_deployment_checklist():
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "helpdesk.settings",
        "DEBUG": "0",
        "SECRET_KEY": "a-long-random-production-secret-" + "k7Qz9" * 10,
        "ALLOWED_HOSTS": "helpdesk.example.org",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "sqlite:///:memory:"),
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {"PATH": os.environ["PATH"], "DEBUG": "0"}

    result = subprocess.run(
        [sys.executable, "-c", "import helpdesk.settings"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/agent/tickets/%00/",
        "/support/t/%00/",
        "/agent/search/?q=%00",
        "/agent/?q=a%00b",
        "/agent/?%00=1",
    ],
)
def test_a_nul_character_in_the_address_is_a_bad_request(url, agent_client, client):
    for visitor in (agent_client, client):
        response = visitor.get(url)

        assert response.status_code == 400
        assert "Bad request" in response.text


@pytest.mark.django_db
def test_a_nul_character_in_a_posted_field_is_refused(client):
    plain = client.post(
        reverse("portal:new"),
        "subject=Hello%00&email=a%40example.com",
        content_type="application/x-www-form-urlencoded",
    )
    # A form with files is read by the view (after it sets upload limits);
    # its form refuses the character.
    multipart = client.post(
        reverse("portal:new"), {"subject": "Hello\x00", "email": "a@example.com"}
    )

    assert plain.status_code == 400
    assert multipart.status_code == 400
    assert "Null characters are not allowed." in multipart.text
