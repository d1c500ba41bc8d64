"""A throwaway redis-server on a free loopback port, to stop and start again."""

import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager

import pytest

from helpdesk.celery import app

requires_redis_server = pytest.mark.skipif(
    shutil.which("redis-server") is None,
    reason="needs the redis-server program to stop and restart a Redis",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """One redis-server process at `url`; `stop()` and `start()` at will."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None
        self.folder = tempfile.mkdtemp(prefix="helpdesk-redis-")

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.folder,
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


@contextmanager
def redis_server():
    """Yield a running RedisServer; kill it at the end."""
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.folder, ignore_errors=True)


@contextmanager
def celery_broker(url: str):
    """Publish tasks to the broker at `url` (not eagerly) for the duration."""

    def use(broker_url):
        app.conf.broker_url = broker_url
        app._pool = None
        app.amqp._producer_pool = None

    good, eager = app.conf.broker_url, app.conf.task_always_eager
    app.conf.task_always_eager = False
    use(url)
    try:
        yield app
    finally:
        use(good)
        app.conf.task_always_eager = eager
