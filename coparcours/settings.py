"""Coparcours settings, configured by environment variables.

Zero configuration gives a working development install on SQLite. Setting
``COPARCOURS_ENV=production`` switches on the production checks: ``SECRET_KEY`` is
required, ``DEBUG`` stays off, cookies are secure and HSTS is sent.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("COPARCOURS_DATA_DIR", BASE_DIR.parent / "var")).resolve()


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean environment variable ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ENVIRONMENT = os.environ.get("COPARCOURS_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("COPARCOURS_ENV doit valoir « development » ou « production ».")
PRODUCTION = ENVIRONMENT == "production"

if PRODUCTION:
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 50 characters in production."
        )
    DEBUG = False
    if env_bool("DEBUG", False):
        raise ImproperlyConfigured("DEBUG must stay off in production.")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must list the public host names in production.")
else:
    SECRET_KEY = os.environ.get(
        "SECRET_KEY", "development-only-insecure-key-never-use-in-production-0123456789"
    )
    DEBUG = env_bool("DEBUG", True)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "huey.contrib.djhuey",
    "ninja",
    "mozilla_django_oidc",
    "simple_history",
    "coparcours.core",
    "coparcours.accounts",
    "coparcours.organisations",
    "coparcours.youths",
    "coparcours.housing",
    "coparcours.cej",
    "coparcours.space",
    "coparcours.imports",
    "coparcours.directory",
    "coparcours.needs",
    "coparcours.orientations",
    "coparcours.finance",
    "coparcours.reporting",
    "coparcours.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "coparcours.accounts.middleware.SessionActivityMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "coparcours.accounts.middleware.SessionOTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "coparcours.core.middleware.RequestContextMiddleware",
    "coparcours.organisations.middleware.CurrentOrganisationMiddleware",
    "coparcours.accounts.middleware.TwoFactorEnforcementMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "coparcours.urls"
WSGI_APPLICATION = "coparcours.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "coparcours.organisations.context_processors.current_organisation",
            ],
        },
    },
]

# Widgets render through the project's templates first: a select's empty choice reads
# « Sélectionner… » (templates/django/forms/widgets/select_option.html).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database -------------------------------------------------------------------------
DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{DATA_DIR / 'coparcours.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# Behind a pooler in transaction mode (PgBouncer), a cursor cannot outlive its transaction:
# Django must not declare server-side cursors (Django's "Transaction pooling" note).
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool(
    "DATABASE_TRANSACTION_POOLING", False
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and background jobs --------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    REDIS_CACHE = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    # "figures": aggregates kept between two changes of their data (coparcours.housing.figures);
    # "standings": the organisations' standings per person (coparcours.organisations.standings).
    CACHES = {"default": REDIS_CACHE, "figures": REDIS_CACHE, "standings": REDIS_CACHE}
    # Sessions read from Redis, written through to the database: one query less per page,
    # and a Redis restart logs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "coparcours",
        "url": REDIS_URL,
        "immediate": env_bool("HUEY_IMMEDIATE", False),
        "utc": True,
        "consumer": {"workers": int(os.environ.get("HUEY_WORKERS", "2")), "worker_type": "thread"},
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "coparcours_cache",
        },
        # Aggregates are not cached in the database they are computed from (a hit would
        # cost as many queries as computing them): coparcours.housing.figures.
        "figures": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
        # The organisations' standings (coparcours.organisations.standings): one process
        # cannot tell another that a consortium changed, so without Redis none are kept.
        "standings": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "coparcours",
        "filename": str(DATA_DIR / "huey.sqlite3"),
        "immediate": env_bool("HUEY_IMMEDIATE", False),
        "utc": True,
        "consumer": {"workers": int(os.environ.get("HUEY_WORKERS", "2")), "worker_type": "thread"},
    }

# --- Authentication -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
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
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout after repeated failures (django-axes): per account and address.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "coparcours.accounts.services.axes_username"  # case-insensitive
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Two-factor authentication (TOTP). Roles listed here must verify a second factor;
# superusers always must when the setting is on.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", PRODUCTION)
TWO_FACTOR_REQUIRED_ROLES = env_list("TWO_FACTOR_REQUIRED_ROLES", "administrator,coordinator")
OTP_TOTP_ISSUER = "Coparcours"

# Optional ProConnect / OpenID Connect login, switched on by OIDC_RP_CLIENT_ID.
OIDC_ENABLED = bool(os.environ.get("OIDC_RP_CLIENT_ID"))
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("coparcours.accounts.oidc.ProConnectBackend")
    OIDC_RP_CLIENT_ID = os.environ["OIDC_RP_CLIENT_ID"]
    OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
    OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email given_name usual_name")
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ["OIDC_OP_AUTHORIZATION_ENDPOINT"]
    OIDC_OP_TOKEN_ENDPOINT = os.environ["OIDC_OP_TOKEN_ENDPOINT"]
    OIDC_OP_USER_ENDPOINT = os.environ["OIDC_OP_USER_ENDPOINT"]
    OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT")
    OIDC_OP_LOGOUT_ENDPOINT = os.environ.get("OIDC_OP_LOGOUT_ENDPOINT", "")
    OIDC_CREATE_USER = env_bool("OIDC_CREATE_USER", False)
    OIDC_CALLBACK_CLASS = "coparcours.accounts.oidc.ProConnectCallbackView"
    LOGIN_REDIRECT_URL_FAILURE = "/compte/connexion/"

# API lists: limit and offset bounded (422 beyond), whatever the route's own maximum.
NINJA_PAGINATION_CLASS = "coparcours.core.pagination.BoundedLimitOffsetPagination"

# --- Security -------------------------------------------------------------------------
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", str(60 * 60 * 2)))
# Idle timeout: the session's expiry is pushed back on activity, at most once a minute
# (accounts.middleware.SessionActivityMiddleware) rather than written on every request.
SESSION_ACTIVITY_RESOLUTION_SECONDS = 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Reverse proxies in front of Coparcours that append the client's address to
# X-Forwarded-For (1 behind deploy/nginx.conf); the audit log records that address.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy (django-csp): every asset is served by Coparcours itself.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Mail -----------------------------------------------------------------------------
_email_url = os.environ.get("EMAIL_URL", "console://")
#: ``outbox://`` keeps the demo's e-mails in the database, for the administrators to read.
_email = (
    {**dj_email_url.parse("console://"), "EMAIL_BACKEND": "coparcours.core.outbox.EmailBackend"}
    if _email_url == "outbox://"
    else dj_email_url.parse(_email_url)
)
if "EMAIL_BACKEND" not in _email:
    raise ImproperlyConfigured(
        "EMAIL_URL: unknown scheme; use submission://, smtp://, console://, filemail:// or "
        "outbox://"
    )
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Coparcours <ne-pas-repondre@localhost>")

# --- Text messages to youths (coparcours.core.sms) ------------------------------------------
SMS_URL = os.environ.get("SMS_URL", "console://")
if PRODUCTION and "outbox://" in (_email_url, SMS_URL):
    raise ImproperlyConfigured("outbox:// keeps messages in the database: the demo's only.")
#: The secret part of the address the provider posts the youths' replies to (« STOP »).
SMS_INBOUND_TOKEN = os.environ.get("SMS_INBOUND_TOKEN", "")

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "fr"
#: The youth's own space speaks these languages, chosen by the youth (coparcours.youths.language);
#: professionals' pages stay in French. Another language is a catalogue under LOCALE_PATHS.
LANGUAGES = [("fr", "Français"), ("en", "English"), ("ar", "العربية")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Files ----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    WHITENOISE_USE_FINDERS = True
# Youths' documents are private: never under a public URL, served by an access-checked view.
# Antivirus scan of uploaded files by ClamAV's daemon (core/antivirus.py): its Unix socket
# (Debian: /run/clamav/clamd.ctl) or tcp://host:port; empty = no scan. When set and the
# daemon does not answer, uploads are refused.
CLAMAV_SOCKET = os.environ.get("CLAMAV_SOCKET", "")
CLAMAV_TIMEOUT = float(os.environ.get("CLAMAV_TIMEOUT", "30"))
YOUTH_DOCUMENT_MAX_BYTES = int(os.environ.get("YOUTH_DOCUMENT_MAX_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = YOUTH_DOCUMENT_MAX_BYTES + 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Directory referrals (closed loop): days before an unanswered referral expires (and its
# answer link with it), and days between reminders to the structure.
DIRECTORY_REFERRAL_DAYS = int(os.environ.get("DIRECTORY_REFERRAL_DAYS", "15"))
DIRECTORY_REMINDER_DAYS = int(os.environ.get("DIRECTORY_REMINDER_DAYS", "5"))
# Public address of Coparcours, for links in e-mails sent by background jobs.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
