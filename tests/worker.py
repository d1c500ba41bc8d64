"""A real Celery worker against Redis, sharing the test database."""

import os
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

from helpdesk.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent


def _database_url() -> str:
    db = connection.settings_dict
    return (
        f"postgres://{db['USER'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


@contextmanager
def running_worker(
    extra_env: dict | None = None, timeout: float = 30, queue: str | None = None
):
    """Start a worker on a queue of its own (or on `queue`, e.g. Celery's
    default "celery" to receive what the code under test enqueues); yield the
    queue name; stop it."""
    if queue == "celery":  # the default queue: this test process's own
        queue = celery_app.conf.task_default_queue
    queue = queue or f"test-{uuid.uuid4().hex[:8]}"
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": _database_url(),
        # Tasks the worker enqueues go through Redis to this same worker.
        "TEST_CELERY_EAGER": "0",
        "TEST_CELERY_QUEUE": queue,
        **(extra_env or {}),
    }
    fd, log_name = tempfile.mkstemp(suffix=".log")
    with os.fdopen(fd, "w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "helpdesk",
                "worker",
                "--pool=solo",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-Q",
                queue,
                "-n",
                f"{queue}@%h",
                "--loglevel=INFO",
            ],  # fmt: skip
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        deadline = time.monotonic() + timeout
        while "ready." not in Path(log_name).read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    "worker did not start:\n" + Path(log_name).read_text()
                )
            time.sleep(0.1)
        yield queue
    finally:
        celery_app.conf.task_always_eager = eager
        process.terminate()
        process.wait(timeout=15)
        os.unlink(log_name)


def wait_for(condition, timeout: float = 20, interval: float = 0.1):
    """Poll `condition` until it is true or the time is up; return its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def wait_for_sent(**filters):
    """Wait until the customer emails matching `filters` exist and are all
    marked sent. A worker marks a row once the SMTP server has taken its
    message, so the sink holds the message a moment before the row says so:
    asserting on the row right after the sink is a race."""
    from tickets.models import CustomerEmail

    def sent() -> bool:
        rows = CustomerEmail.objects.filter(**filters)
        return rows.exists() and not rows.filter(sent_at__isnull=True).exists()

    return wait_for(sent)
