"""The deployment: docker-compose.yml, the web health check, the secret key,
the first administrator and the dependency locks."""

import http.client
import os
import re
import runpy
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
APP_SERVICES = ["migrate", "web", "worker", "beat"]
# Compose points its containers at its own database, Redis and volume.
SET_BY_COMPOSE = {"DEBUG", "DATABASE_URL", "REDIS_URL", "MEDIA_ROOT"}
# Read by `manage.py ensure_admin` in the migrate step only.
ADMIN_VARIABLES = {"ADMIN_USERNAME", "ADMIN_EMAIL", "ADMIN_PASSWORD"}
# A deployer's .env for a site behind a TLS proxy that knows only its public name.
PUBLIC_SITE = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "helpdesk.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://helpdesk.example.org",
    "SITE_URL": "https://helpdesk.example.org",
    "HTTPS": "1",
    "SECURE_PROXY_SSL_HEADER_ENABLED": "1",
}


def example_variables() -> set[str]:
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^([A-Z][A-Z0-9_]*)=", text, re.MULTILINE))


def interpolate(value: str, dotenv: dict[str, str]) -> str:
    """Resolve ${VAR}, ${VAR:-default} and ${VAR:?error} as docker compose does."""

    def resolve(match: re.Match) -> str:
        name, operator, argument = match.groups()
        if dotenv.get(name):
            return dotenv[name]
        if operator == ":?":
            raise LookupError(argument)
        return argument or ""

    return re.sub(r"\$\{(\w+)(?:(:[-?])([^}]*))?\}", resolve, value)


def container_environment(service: str, dotenv: dict[str, str]) -> dict[str, str]:
    environment = COMPOSE["services"][service]["environment"]
    return {
        name: interpolate(str(value), dotenv) for name, value in environment.items()
    }


def run_python(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_every_setting_is_listed_in_env_example():
    settings_source = (ROOT / "helpdesk" / "settings.py").read_text()
    read = set(re.findall(r'env\.\w+\(\s*"([A-Z][A-Z0-9_]*)"', settings_source))

    assert read, "the pattern no longer finds settings.py's variables"
    assert read - example_variables() == set()


@pytest.mark.parametrize("service", APP_SERVICES)
def test_every_setting_reaches_the_app_containers_from_the_environment(service):
    environment = COMPOSE["services"][service]["environment"]
    expected = example_variables() - (
        set() if service == "migrate" else ADMIN_VARIABLES
    )
    from_deployer = {
        name for name, value in environment.items() if f"${{{name}:" in str(value)
    }

    assert expected - set(environment) == set()
    assert from_deployer == set(environment) - SET_BY_COMPOSE


def test_compose_refuses_to_start_without_a_secret_key():
    environment = COMPOSE["x-app"]["environment"]

    with pytest.raises(LookupError, match="SECRET_KEY"):
        interpolate(environment["SECRET_KEY"], {})
    assert interpolate(environment["SECRET_KEY"], {"SECRET_KEY": "k" * 60}) == "k" * 60


def test_compose_leaves_unset_settings_at_the_apps_defaults():
    environment = container_environment("web", {"SECRET_KEY": "k"})
    code = (
        "from django.conf import settings as s; "
        "print(s.SITE_URL, s.SECURE_HSTS_SECONDS, s.ATTACHMENT_MAX_COUNT, s.LOGIN_RATE)"
    )
    env = {
        **environment,
        "SECRET_KEY": PUBLIC_SITE["SECRET_KEY"],
        "DATABASE_URL": "sqlite:///:memory:",
        "REDIS_URL": "",
        "DJANGO_SETTINGS_MODULE": "helpdesk.settings",
    }

    result = run_python(["-c", f"import django; django.setup(); {code}"], env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["http://127.0.0.1:8000", "0", "5", "10/m"]


def test_a_public_site_behind_a_proxy_passes_the_deployment_checklist(tmp_path):
    env = {
        **container_environment("web", PUBLIC_SITE),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "MEDIA_ROOT": str(tmp_path),
    }

    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env
    )

    assert result.returncode == 0, result.stdout + result.stderr


SHORT = "k7Qz9" * 4
PUBLISHED = "change-me-to-a-long-random-string-before-real-use-0123456789"
DEV = "development-only-key-never-used-in-production-0123456789abcdef"


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        (SHORT, "too short"),
        ("a" * 60, "too short or too plain"),
        (PUBLISHED, "published example key"),
        (DEV, "published example key"),
        ("django-insecure-" + "k7Qz9" * 10, "published example key"),
    ],
    ids=["short", "plain", "old-compose-default", "development", "startproject"],
)
def test_production_refuses_a_public_or_weak_secret_key(key, reason):
    result = run_python(
        ["-c", "import helpdesk.settings"], {"DEBUG": "0", "SECRET_KEY": key}
    )

    assert result.returncode != 0
    assert reason in result.stderr
    assert "Set SECRET_KEY to a random string of 50 characters" in result.stderr


@pytest.mark.parametrize(
    ("allowed_hosts", "host"),
    [
        ("helpdesk.example.org,127.0.0.1", "helpdesk.example.org"),
        (" .example.org , other.example", "example.org"),
        ("*", "localhost"),
        ("", "localhost"),
    ],
)
def test_health_check_sends_a_host_the_site_accepts(allowed_hosts, host):
    allowed_host = runpy.run_path(str(ROOT / "scripts" / "healthcheck.py"))[
        "allowed_host"
    ]

    assert allowed_host(allowed_hosts) == host


def test_compose_checks_the_web_container_with_the_health_check_script():
    assert COMPOSE["services"]["web"]["healthcheck"]["test"] == [
        "CMD",
        "python",
        "scripts/healthcheck.py",
    ]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str, host: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", path, headers={"Host": host})
    return connection.getresponse()


@pytest.fixture(scope="module")
def public_site_server(tmp_path_factory):
    """gunicorn serving the web container's settings for PUBLIC_SITE."""
    tmp_path = tmp_path_factory.mktemp("public-site")
    port = _free_port()
    env = {
        **container_environment("web", PUBLIC_SITE),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "",
        "MEDIA_ROOT": str(tmp_path),
        "PORT": str(port),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "helpdesk.wsgi", "--workers", "1"]
        + ["--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and server.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    try:
        assert server.poll() is None, server.stderr.read()
        yield env
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_health_check_passes_behind_https_with_only_the_public_name_allowed(
    public_site_server,
):
    env = public_site_server
    port = int(env["PORT"])

    result = run_python(["scripts/healthcheck.py"], env)

    assert result.returncode == 0, result.stderr
    # What made the old check fail is still in force for every other request:
    assert _get(port, "/healthz/", "127.0.0.1").status == 400
    response = _get(port, "/", "helpdesk.example.org")
    assert response.status == 301
    assert response.getheader("Location") == "https://helpdesk.example.org/"


def test_health_check_fails_when_the_site_does_not_answer_it(public_site_server):
    env = {**public_site_server, "ALLOWED_HOSTS": "elsewhere.example.org"}

    result = run_python(["scripts/healthcheck.py"], env)

    assert result.returncode == 1
    assert "HTTP 400" in result.stderr


def test_health_check_fails_when_nothing_listens():
    result = run_python(["scripts/healthcheck.py"], {"PORT": str(_free_port())})

    assert result.returncode == 1
    assert "unhealthy" in result.stderr


@pytest.mark.django_db
def test_ensure_admin_creates_the_first_administrator_once(monkeypatch, client):
    monkeypatch.setenv("ADMIN_USERNAME", "root")
    monkeypatch.setenv("ADMIN_EMAIL", "root@example.org")
    monkeypatch.setenv("ADMIN_PASSWORD", "first-Admin-pass-2026")
    call_command("ensure_admin")
    monkeypatch.setenv("ADMIN_PASSWORD", "another-Admin-pass-2026")

    call_command("ensure_admin")

    admin = get_user_model().objects.get(username="root")
    assert admin.is_superuser and admin.is_staff
    assert admin.email == "root@example.org"
    assert client.login(username="root", password="first-Admin-pass-2026")
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_ensure_admin_without_a_password_creates_nobody(monkeypatch, capsys):
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)

    call_command("ensure_admin")

    assert not get_user_model().objects.exists()
    assert "createsuperuser" in capsys.readouterr().out


@pytest.mark.django_db
def test_ensure_admin_refuses_a_weak_password(monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "admin")

    with pytest.raises(CommandError, match="too weak"):
        call_command("ensure_admin")

    assert not get_user_model().objects.exists()


def test_compose_migrate_step_creates_the_first_administrator():
    command = " ".join(COMPOSE["services"]["migrate"]["command"])

    assert "manage.py migrate" in command
    assert command.index("migrate") < command.index("manage.py ensure_admin")


def _requirements(path: Path) -> list[Requirement]:
    lines = (line.split("#")[0].strip() for line in path.read_text().splitlines())
    return [Requirement(line) for line in lines if line and not line.startswith("-")]


def _pins(path: Path) -> dict[str, Version]:
    text = path.read_text()
    assert "--hash=sha256:" in text
    return {
        canonicalize_name(name): Version(version)
        for name, version in re.findall(r"^([\w.-]+)==(\S+)", text, re.MULTILINE)
    }


@pytest.mark.parametrize(
    ("wanted", "lock"),
    [
        (["requirements.txt"], "requirements.lock"),
        (["requirements.txt", "requirements-dev.txt"], "requirements-dev.lock"),
    ],
)
def test_the_locks_pin_every_requirement_within_its_range(wanted, lock):
    pins = _pins(ROOT / lock)
    requirements = [r for name in wanted for r in _requirements(ROOT / name)]

    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in {lock}: run `make lock`"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{lock} pins {name} {pins[name]}, outside {requirement.specifier}: "
            "run `make lock`"
        )


def test_the_dev_lock_runs_the_same_versions_as_production():
    runtime = _pins(ROOT / "requirements.lock")
    dev = _pins(ROOT / "requirements-dev.lock")

    assert {name: dev.get(name) for name in runtime} == runtime


def test_the_image_installs_the_runtime_lock_only():
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert "pip install --require-hashes -r requirements.lock" in dockerfile
    assert "requirements-dev" not in dockerfile
