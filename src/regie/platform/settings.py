"""Django settings. Everything environment-specific comes from environment variables.

DATABASE_URL selects the database for the app, the CLI and the tests alike (``sqlite:///path`` or
``postgres://user:pass@host:port/name``). The default is an embedded SQLite file under ``var/``.
"""

from __future__ import annotations

import ipaddress
import json
import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("REGIE_VAR_DIR", Path.cwd() / "var"))


def _secret_key() -> str:
    if key := os.environ.get("REGIE_SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(50)
    try:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(key)
        path.chmod(0o600)
    except OSError:  # read-only checkout: a per-process key (sessions do not survive a restart)
        pass
    return key


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("REGIE_DEBUG", "0") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("REGIE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "regie.accounts",
    "regie.audit",
    "regie.casework",
    "regie.analytics",
    "regie.monitoring",
    "regie.equity",
    "regie.lab",
    "regie.privacy",
    "regie.retention",
    "regie.legal",  # legal: bezwaar en beroep
    # documents and work tasks
    "regie.documents",
    "regie.worktasks",
    # --- letters ---
    "regie.letters",
    # client record (h/record)
    "regie.clientrecord",
    # agenda: appointments and the start page, the case journal, in-app notifications
    "regie.agenda",
    "regie.journal",
    "regie.notifications",
    "regie.benefit",  # benefit: calculation, income, ledger, payment runs
    "regie.employers",  # employers: employers, vacancies, matching, placements, sociale kaart
    "regie.portal",  # portal: Mijn Regie, the client's own portal
    "regie.platform",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "regie.api",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, which answers /static/ itself: static files get the CSP and X-Frame-Options too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "regie.platform.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "regie.portal.middleware.PortalMiddleware",  # portal: /mijn/ has its own CSP, no-store and rate limits
    "regie.platform.locale.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "regie.platform.nulls.NullCharacterMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "regie.platform.session.IdleTimeoutMiddleware",
    "regie.accounts.middleware.MfaRequiredMiddleware",
    "regie.accounts.middleware.RememberLanguageMiddleware",  # the chosen language on the account (e-mails)
    "django.contrib.messages.middleware.MessageMiddleware",
    "regie.platform.failclosed.PolicyUnavailableMiddleware",
]

ROOT_URLCONF = "regie.platform.urls"
WSGI_APPLICATION = "regie.platform.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Passwords first; the OpenID Connect backend answers only when REGIE_OIDC_CLIENT_ID is set (regie.accounts.oidc).
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend", "regie.accounts.oidc.RegieOIDCBackend"]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "regie.accounts.navigation.navigation",
                "regie.notifications.views.bell",  # agenda: the notifications bell's count
            ]
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'regie.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Persistent connections on SQLite too: opening the file and running the pragmas cost ~2 ms of CPU per request
    # (measured on the 50,000-client demo), a sixth of a page. Each server thread keeps its own connection.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})
    # Server-side binding and prepared statements (h/pages10: 1,440 -> 309 statements planned a page mix, backend
    # CPU 10.9 -> 6.9 ms a request) are opt-in until the PostgreSQL test suite has run with them: server-side
    # binding changes how some queries are parameterised (Django's docs warn of it). REGIE_DB_PREPARED=1 turns them on.
    if os.environ.get("REGIE_DB_PREPARED", "0") == "1":
        DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # Guessability (zxcvbn: common passwords, words, names, keyboard patterns, repeats, dates) with Dutch words and
    # the user's own data; regie.accounts.validators explains the choice.
    {"NAME": "regie.accounts.validators.GuessablePasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = os.environ.get("REGIE_STATIC_ROOT") or None  # WhiteNoise serves app static files directly
WHITENOISE_USE_FINDERS = True

# Security (docs/reliability.md describes and tests these).
SESSION_COOKIE_HTTPONLY = True
# Sessions end after 30 minutes without activity (regie.platform.session), at browser close, at log-out, and at the
# latest 8 hours after log-in however busy (assumption: the upper ends of OWASP's Session Management Cheat Sheet
# ranges, 15-30 minutes idle and 4-8 hours absolute, for an application used all working day).
REGIE_IDLE_SECONDS = int(os.environ.get("REGIE_IDLE_SECONDS", "1800"))
REGIE_SESSION_MAX_SECONDS = int(os.environ.get("REGIE_SESSION_MAX_SECONDS", str(8 * 3600)))


def trusted_proxies(value: str) -> list[str]:
    """The comma-separated REGIE_TRUSTED_PROXIES (addresses or CIDR ranges); anything else is a startup error."""
    items = [item.strip() for item in value.split(",") if item.strip()]
    for item in items:
        ipaddress.ip_network(item, strict=False)  # ValueError names the bad entry
    return items


# Reverse proxies whose X-Forwarded-For is believed (regie.audit.services.origin_of): the client address is the
# rightmost hop that is not one of these. Empty: the direct peer is the client, and the header is ignored.
REGIE_TRUSTED_PROXIES = trusted_proxies(os.environ.get("REGIE_TRUSTED_PROXIES", ""))
# Monitoring pages may show the event log as it was up to this many seconds ago (the page says when): a busy
# municipality appends events all day, and bringing the analytic tables up to date costs more than a page view.
REGIE_MONITORING_MAX_AGE = int(os.environ.get("REGIE_MONITORING_MAX_AGE", "60"))
# Background jobs (regie.platform.jobs): queued in the database, run by `regie worker` (`regie serve` starts one).
# REGIE_JOBS_INLINE=1 runs every job at once in the process that enqueues it (tests, benchmarks, one-off scripts).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    if os.environ.get("REGIE_JOBS_INLINE", "0") == "1"
    else {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}
# A running job reports (heartbeat) after every step: one simulation of a lab ensemble (about a second at 300
# clients, under a minute at 50,000), one model of the equity report (the 50,000-client report takes ~16 s in
# all, docs/operations.md). A job silent for longer than this is shown as interrupted and its one-at-a-time slot
# can be taken over (assumption: 15 minutes leaves a wide margin over the slowest step while a dead worker is
# noticed within a quarter of an hour; the earlier per-thread rules used 15 and 20 minutes).
REGIE_JOB_STALE_SECONDS = int(os.environ.get("REGIE_JOB_STALE_SECONDS", "900"))
# benefit: each municipality's own account for the payment runs (SEPA debtor), municipality code -> {"name", "iban",
# "bic"}, as JSON; a municipality without one cannot release a payment run (regie.benefit.sepa, fail closed)
REGIE_PAYMENT_DEBTORS = json.loads(os.environ.get("REGIE_PAYMENT_DEBTORS") or "{}")
# A Dask scheduler (tcp://host:8786) that the lab's web runs hand their simulations to; empty: the worker computes.
REGIE_LAB_SCHEDULER = os.environ.get("REGIE_LAB_SCHEDULER", "")
SESSION_COOKIE_AGE = REGIE_SESSION_MAX_SECONDS
# Multi-factor log-in (regie.accounts.mfa): which roles must use it is set per municipality (`regie mfa set`, or the
# functioneel beheerder's page). The name authenticator apps show for Regie's TOTP entries:
OTP_TOTP_ISSUER = os.environ.get("REGIE_MFA_ISSUER", "Regie")
# Single sign-on through the municipality's identity provider (OpenID Connect, mozilla-django-oidc), on when a client
# id is set. Endpoints come from the provider's /.well-known/openid-configuration (docs/operations.md).
REGIE_OIDC_ENABLED = bool(os.environ.get("REGIE_OIDC_CLIENT_ID"))
REGIE_OIDC_ISSUER = os.environ.get("REGIE_OIDC_ISSUER", "")  # the id token's "iss" must equal this
# The claim that names the Regie user, and the user field it must equal (username or email). Users are not created
# by a log-in: the functioneel beheerder creates them, with their role, in Regie first.
REGIE_OIDC_USERNAME_CLAIM = os.environ.get("REGIE_OIDC_USERNAME_CLAIM", "preferred_username")
REGIE_OIDC_MATCH_FIELD = os.environ.get("REGIE_OIDC_MATCH_FIELD", "username")
# An SSO log-in counts as multi-factor only when the id token says so: one of these "amr" values, or an "acr" in
# REGIE_OIDC_MFA_ACR (comma-separated; empty: acr is not considered). Otherwise Regie asks its own second step.
REGIE_OIDC_MFA_AMR = [v for v in os.environ.get("REGIE_OIDC_MFA_AMR", "mfa,otp").split(",") if v]
REGIE_OIDC_MFA_ACR = [v for v in os.environ.get("REGIE_OIDC_MFA_ACR", "").split(",") if v]
OIDC_RP_CLIENT_ID = os.environ.get("REGIE_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("REGIE_OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("REGIE_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("REGIE_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("REGIE_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("REGIE_OIDC_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("REGIE_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("REGIE_OIDC_SCOPES", "openid email profile")
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_callback"
LOGIN_REDIRECT_URL_FAILURE = "/inloggen/"
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if os.environ.get("REGIE_HTTPS", "0") == "1":  # behind TLS: HSTS and redirect
    SECURE_HSTS_SECONDS = 31536000
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = os.environ.get("REGIE_SECURE_COOKIES", os.environ.get("REGIE_HTTPS", "0")) == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"


# --- documents ---
# Uploaded and generated documents go through Django's storage API (``storages["documents"]``, regie.documents).
# Default: files under the data directory (REGIE_DOCUMENTS_DIR, default var/documents), never served from a URL:
# every download passes the document view (tenancy, role, confidentiality, audit). Production option: S3-compatible
# object storage through django-storages (pip install "regie[s3]"; docs/operations.md, "Documenten: opslag").
REGIE_DOCUMENTS_DIR = Path(os.environ.get("REGIE_DOCUMENTS_DIR", VAR_DIR / "documents"))
_DOCUMENTS_FS = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {
        "location": str(REGIE_DOCUMENTS_DIR),
        "base_url": None,
        "file_permissions_mode": 0o600,
        "directory_permissions_mode": 0o700,
    },
}
_DOCUMENTS_S3 = {
    "BACKEND": "storages.backends.s3.S3Storage",
    "OPTIONS": {
        "bucket_name": os.environ.get("REGIE_DOCUMENTS_S3_BUCKET", ""),
        "endpoint_url": os.environ.get("REGIE_DOCUMENTS_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("REGIE_DOCUMENTS_S3_REGION") or None,
        "location": os.environ.get("REGIE_DOCUMENTS_S3_PREFIX", ""),
        "default_acl": None,  # private: the bucket's policy decides, never public-read
        "querystring_auth": True,
        "file_overwrite": False,
        "object_parameters": {"ServerSideEncryption": "AES256"}
        if os.environ.get("REGIE_DOCUMENTS_S3_SSE", "1") == "1"
        else {},
    },
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "documents": _DOCUMENTS_S3 if os.environ.get("REGIE_DOCUMENTS_STORAGE", "filesystem") == "s3" else _DOCUMENTS_FS,
}
# Largest document accepted (bytes). Assumption: 25 MB holds a phone photo series or a scanned bank statement of many
# pages; a bigger request is refused before its body is read (regie.documents.uploads).
REGIE_DOCUMENT_MAX_BYTES = int(os.environ.get("REGIE_DOCUMENT_MAX_BYTES", str(25 * 1024 * 1024)))
# Uploads larger than this are written to a temporary file while they arrive, not held in memory (Django's default,
# 2.5 MB, stated here because the documents rely on it). DATA_UPLOAD_MAX_MEMORY_SIZE (Django's default, 2.5 MB)
# limits the non-file fields of a request and does not count the files.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_TEMP_DIR = os.environ.get("REGIE_UPLOAD_TEMP_DIR") or None
# The size limit first: a body over REGIE_DOCUMENT_MAX_BYTES is not read at all (Content-Length), a file stops being
# read once it passes the limit; then Django's own handlers (memory up to FILE_UPLOAD_MAX_MEMORY_SIZE, else a
# temporary file written in chunks).
FILE_UPLOAD_HANDLERS = [
    "regie.documents.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("REGIE_LOG_LEVEL", "WARNING")},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "regie.api.authentication.ApiTokenAuthentication",  # expiry, revocation, role at issue (regie.api.tokens)
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "regie.api.exceptions.handler",
}
# API tokens (regie.api.tokens). 90 days by default: a forgotten token stops by itself within a quarter, and an
# integration renews it on a schedule it can keep (assumption; BIO asks for limited validity, not a number).
# At most a year, so that every credential is reconsidered at least yearly (assumption).
REGIE_API_TOKEN_DAYS = int(os.environ.get("REGIE_API_TOKEN_DAYS", "90"))
REGIE_API_TOKEN_MAX_DAYS = int(os.environ.get("REGIE_API_TOKEN_MAX_DAYS", "365"))
SPECTACULAR_SETTINGS = {
    "TITLE": "Regie API",
    "DESCRIPTION": "Clients, cases and the case event log of one municipality (tenancy and roles as in the web app).",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    # legal: the legal steps' `type` choices get their own enum name (they differ from the event types')
    "ENUM_NAME_OVERRIDES": {"LegalStepTypeEnum": "regie.api.views_legal.LEGAL_STEP_TYPES"},
}

# --- agenda: mail for invitations and notifications ------------------------------------------------------------
# Console by default (nothing leaves the machine); a deployment sets REGIE_EMAIL_BACKEND (e.g.
# django.core.mail.backends.smtp.EmailBackend) with Django's EMAIL_HOST / EMAIL_PORT / EMAIL_HOST_USER settings.
EMAIL_BACKEND = os.environ.get("REGIE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("REGIE_FROM_EMAIL", "regie@localhost")
# Notifications by e-mail too, for users who opted in (off unless the deployment turns it on).
REGIE_NOTIFY_EMAIL = os.environ.get("REGIE_NOTIFY_EMAIL", "") == "1"


# --- portal: Mijn Regie (regie.portal, docs/portal.md) ---
# One DigiD broker (OpenID Connect) per municipality, from a JSON file {"<CBS code>": {...}}; none: the portal is
# closed (fail closed, regie.portal.config).
REGIE_PORTAL_CONFIG = os.environ.get("REGIE_PORTAL_CONFIG", "")
REGIE_PORTAL_BROKERS: dict = {}
if REGIE_PORTAL_CONFIG:
    import json as _json

    with open(REGIE_PORTAL_CONFIG, encoding="utf-8") as _fh:
        REGIE_PORTAL_BROKERS = _json.load(_fh)
# portal: eHerkenning log-in for provider coaches, one broker per provider, from a JSON file
# {"<CBS code>/<provider code>": {...}} (regie.accounts.eherkenning); none: no eHerkenning log-in (fail closed).
REGIE_EHERKENNING_CONFIG = os.environ.get("REGIE_EHERKENNING_CONFIG", "")
REGIE_EHERKENNING_PROVIDERS: dict = {}
if REGIE_EHERKENNING_CONFIG:
    import json as _json

    with open(REGIE_EHERKENNING_CONFIG, encoding="utf-8") as _fh:
        REGIE_EHERKENNING_PROVIDERS = _json.load(_fh)
REGIE_PORTAL_IDLE_SECONDS = int(os.environ.get("REGIE_PORTAL_IDLE_SECONDS", 15 * 60))  # assumption: 15 minutes
REGIE_PORTAL_MAX_SECONDS = int(os.environ.get("REGIE_PORTAL_MAX_SECONDS", 2 * 3600))  # assumption: 2 hours
REGIE_PORTAL_RATE = int(os.environ.get("REGIE_PORTAL_RATE", 120))  # requests a minute per address (assumption)
REGIE_PORTAL_LOGIN_RATE = int(os.environ.get("REGIE_PORTAL_LOGIN_RATE", 20))  # log-ins per 10 min (assumption)
# The demo citizen log-in (no DigiD): only with DEBUG as well (regie.portal.demo), never in production.
REGIE_PORTAL_DEMO_LOGIN = os.environ.get("REGIE_PORTAL_DEMO_LOGIN", "0") == "1"
