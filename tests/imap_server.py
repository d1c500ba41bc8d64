"""A throwaway Dovecot on free loopback ports, for the IMAP tests and the bench.

`DovecotServer` writes its own configuration, users and maildirs in a temporary
folder and runs `dovecot -F` in the foreground as a child process: the system's
Dovecot service is neither needed nor touched. It listens for plain IMAP (and
STARTTLS) on `port` and for IMAPS on `ssl_port`, with a self-signed certificate
for "localhost" in `cert_path` (trust it with SSL_CERT_FILE).
"""

import datetime
import imaplib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
HAS_DOVECOT = os.access(DOVECOT, os.X_OK)
PASSWORD = "secret"

requires_dovecot = pytest.mark.skipif(
    not HAS_DOVECOT,
    reason="needs Dovecot (Debian package dovecot-imapd; .ci/run installs it)",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path


class DovecotServer:
    """One Dovecot where any user name signs in with PASSWORD and has a
    mailbox of its own; `start()`, `stop()`, `deliver()`."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="helpdesk-dovecot-"))
        self.folder.chmod(0o755)
        self.port = free_port()
        self.ssl_port = free_port()
        self.process: subprocess.Popen | None = None
        if os.geteuid() == 0:
            # Dovecot never reads mail as root: its own system user does.
            owner = pwd.getpwnam("dovecot")
            self.internal_user, self.login_user = "dovecot", "dovenull"
        else:
            owner = pwd.getpwuid(os.geteuid())
            self.internal_user = self.login_user = owner.pw_name
        self.uid, self.gid = owner.pw_uid, owner.pw_gid
        self.cert_path, self.key_path = _self_signed_certificate(self.folder)
        (self.folder / "mail").mkdir()
        os.chown(self.folder / "mail", self.uid, self.gid)
        self.config = self.folder / "dovecot.conf"
        self.config.write_text(self._config())

    def _config(self) -> str:
        folder = self.folder
        return f"""\
base_dir = {folder}/run
state_dir = {folder}/state
instance_name = helpdesk-test-{self.port}
protocols = imap
listen = 127.0.0.1
log_path = {folder}/dovecot.log
default_internal_user = {self.internal_user}
default_internal_group = {pwd.getpwnam(self.internal_user).pw_name}
default_login_user = {self.login_user}
first_valid_uid = 1
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
ssl = yes
ssl_cert = <{self.cert_path}
ssl_key = <{self.key_path}
mail_location = maildir:{folder}/mail/%u
# Any user name signs in with the one password: each test makes its own.
passdb {{
  driver = static
  args = password={PASSWORD}
}}
userdb {{
  driver = static
  args = uid={self.uid} gid={self.gid} home={folder}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.ssl_port}
    ssl = yes
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""

    def start(self) -> None:
        # The key belongs to root or the tester; Dovecot reads it as its
        # config process, before dropping privileges.
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        # Generous: a loaded CI machine can take long to fork its processes.
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                # Without this socket the auth process, started at the first
                # login, adds no growing delay after wrong passwords: tests
                # try many from the one address.
                (self.folder / "run" / "anvil-auth-penalty").unlink(missing_ok=True)
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    log = self.log()
                    raise RuntimeError(f"dovecot did not start:\n{log}") from None
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def log(self) -> str:
        path = self.folder / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def connect(self, user: str) -> imaplib.IMAP4:
        """A signed-in IMAP connection, for a test to look at the folder."""
        connection = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        connection.login(user, PASSWORD)
        return connection

    def deliver(self, user: str, *messages: bytes, folder: str = "INBOX") -> None:
        """Put `messages` in `folder` of `user`'s mailbox with IMAP APPEND."""
        connection = self.connect(user)
        try:
            connection.create(folder)  # answers NO when it exists already
            for raw in messages:
                status, response = connection.append(folder, None, None, raw)
                assert status == "OK", response
        finally:
            connection.logout()

    def drop_in_maildir(self, user: str, messages) -> int:
        """Write `messages` straight into the maildir's new/ folder, as a local
        delivery agent does: far quicker than APPEND for thousands. Return how
        many were written."""
        new = self.folder / "mail" / user / "new"
        for name in ("new", "cur", "tmp"):
            (new.parent / name).mkdir(parents=True, exist_ok=True)
        count = 0
        stamp = int(time.time())
        for count, raw in enumerate(messages, start=1):
            path = new / f"{stamp}.M{count}P{os.getpid()}.{uuid.uuid4().hex[:8]}"
            path.write_bytes(raw)
        for path in [new.parent, *new.parent.rglob("*")]:
            os.chown(path, self.uid, self.gid)
        return count

    def renumber(self, user: str, folder: str = "INBOX") -> None:
        """Make the server give `folder` a new UIDVALIDITY, as after a restore
        or a migration: its index and UID list are thrown away."""
        self.stop()
        root = self.folder / "mail" / user
        if folder != "INBOX":
            root = root / f".{folder}"
        for path in root.glob("dovecot*"):
            path.unlink()
        # Dovecot would keep the old UIDVALIDITY for a folder it knows: only a
        # clock second later guarantees a different one.
        time.sleep(1.1)
        self.start()


@pytest.fixture(scope="session")
def dovecot():
    """One Dovecot for the test session (each xdist worker has its own)."""
    if not HAS_DOVECOT:
        pytest.skip("needs Dovecot (Debian package dovecot-imapd; .ci/run installs it)")
    server = DovecotServer()
    server.start()
    yield server
    server.remove()


@pytest.fixture
def imap_user(dovecot):
    """A mailbox of its own for one test: the user name (password PASSWORD)."""
    return f"u{uuid.uuid4().hex[:10]}"


class Intake:
    """Stands in for intake.ingest, remembering what it was handed."""

    def __init__(self, fail_on: set[str] = frozenset(), error=RuntimeError):
        self.subjects: list[str] = []
        self.fail_on, self.error = fail_on, error

    def __call__(self, raw, *, mailbox, source):
        subject = next(
            line.split(b": ", 1)[1].decode()
            for line in raw.splitlines()
            if line.startswith(b"Subject: ")
        )
        assert source == "imap"
        if subject in self.fail_on:
            raise self.error(f"cannot take {subject}")
        self.subjects.append(subject)


@pytest.fixture
def mail_key(settings):
    """Mailbox passwords may be stored (mail/secrets.py)."""
    settings.MAIL_SECRET_KEY = "a key for the tests only"


def make_mailbox(queue, server, user, **fields):
    """A mailbox read from `user`'s mail on `server`, its password stored."""
    from mail import secrets
    from mail.models import Mailbox

    mailbox = Mailbox(
        **{
            "name": "Support",
            "email_address": f"{user}@example.org",
            "queue": queue,
            "imap_host": "127.0.0.1",
            "imap_port": server.port,
            "imap_security": Mailbox.Security.NONE,
            "imap_user": user,
            **fields,
        }
    )
    secrets.set_password(mailbox, PASSWORD)
    mailbox.save()
    return mailbox
