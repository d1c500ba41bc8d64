"""Settings for the helpdesk, read from the environment.

Every variable is listed in `.env.example`. With nothing set the project runs
for development on SQLite with an embedded broker; with DEBUG off the defaults
are the safe production ones and SECRET_KEY must be given.
"""

import os
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# An empty variable counts as unset, so that `VAR=` in a .env file and
# docker-compose.yml's `${VAR:-}` leave the default below in force.
env.ENVIRON = {name: value for name, value in os.environ.items() if value}

DEBUG = env.bool("DEBUG", default=False)

DEV_SECRET_KEY = "development-only-key-never-used-in-production-0123456789abcdef"
# Keys printed in this repository or its history: anyone could forge sessions,
# sign-in links and password resets with them.
PUBLIC_SECRET_KEYS = {
    DEV_SECRET_KEY,
    "change-me-to-a-long-random-string-before-real-use-0123456789",
}
SECRET_KEY = env.str("SECRET_KEY", default="")
if not DEBUG:
    if not SECRET_KEY:
        _weakness = "SECRET_KEY is not set"
    elif SECRET_KEY in PUBLIC_SECRET_KEYS or SECRET_KEY.startswith("django-insecure-"):
        _weakness = "SECRET_KEY is a published example key"
    elif len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        _weakness = "SECRET_KEY is too short or too plain to be secret"
    else:
        _weakness = ""
    if _weakness:
        raise ImproperlyConfigured(
            f"{_weakness}. Set SECRET_KEY to a random string of 50 characters or "
            'more, e.g. the output of python3 -c "import secrets; '
            'print(secrets.token_urlsafe(50))" (or DEBUG=1 for development).'
        )
SECRET_KEY = SECRET_KEY or DEV_SECRET_KEY

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "drf_standardized_errors",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "customers",
    "sla",
    "tickets",
    "mail",
    "registers",
    "letters",
    "memos",
    "policies",
    "feedback",
    "tone",
    "knowledge",
    "portal",
    "dashboard",
    "api",
    "webhooks",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "helpdesk.middleware.ViewerTimezoneMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "helpdesk.middleware.RefuseNulMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After the session, the user and htmx: staff acknowledge a new service
    # policy before any other page.
    "policies.middleware.PolicyAcknowledgementMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "helpdesk.urls"
WSGI_APPLICATION = "helpdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tickets.context_processors.roles",
            ],
            "libraries": {"links": "helpdesk.links"},
        },
    },
]

# Database: PostgreSQL in production (DATABASE_URL), SQLite file otherwise.
DATABASES = {
    "default": env.db_url_config(
        env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
# Persistent connections: a new connection per request costs 2.5-6x.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web, worker, beat) share the file: wait for locks,
    # take the write lock when a transaction begins (a read that later writes
    # would otherwise fail at once with "database is locked"), and let readers
    # go on while one process writes (WAL).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    # PostgreSQL's parallel query is off unless asked for: with a sync web
    # worker per core already busy, the helper processes it starts for a big
    # aggregate only compete with them (the supervisor dashboard at a million
    # tickets, two at once on 2 cores: p50 600 ms with them, 260 ms without).
    parallel = env.int("DATABASE_PARALLEL_WORKERS", default=0)
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c max_parallel_workers_per_gather={parallel}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Rate limits and short-lived counts: while Redis is down each process
    # keeps them in memory (helpdesk/cache.py), so intake never stops.
    CACHES = {
        "default": {
            "BACKEND": "helpdesk.cache.FallbackRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    # Shared between processes so rate limits hold across web workers.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["customers.auth.EmailOrUsernameBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ar", _("Arabic"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["helpdesk.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Riyadh")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end packages come from npm (package.json, pinned) and are served from
# here, never from a CDN: departments run this on closed networks.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/chart.js", NODE_MODULES / "chart.js" / "dist"),
]

# Uploaded files are private: they are never served from a public URL, only
# through the attachment view that checks who may see the ticket.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/private-media-not-served/"
FILE_UPLOAD_PERMISSIONS = 0o640
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
ATTACHMENT_MAX_COUNT = env.int("ATTACHMENT_MAX_COUNT", default=5)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Email: console in development; EMAIL_URL=smtp://user:pass@host:587/?tls=True
EMAIL_CONFIG = env.email_url(
    "EMAIL_URL",
    default="consolemail://" if DEBUG else "smtp://localhost:25",
)
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="helpdesk@localhost")
# How long a process keeps SLA policies and calendars before reading them
# again: an edit applies to new computations within this time.
SLA_CONFIG_CACHE_SECONDS = env.int("SLA_CONFIG_CACHE_SECONDS", default=30)
# How long the shared cache keeps reference data (queues, the default queue,
# categories, root causes, canned responses, tiers, queue members) that no
# save announced: a save or delete through the models forgets it at once.
REFERENCE_CACHE_SECONDS = env.int("REFERENCE_CACHE_SECONDS", default=10)
# The supervisor dashboard's figures are kept this long, shared by everyone
# asking for the same queues and filters (counting every open ticket and the
# week's SLA events costs far more than showing them); the page shows the
# time they were worked out. 0 works them out on every request.
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=30)
# The agent's ticket page is kept rendered, per viewer, while nothing it shows
# has changed (tickets/page_cache.py: PostgreSQL row versions tell), at most
# this long. 0 renders it on every request.
TICKET_PAGE_CACHE_SECONDS = env.int("TICKET_PAGE_CACHE_SECONDS", default=60)
# Whether pages show the Umm al-Qura (Hijri) date beside the Gregorian one,
# until a user chooses otherwise in their preferences.
HIJRI_DATES = env.bool("HIJRI_DATES", default=True)
# Links in emails point here.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The department's letterhead on letters (letters/pdf.py), in each language.
# An address is one or more lines separated by "|". The logo is a path under
# static/ (SVG or PNG), the only file a letter's PDF may read besides fonts.
LETTERHEAD_NAME = env.str("LETTERHEAD_NAME", default="Customer Service Department")
LETTERHEAD_NAME_AR = env.str("LETTERHEAD_NAME_AR", default="إدارة خدمة العملاء")
LETTERHEAD_ADDRESS = env.str(
    "LETTERHEAD_ADDRESS", default="P.O. Box 12345|Riyadh 11564, Saudi Arabia"
)
LETTERHEAD_ADDRESS_AR = env.str(
    "LETTERHEAD_ADDRESS_AR",
    default="ص.ب 12345|الرياض 11564، المملكة العربية السعودية",
)
LETTERHEAD_PHONE = env.str("LETTERHEAD_PHONE", default="")
LETTERHEAD_EMAIL = env.str("LETTERHEAD_EMAIL", default="")
LETTERHEAD_LOGO = env.str("LETTERHEAD_LOGO", default="img/letterhead.svg")

# Celery: Redis when REDIS_URL is set, otherwise a broker on the filesystem that
# needs no server (development and `make run` on a laptop).
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A Redis that does not answer fails `.delay()` in seconds rather than
    # holding the request; the outbox rows wait for the beat entries.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2}
else:
    CELERY_BROKER_URL = "filesystem://"
    _broker_dir = str(VAR_DIR / "broker")
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": _broker_dir,
        "data_folder_out": _broker_dir,
        "processed_folder": str(VAR_DIR / "broker-processed"),
        "control_folder": str(VAR_DIR / "broker-control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    # Every minute: record SLA warnings and breaches that came due, notify and
    # escalate (sla/sweep.py). A sweep older than its interval is dropped:
    # the next one does the same work.
    "sla-sweep": {
        "task": "tickets.tasks.sla_sweep",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Every minute: send emails to customers still waiting in the outbox (the
    # broker was down when they were written, or a sender died mid-batch).
    "customer-emails": {
        "task": "tickets.tasks.send_customer_emails",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Every 5 minutes: re-plan the open tickets of SLA changes whose
    # re-planning never started (the broker was down) or stopped midway.
    "sla-replanning": {
        "task": "sla.tasks.resume_replanning",
        "schedule": 300,
    },
    # Every 30 seconds: open the tickets of web form requests still waiting
    # (portal/intake.py); the form wakes a worker itself, this catches what
    # a broker outage or a failed try left.
    "web-requests": {
        "task": "portal.tasks.open_web_requests",
        "schedule": 30.0,
        "options": {"expires": 25},
    },
    # Every minute: read each active IMAP mailbox, each in a task of its own
    # (mail/tasks.py). A round older than its interval is dropped.
    "poll-mailboxes": {
        "task": "mail.tasks.poll_mailboxes",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Every 5 seconds: turn new ticket events into webhook deliveries and
    # send those due, retries included (webhooks/outbox.py). The ticket
    # verbs wake the relay after their commit when anyone subscribes; this
    # catches what a busy or absent broker left. Old rounds are dropped.
    "webhook-relay": {
        "task": "webhooks.tasks.relay_ticket_events",
        "schedule": 5.0,
        "options": {"expires": 5},
    },
    # Every night at 03:17: delete expired sessions so the table stays small.
    "clear-expired-sessions": {
        "task": "tickets.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=17),
    },
    # Every night at 03:37: forget API idempotency keys older than a day and
    # API tokens past their expiry.
    "forget-old-api-records": {
        "task": "api.tasks.forget_old_api_records",
        "schedule": crontab(hour=3, minute=37),
    },
}

REST_FRAMEWORK = {
    # Every error, from a wrong filter to a refused token, in one JSON shape
    # (drf-standardized-errors); api.errors adds the ticket services' refusals.
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_standardized_errors.openapi.AutoSchema",
    # Integrations send `Authorization: Token <key>` (knox, stored hashed);
    # the browser its session, with its CSRF token. The token comes first so
    # a caller without credentials is answered 401 with WWW-Authenticate.
    # No HTTP Basic: it took a password with every request.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # DRF's own, refusing NUL characters with 400 (PostgreSQL stores none).
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONParser",
        "api.parsers.FormParser",
        "api.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Too many requests answer 429 with Retry-After, refused callers included.
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonRateThrottle",
        "api.throttling.UserRateThrottle",
        "api.throttling.TokenRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        # Per IP address for callers who are not signed in.
        "anon": env.str("API_RATE_ANON", default="60/minute"),
        # Per signed-in user (all of a user's tokens together).
        "user": env.str("API_RATE_USER", default="1200/minute"),
        # Per API token, keyed by the token rather than the address it calls
        # from (an integration's servers share one token, or one server
        # carries several).
        "token": env.str("API_RATE_TOKEN", default="600/minute"),
    },
}
# API tokens: knox's own model, each with a name and the time last used
# beside it (api.models.TokenLabel). Named here because migrations that point
# at a swappable model read its setting.
KNOX_TOKEN_MODEL = "knox.AuthToken"
# The longest life an API token may be given, in days; 0 lets tokens be made
# that never expire (api.tokens).
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=365)
REST_KNOX = {
    # Recognisable in a leaked log or a repository by secret scanners.
    "TOKEN_PREFIX": "hd_",
    "AUTH_HEADER_PREFIX": "Token",
}
DRF_STANDARDIZED_ERRORS = {
    "EXCEPTION_HANDLER_CLASS": "api.errors.ApiExceptionHandler",
    # The errors every endpoint may answer, as the schema lists them; 409,
    # 412 and 428 are listed by the endpoints that answer them (api.views).
    "ALLOWED_ERROR_STATUS_CODES": [
        "400",
        "401",
        "403",
        "404",
        "405",
        "406",
        "415",
        "429",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Helpdesk API",
    "DESCRIPTION": "Tickets, customers and correspondence for integrations.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ChannelEnum": "helpdesk.channels.Channel",
        "ReplyChannelEnum": "tickets.forms.REPLY_CHANNELS",
        "LoggedChannelEnum": "tickets.forms.LOGGED_CHANNELS",
        # Fields of the same name with other choices: a ticket's status and
        # an SLA clock's, a ticket's kind and a customer's.
        "TicketStatusEnum": "tickets.models.Ticket.Status",
        "ClockStatusEnum": "sla.models.SLAClock.Status",
        "TicketKindEnum": "tickets.models.Ticket.Kind",
        "CustomerKindEnum": "customers.models.Customer.Kind",
        "MessageDirectionEnum": "tickets.models.Message.Direction",
        "ContactDirectionEnum": "api.serializers.CONTACT_DIRECTIONS",
        # An SLA clock's state now, and a webhook delivery's.
        "SlaStateEnum": "api.views.service_levels.STATES",
        "DeliveryStateEnum": "webhooks.models.Delivery.State",
        # Arabic or English, for a customer and a canned response alike.
        "LanguageEnum": "customers.models.Customer.Language",
        # drf-standardized-errors' enums of error codes, named once.
        **{
            name: f"drf_standardized_errors.openapi_serializers.{name}.choices"
            for name in (
                "ValidationErrorEnum",
                "ClientErrorEnum",
                "ServerErrorEnum",
                "ErrorCode401Enum",
                "ErrorCode403Enum",
                "ErrorCode404Enum",
                "ErrorCode405Enum",
                "ErrorCode406Enum",
                "ErrorCode415Enum",
                "ErrorCode429Enum",
                "ErrorCode500Enum",
            )
        },
    },
    "POSTPROCESSING_HOOKS": [
        "drf_standardized_errors.openapi_hooks.postprocess_schema_enums",
        "api.schema_hooks.list_item_error_attrs",
    ],
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Login and public forms are rate limited (django-ratelimit, shared cache).
RATELIMIT_VIEW = "helpdesk.views.rate_limited"
LOGIN_RATE = env.str("LOGIN_RATE", default="10/m")
# The public web form, per IP address and per email address typed in it.
SUPPORT_RATE_IP = env.str("SUPPORT_RATE_IP", default="10/10m")
SUPPORT_RATE_EMAIL = env.str("SUPPORT_RATE_EMAIL", default="5/h")
# How long a portal sign-in link sent by email stays valid.
SIGN_IN_LINK_MAX_AGE = env.int("SIGN_IN_LINK_MAX_AGE", default=30 * 60)
# How often an open ticket page tells who else is on it (tickets/presence.py);
# 0 turns the line off.
PRESENCE_HEARTBEAT_SECONDS = env.int("PRESENCE_HEARTBEAT_SECONDS", default=10)
# The composers' tone checks, per agent: one a second while typing is plenty.
TONE_CHECK_RATE = env.str("TONE_CHECK_RATE", default="120/m")

# Webhooks (webhooks/): a subscription is paused, and its owner emailed,
# after this many failed attempts in a row; each attempt waits this long for
# the receiver. URLs on loopback, link-local and private networks are refused
# unless WEBHOOK_ALLOW_PRIVATE_NETWORKS is on (a receiver inside the
# department's own network, or tests).
WEBHOOK_PAUSE_AFTER_FAILURES = env.int("WEBHOOK_PAUSE_AFTER_FAILURES", default=15)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=5.0)
WEBHOOK_ALLOW_PRIVATE_NETWORKS = env.bool(
    "WEBHOOK_ALLOW_PRIVATE_NETWORKS", default=False
)

# Security. Production defaults are the strict ones; behind a TLS-terminating
# proxy set SECURE_PROXY_SSL_HEADER_ENABLED=1.
HTTPS = env.bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
# The container's health check asks gunicorn directly, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz/"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env.bool("SECURE_PROXY_SSL_HEADER_ENABLED", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = []
if not REDIS_URL:
    # The file cache is shared by every process on one machine, which is all
    # the embedded (development) set-up runs on.
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003", "django_ratelimit.W001"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Email intake (mail/): messages over EMAIL_MAX_BYTES are kept whole in the
# quarantine; mail servers post to /inbound/email/ with this bearer secret.
EMAIL_MAX_BYTES = env.int("EMAIL_MAX_BYTES", default=20 * 1024 * 1024)
INBOUND_EMAIL_SECRET = env.str("INBOUND_EMAIL_SECRET", default="")
INBOUND_EMAIL_RATE = env.str("INBOUND_EMAIL_RATE", default="600/m")
# A sender's mail beyond this many messages an hour is quarantined (loops).
EMAIL_SENDER_HOURLY_CAP = env.int("EMAIL_SENDER_HOURLY_CAP", default=30)
# Copies of a message without a Message-ID within this window are one message.
EMAIL_DUPLICATE_WINDOW_HOURS = 24
# Our own addresses (mailboxes), asked of every message, are kept in each
# process this long: a new mailbox is known everywhere within this time.
EMAIL_OWN_ADDRESSES_CACHE_SECONDS = env.int(
    "EMAIL_OWN_ADDRESSES_CACHE_SECONDS", default=30
)
# Encrypts the IMAP passwords stored on mailboxes (mail/secrets.py); any
# string works. Without it, passwords can only come from the environment.
MAIL_SECRET_KEY = env.str("MAIL_SECRET_KEY", default="")
