"""Platu settings: one file, read from the environment.

Every setting that differs between installations comes from an environment
variable (or, for secrets, from a ``*_FILE``). See README "Production".
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def envlist(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def envsecret(name: str) -> str | None:
    """A secret from NAME, or from the file named by NAME_FILE."""
    if os.environ.get(name):
        return os.environ[name]
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return None


DATA_DIR = Path(os.environ.get("PLATU_DATA_DIR") or BASE_DIR / "var").resolve()
DEBUG = envbool("PLATU_DEBUG", False)

# SECRET_KEY: the environment, a *_FILE, or the file `make run` generates once
# into the data folder. There is no built-in fallback: a missing key is an error.
SECRET_KEY = envsecret("SECRET_KEY")
if not SECRET_KEY and (DATA_DIR / "secret_key").exists():
    SECRET_KEY = (DATA_DIR / "secret_key").read_text(encoding="utf-8").strip()
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Set SECRET_KEY (or SECRET_KEY_FILE), or run `make secret` "
        f"to generate {DATA_DIR / 'secret_key'}."
    )

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

# HTTPS: on in production behind a TLS-terminating reverse proxy.
PLATU_HTTPS = envbool("PLATU_HTTPS", False)
if envbool("PLATU_BEHIND_PROXY", PLATU_HTTPS):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
# The client's address: X-Forwarded-For is read only from these proxies (addresses or networks,
# comma-separated; platu/lib/clientip.py), for the audit log and log-in throttling.
PLATU_TRUSTED_PROXIES = envlist(
    "PLATU_TRUSTED_PROXIES", "127.0.0.1,::1" if envbool("PLATU_BEHIND_PROXY", PLATU_HTTPS) else ""
)
SESSION_COOKIE_SECURE = PLATU_HTTPS
CSRF_COOKIE_SECURE = PLATU_HTTPS
SECURE_SSL_REDIRECT = PLATU_HTTPS and envbool("PLATU_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = envint("PLATU_HSTS_SECONDS", 31536000 if PLATU_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PLATU_HTTPS
SECURE_HSTS_PRELOAD = envbool("PLATU_HSTS_PRELOAD", PLATU_HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every response (django-csp): scripts only from Platu's own static
# files: no inline event handlers, and an inline script would need nonce="{{ request.csp_nonce }}"
# (the JSON data blocks of allauth and Swagger UI are not run, so need none). Styles may also be
# inline: templates set computed widths and indents in style="" attributes and Swagger UI's
# React sets styles, which a nonce cannot cover. Videos come from the two embed hosts
# (knowledge/files.py). Files served by Platu keep their own stricter policy (sandbox).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SESSION_COOKIE_HTTPONLY = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "ninja",  # its Swagger UI from its own static files (no CDN): /api/v1/docs
    "platu.lib",
    "platu.accounts",
    "platu.audit",
    "platu.orgs",
    "platu.notify",
    "platu.line",
    "platu.knowledge",
    "platu.search",
    "platu.planning",
    "platu.communities",
    "platu.tracking",
    "platu.dashboards",
    "platu.surveys",
    "platu.awards",
    "platu.competency",
    "platu.exports",
    "platu.core",
    "platu.ops",
    "platu.privacy",
    "platu.demo",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "platu.core.middleware.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "platu.audit.middleware.AuditContextMiddleware",
    "platu.privacy.middleware.PrivacyNoticeMiddleware",
    "platu.core.middleware.CurrentOrganisationMiddleware",
    "platu.core.middleware.ThaiDigitsMiddleware",
]

ROOT_URLCONF = "platu.urls"
WSGI_APPLICATION = "platu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "platu" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "platu.core.context_processors.shell",
            ],
        },
    },
]

# Databases: SQLite by default (WAL, immediate transactions, 10 s busy timeout);
# PostgreSQL through DATABASE_URL, with persistent, health-checked connections.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=envint("PLATU_CONN_MAX_AGE", 600), conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "platu.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 10,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=10000;"
                ),
            },
        }
    }
# Read replicas: PostgreSQL streaming standbys (comma-separated URLs) as replica1, replica2…; the
# reads of web requests go to a healthy one, all else to the primary (platu/dbrouting/router.py).
DATABASE_REPLICAS: list[str] = []
for _number, _url in enumerate(envlist("DATABASE_REPLICA_URLS"), start=1):
    if not DATABASE_URL:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URLS needs DATABASE_URL: replicas copy a PostgreSQL primary."
        )
    _replica = dj_database_url.parse(
        _url, conn_max_age=envint("PLATU_CONN_MAX_AGE", 600), conn_health_checks=True
    )
    _replica.setdefault("OPTIONS", {})["connect_timeout"] = envint("PLATU_REPLICA_CONNECT_TIMEOUT", 2)
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica{_number}"] = _replica
    DATABASE_REPLICAS.append(f"replica{_number}")
if DATABASE_REPLICAS:
    DATABASE_ROUTERS = ["platu.dbrouting.router.ReplicaRouter"]
    MIDDLEWARE.insert(1, "platu.dbrouting.middleware.replica_reads")
PLATU_REPLICA_MAX_LAG = envint("PLATU_REPLICA_MAX_LAG", 10)  # seconds; a replica further behind is skipped
PLATU_REPLICA_CHECK_SECONDS = envint("PLATU_REPLICA_CHECK_SECONDS", 2)  # each process asks this often
PLATU_REPLICA_RETRY_SECONDS = envint("PLATU_REPLICA_RETRY_SECONDS", 30)  # an unreachable one is left alone
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared by every worker process (login throttling must see all attempts).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "platu_cache",
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth
ACCOUNT_ADAPTER = "platu.accounts.adapter.PlatuAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"  # accounts are made by organisation admins
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    # Successful log-ins are not counted: allauth's default (30 POSTs a minute per address) turned
    # away a school's morning, whose people share one address (a NAT or the proxy).
    "login": "",
    # Failures: the 6th for one account within 30 minutes is refused; from one address, generously
    # (a school's people mistyping), the 101st within a minute.
    "login_failed": "100/m/ip,5/30m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Platu] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PLATU_HTTPS else "http"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Platu"
# Government sign-in (docs/govsignin.md): DGA Digital ID and ThaID through allauth's OpenID
# Connect provider (discovery, PKCE, a nonce, state), each on when PLATU_OIDC_<ID>_URL (the issuer),
# _CLIENT_ID and _SECRET (or _SECRET_FILE) are set; _SCOPE changes the scopes asked for.
PLATU_OIDC_PROVIDERS = {"dga": "DGA Digital ID", "thaid": "ThaID"}
_OIDC_URLS = {key: os.environ.get(f"PLATU_OIDC_{key.upper()}_URL", "") for key in PLATU_OIDC_PROVIDERS}
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": key,
                "name": name,
                "client_id": os.environ.get(f"PLATU_OIDC_{key.upper()}_CLIENT_ID", ""),
                "secret": envsecret(f"PLATU_OIDC_{key.upper()}_SECRET") or "",
                "settings": {
                    "server_url": _OIDC_URLS[key],
                    "scope": os.environ.get(
                        f"PLATU_OIDC_{key.upper()}_SCOPE", "openid profile email"
                    ).split(),
                },
            }
            for key, name in PLATU_OIDC_PROVIDERS.items()
            if _OIDC_URLS[key]
        ],
    }
}
# The sign-in buttons post to the providers.
CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] += [  # type: ignore[operator]
    "/".join(url.split("/")[:3]) for url in _OIDC_URLS.values() if url
]
SOCIALACCOUNT_ADAPTER = "platu.accounts.socialadapter.PlatuSocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # linking by e-mail is Platu's own, stricter rule
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_AUTO_SIGNUP = False
# Claims holding a citizen id: never stored, only as an HMAC-SHA256 (key: PLATU_OIDC_HASH_KEY,
# else derived from SECRET_KEY).
PLATU_OIDC_CITIZEN_ID_CLAIMS = envlist("PLATU_OIDC_CITIZEN_ID_CLAIMS", "pid,citizen_id,personal_id")
PLATU_OIDC_HASH_KEY = envsecret("PLATU_OIDC_HASH_KEY") or ""

# E-mail: printed to the console unless an SMTP host is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = envint("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD") or ""
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Platu <platu@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Internationalisation: Thai first, English by a switch.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Bangkok")
USE_I18N = True
USE_TZ = True

# Static files: collected into the data folder and served by whitenoise.
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [
    BASE_DIR / "platu" / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/quill", BASE_DIR / "node_modules" / "quill" / "dist"),
]
try:  # The Sarabun TTFs ship in a Python package (fontpkg-sarabun).
    import fontpkg_sarabun

    STATICFILES_DIRS.append(("vendor/sarabun", fontpkg_sarabun.ROOT / "files"))
except ImportError:  # pragma: no cover - a broken install; `make` installs it
    pass
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not envbool("PLATU_PLAIN_STATIC", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
# Public uploads (logos) are served by platu/core/media.py; browsers keep them this many seconds.
PLATU_MEDIA_MAX_AGE = envint("PLATU_MEDIA_MAX_AGE", 3600)
FILE_UPLOAD_PERMISSIONS = 0o640
PLATU_LOGO_MAX_BYTES = envint("PLATU_LOGO_MAX_BYTES", 2 * 1024 * 1024)

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PLATU_LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}

# Knowledge repository
PLATU_UPLOAD_MAX_BYTES = envint("PLATU_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # larger uploads spool to a temporary file
# Page views are buffered in memory and written in batches by a background thread.
PLATU_VIEW_FLUSH_SECONDS = envint("PLATU_VIEW_FLUSH_SECONDS", 30)
# Views buffered in a web worker are handed to the background worker at this many, or when the
# oldest is PLATU_VIEW_FLUSH_SECONDS old (knowledge/counter.py).
PLATU_VIEW_BATCH = envint("PLATU_VIEW_BATCH", 200)
# How long the check-in QR code of a community session stays valid.
PLATU_CHECKIN_MINUTES = envint("PLATU_CHECKIN_MINUTES", 15)
# The yearly minimum of PLC hours a teacher logs (the workload rules say 50).
PLATU_PLC_MIN_HOURS = envint("PLATU_PLC_MIN_HOURS", 50)
# Every match is ranked; the count shown stops at this many ("more than 1,000").
PLATU_SEARCH_COUNT_MAX = envint("PLATU_SEARCH_COUNT_MAX", 1000)
# In a collection of at least this many documents, words in more than half of them (bm25 gives
# them no weight) are left out of the any-word form of a question (platu/search/ranking.py).
PLATU_SEARCH_COMMON_MIN = envint("PLATU_SEARCH_COMMON_MIN", 10_000)
# Changed rows indexed after a commit in the request itself, up to this many; more go to the
# background worker (platu/search/pending.py).
PLATU_SEARCH_INLINE_MAX = envint("PLATU_SEARCH_INLINE_MAX", 200)
# Processes that segment text during a rebuild or a large indexing run (0: the indexing process).
PLATU_INDEX_WORKERS = envint("PLATU_INDEX_WORKERS", min(2, os.cpu_count() or 1))
# PostgreSQL: a bulk indexing of at least this many rows, and of half the index or more, loads a
# new index table and builds its indexes once (search/backends.py).
PLATU_SEARCH_BULK_MIN = envint("PLATU_SEARCH_BULK_MIN", 5000)
PLATU_EXTRACT_MAX_CHARS = envint("PLATU_EXTRACT_MAX_CHARS", 200_000)

# Background work (e-mail, long exports): django-tasks. The database backend needs a
# worker (`python manage.py db_worker`, started by `make run`); PLATU_TASKS=immediate
# runs tasks in the request instead (small installations without a worker).
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if os.environ.get("PLATU_TASKS", "database") == "immediate"
        else "django_tasks_db.DatabaseBackend"
    }
}

# Demo network password (`python manage.py platu_demo`).
PLATU_DEMO_PASSWORD = os.environ.get("PLATU_DEMO_PASSWORD", "")

# The address people use to reach Platu, for links in e-mails.
PLATU_BASE_URL = os.environ.get("PLATU_BASE_URL", "http://127.0.0.1:8000")
