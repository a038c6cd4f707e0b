"""CareerGuide settings: one module; every difference between environments is an env variable."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or default


# --- Core ---
DEBUG = env_bool("DJANGO_DEBUG")
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string, or set DJANGO_DEBUG=1 "
            "for local development (make run does this for you)."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "accounts.apps.StaffAdminConfig",  # django.contrib.admin, with a second factor for staff
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "reversion",
    "reversion_compare",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "roles",
    "accounts",
]

# The header middleware sits above WhiteNoise so that static files get the headers too;
# Axes sits last so that it can turn a locked-out sign-in into the lockout page.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "careerguide.middleware.nginx_cache_expiry",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "careerguide.middleware.permissions_policy",
    "careerguide.middleware.reject_nul_bytes",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "careerguide.middleware.private_when_personal",
    "roles.caching.serve_cached_pages",  # a cached page skips everything below
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "roles.readership.count_reads",  # per page per day, nothing about the reader
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "careerguide.urls"
WSGI_APPLICATION = "careerguide.wsgi.application"
ASGI_APPLICATION = "careerguide.asgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
                "careerguide.context_processors.site",
                "django.template.context_processors.csp",
            ],
        },
    },
]

# --- Database ---
# SQLite under var/ is the embedded default; DATABASE_URL (postgres://...) is the scale-out path.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'careerguide.sqlite3'}",
        conn_health_checks=True,
    )
}
# How long a worker keeps its database connection. SQLite keeps it (10 minutes): a new connection
# reads the whole schema again on its first query: about 8 ms of an uncached comparison on this
# machine (gunicorn, wrk -c1: 33.8 ms p50 with 0, 25.9 ms with 600). PostgreSQL closes it after
# each request unless set.
DATABASES["default"]["CONN_MAX_AGE"] = int(
    os.environ.get(
        "DJANGO_CONN_MAX_AGE",
        "600" if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" else "0",
    )
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that stops answering fails a request (and /readyz) after a few seconds instead
    # of holding the worker until the operating system gives up.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DJANGO_DB_CONNECT_TIMEOUT", "5"))
    )

# --- Cache and sessions ---
# With REDIS_URL every instance shares one cache; sessions live in the database (behind that cache
# when there is one), so any instance can read a session another one wrote.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that stops answering fails a request (and /readyz) quickly instead of hanging.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    SESSION_ENGINE = "careerguide.sessions"  # cached_db that carries on from the database
elif os.environ.get("DJANGO_LOCAL_CACHE", "file") == "memory":
    # One process only (the test suite): nothing else would see its entries.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
else:
    # Without Redis, a cache on disk that every process of this machine shares (gunicorn's
    # workers, management commands), so the content version that an edit bumps in one process
    # is the version every other process reads: an edit is visible at once everywhere.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("DJANGO_CACHE_DIR", str(BASE_DIR / "var" / "cache")),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Anonymous readers get whole pages from the cache, keyed on the content version (roles.caching);
# 0 turns the page cache off (benchmarks measure both).
PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "3600"))


def env_seconds(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip() or str(default)
    if not value.isascii() or not value.isdigit():
        raise ImproperlyConfigured(
            f"{name} must be a whole number of seconds (0 or more): {value!r}"
        )
    return int(value)


# How long a shared cache (nginx, a CDN) may serve an anonymous page without asking again:
# `Cache-Control: public, max-age=0, s-maxage=N` (roles.caching). Browsers always revalidate
# (max-age=0). The default 0 makes every shared cache revalidate with the ETag on every request,
# so an edit shows at once; N > 0 lets an edit take up to N seconds to show through the proxy.
SHARED_CACHE_SECONDS = env_seconds("DJANGO_SHARED_CACHE_SECONDS", 0)

# --- Auth ---
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Axes checks for a lockout before the model backend checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "roles:home"
LOGOUT_REDIRECT_URL = "roles:home"

# --- Two-factor sign-in (django-otp) ---
# Staff (editors and superusers) must have an authenticator app (TOTP) and have entered its code
# this session to use the admin. On by default whenever debug is off; make run (debug on) leaves
# it off so that the admin can be tried at once. Readers may turn it on for themselves either way,
# and anyone who has done so is asked for a code at every sign-in, the site's and the admin's.
STAFF_2FA = env_bool("DJANGO_STAFF_2FA", default=not DEBUG)
# The name authenticator apps show beside the account. After each wrong code, a device refuses
# codes for 2**(failures - 1) seconds (django-otp's throttle; a right code resets it).
OTP_TOTP_ISSUER = "CareerGuide"
# The admin lists who has which device (a superuser can delete a lost one) but never shows a key,
# a QR code or a backup code: only their owner sees those, once, on their own pages.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- Login throttling (django-axes) ---
# Failures are counted per username and per address, separately; either one reaching the limit
# locks sign-in for the cool-off on the site's login and the admin's. Attempts live in the database,
# so every instance sees them. A success resets that account's count and no other: axes' own reset
# would also clear every failure from the address that signed in, so an attacker could wipe a
# victim's count by signing in to an account of their own (accounts/lockout.py).
AXES_HANDLER = "accounts.lockout.AccountResetDatabaseHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", "15")))
# Sign-in attempt records older than this, and expired sessions, go with `purge_personal_data`.
PERSONAL_DATA_RETENTION_DAYS = int(os.environ.get("DJANGO_PERSONAL_DATA_RETENTION_DAYS", "30"))
# Password reset mails one address may be sent in an hour; further requests send nothing.
PASSWORD_RESET_LIMIT = int(os.environ.get("DJANGO_PASSWORD_RESET_LIMIT", "3"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# A lockout ends one cool-off after it began: more wrong passwords during it do not extend it, so
# someone who knows a username cannot keep that account locked by retrying.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_VERBOSE = False  # no start-up banner on every manage.py command; lockouts are still logged
# Behind N proxies that each append to X-Forwarded-For, the client is the Nth address from the
# right; with 0 (direct connections) it is REMOTE_ADDR. Left at 0 behind a proxy, every reader
# would share the proxy's address and one attacker could lock everyone out.
PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "careerguide.middleware.client_ip"

# --- E-mail (password resets) ---
# Django 6.1 MAILERS. Without debug, mail goes out by SMTP: DJANGO_EMAIL_HOST (port 587, TLS), or a
# local mail server on localhost:25 when no host is named. With debug and no host, it is printed to
# the console. DJANGO_EMAIL_BACKEND picks any other backend by its dotted path.
_smtp_host = os.environ.get("DJANGO_EMAIL_HOST", "")
_email_backend = os.environ.get("DJANGO_EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG and not _smtp_host
    else "django.core.mail.backends.smtp.EmailBackend"
)
if _email_backend == "django.core.mail.backends.smtp.EmailBackend":
    MAILERS = {
        "default": {
            "BACKEND": _email_backend,
            "OPTIONS": {
                "host": _smtp_host or "localhost",
                "port": int(os.environ.get("DJANGO_EMAIL_PORT", "587" if _smtp_host else "25")),
                "username": os.environ.get("DJANGO_EMAIL_HOST_USER", ""),
                "password": os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", default=bool(_smtp_host)),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": _email_backend}}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "CareerGuide <noreply@localhost>")

# --- Internationalisation ---
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ---
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("DJANGO_MANIFEST_STATIC")
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Source maps are for developer tools only; compressing them would double collectstatic's time.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]
# Files that must live at the site's root under a fixed name: /favicon.ico, which browsers and
# crawlers ask for whatever the page links (scripts/make-icons.py draws it).
WHITENOISE_ROOT = BASE_DIR / "public"

# --- Forms ---
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security ---
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "careerguide.errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Our pages need no inline code; the admin's scripts and styles carry the per-request nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), payment=(), usb=()"
)

# --- HTTPS (behind a TLS-terminating proxy) ---
# DJANGO_HTTPS=1 when a proxy terminates TLS and sets X-Forwarded-Proto: redirect plain HTTP,
# send HSTS for a year (subdomains, preload) and keep cookies off plain HTTP. The health checks
# stay reachable over plain HTTP for the proxy's probes.
HTTPS = env_bool("DJANGO_HTTPS")
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Logging ---
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{levelname} {name} {message}", "style": "{"}},
    "filters": {"redact_reset_links": {"()": "careerguide.logs.RedactResetLinks"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "stream": "ext://sys.stdout",
            "filters": ["redact_reset_links"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# WhiteNoise serves straight from the finders unless the hashed manifest was collected (make serve).
WHITENOISE_USE_FINDERS = not env_bool("DJANGO_MANIFEST_STATIC")
