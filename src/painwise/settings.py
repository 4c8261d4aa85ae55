"""Django settings. Every value comes from the environment through painwise.env (see docs/settings.md)."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

from painwise.env import SettingError, database_from_url, env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(env_str("PAINWISE_HOME", str(Path.cwd())))

DEFAULT_SECRET_KEY = "painwise-insecure-development-key-change-me"  # noqa: S105 - refused in production
SECRET_KEY = env_str("SECRET_KEY", DEFAULT_SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
PRODUCTION = env_bool("PAINWISE_PRODUCTION", False)
DEMO_MODE = env_bool("PAINWISE_DEMO", False)
DEMO_PASSWORD = env_str("PAINWISE_DEMO_PASSWORD", "painwise-demo")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

if PRODUCTION:
    if SECRET_KEY == DEFAULT_SECRET_KEY or len(SECRET_KEY) < 32:
        raise SettingError("PAINWISE_PRODUCTION is on: set SECRET_KEY to a random value of 32+ characters")
    if DEBUG:
        raise SettingError("PAINWISE_PRODUCTION is on: DEBUG must be off")
    if DEMO_MODE:
        raise SettingError("PAINWISE_DEMO cannot be switched on with PAINWISE_PRODUCTION")

DATABASES = {"default": database_from_url(env_str("DATABASE_URL", "sqlite:///var/painwise.sqlite3"), base_dir=BASE_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Concurrency (docs/operations.md). SQLite: WAL so readers never block the writer, a busy timeout so
# writers queue instead of failing with "database is locked", and IMMEDIATE transactions so a
# transaction takes the write lock when it starts (a deferred one that upgrades can fail at once);
# synchronous=FULL so an acknowledged write survives a power cut, not only a crash.
# PostgreSQL: persistent connections, one per server thread, so the total is bounded by
# workers x threads (painwise serve sets PAINWISE_DB_CONN_MAX_AGE=60 unless it is set).
SQLITE_BUSY_TIMEOUT_MS = env_int("PAINWISE_SQLITE_BUSY_TIMEOUT_MS", 20000, minimum=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
        "init_command": f"PRAGMA journal_mode=WAL; PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}; "
        "PRAGMA synchronous=FULL",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("PAINWISE_DB_CONN_MAX_AGE", 0, minimum=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    # Serves Swagger UI's assets from the app (no CDN): /api/v1/docs works offline under the CSP.
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "painwise.accounts",
    "painwise.audit",
    "painwise.patients",
    "painwise.treatment",
    "painwise.diary",
    "painwise.labs",
    "painwise.questionnaires",
    "painwise.monitoring",
    "painwise.pharmacovigilance",
    "painwise.research",
    "painwise.reports",
    "painwise.web",
    "painwise.reminders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files straight from the application server, compressed and cached (docs/operations.md).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "painwise.audit.middleware.RequestContextMiddleware",
    "painwise.web.middleware.SecurityHeadersMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout after repeated failures, per username and client address (django-axes).
AXES_FAILURE_LIMIT = env_int("PAINWISE_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("PAINWISE_LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "painwise.accounts.lockout.lockout_response"
# Roles that must use TOTP two-factor authentication (web and API); demo users are exempt in demo mode.
OTP_REQUIRED_ROLES = ("clinician", "admin")
OTP_TOTP_ISSUER = "painwise"

ROOT_URLCONF = "painwise.urls"
WSGI_APPLICATION = "painwise.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# Stock widget markup written in Python, not through ~140 template renders a form (web/form_renderer.py).
FORM_RENDERER = "painwise.web.form_renderer.FastWidgetRenderer"
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
                "painwise.web.context.painwise_context",
                "painwise.monitoring.context.monitoring_context",
            ]
        },
    }
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
# whitenoise serves `collectstatic` output from STATIC_ROOT, and falls back to the apps' static
# folders so `make run` needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
warnings.filterwarnings("ignore", message="No directory at: ")  # before collectstatic
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# De-identified research exports built from the researcher page (one folder per run).
RESEARCH_DIR = BASE_DIR / "var" / "research"

# Requests larger than this are refused before parsing (oversized payloads get a 413-style 400).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("PAINWISE_MAX_UPLOAD_BYTES", 5 * 1024 * 1024, minimum=1024)
API_TOKEN_TTL_HOURS = env_int("PAINWISE_API_TOKEN_TTL_HOURS", 24, minimum=1)
# Reminders (docs/reminders.md): e-mail through Django's e-mail framework; console in development.
EMAIL_BACKEND = env_str("PAINWISE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("PAINWISE_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("PAINWISE_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("PAINWISE_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("PAINWISE_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("PAINWISE_EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = env_str("PAINWISE_EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env_str("PAINWISE_EMAIL_FROM", "painwise <noreply@localhost>")
# Blood work is due this many days after the last result (a monitoring interval; not a guideline).
BLOOD_WORK_INTERVAL_DAYS = env_int("PAINWISE_BLOOD_WORK_INTERVAL_DAYS", 180, minimum=1)
# People may create their own patient account on the web; off for clinic-run deployments.
SELF_SIGNUP = env_bool("PAINWISE_SELF_SIGNUP", True)
# Questionnaires (docs/questionnaires.md): read here only; painwise.questionnaires.config checks them.
PAINWISE_CRISIS_COUNTRY = env_str("PAINWISE_CRISIS_COUNTRY", "US")
PAINWISE_QUESTIONNAIRE_REQUIRE_ALL = env_bool("PAINWISE_QUESTIONNAIRE_REQUIRE_ALL", True)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = PRODUCTION
SECURE_HSTS_SECONDS = 31536000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Email (urgent flags, docs/monitoring.md). The console backend prints mail to the terminal (make run);
# production sets the SMTP backend and its host and credentials.
EMAIL_BACKEND = env_str("PAINWISE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env_str("PAINWISE_EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "painwise <painwise@localhost>")
PAINWISE_BASE_URL = env_str("PAINWISE_BASE_URL", "http://127.0.0.1:8000")

# Monitoring thresholds (TOML, docs/rules.md#thresholds); validated when the monitoring app starts.
PAINWISE_RULES_CONFIG = env_str("PAINWISE_RULES_CONFIG", "")
# When a write re-evaluates its patient: "inline" (after commit, inside the request) or "queue" (a
# durable per-patient request served by `painwise monitor work`; `painwise serve` starts one). docs/settings.md
PAINWISE_EVALUATION = env_str("PAINWISE_EVALUATION", "inline").strip().lower()
if PAINWISE_EVALUATION not in {"inline", "queue"}:
    raise SettingError("PAINWISE_EVALUATION must be inline or queue")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A 403 (a probe of a page meant for another role) is logged as one line, not a stack trace.
    "filters": {"one_line_forbidden": {"()": "painwise.web.logfilters.OneLineForbidden"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["one_line_forbidden"]}},
    "root": {"handlers": ["console"], "level": env_str("PAINWISE_LOG_LEVEL", "WARNING")},
}

# Pharmacovigilance (docs/pharmacovigilance.md): where report datasets live and the upload limit of the page.
PV_DATA_DIR = env_str("PAINWISE_PV_DATA_DIR", str(BASE_DIR / "var" / "pv"))
PV_MAX_UPLOAD_BYTES = env_int("PAINWISE_PV_MAX_UPLOAD_BYTES", 5 * 1024 * 1024, minimum=1024)
PV_SPARK_MASTER = env_str("PAINWISE_SPARK_MASTER", "")
PV_SPARK_SHUFFLE_PARTITIONS = env_int("PAINWISE_SPARK_SHUFFLE_PARTITIONS", 0, minimum=0)
