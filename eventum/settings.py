"""Settings for eventum, read from the environment.

Every value has an embedded default that needs nothing but Python: SQLite under ``var/``,
Celery tasks run eagerly in-process when no broker is configured, e-mail written to files.
``EVENTUM_ENV=production`` turns on the production checks: the process refuses to start with
the default ``SECRET_KEY`` or with ``DEBUG`` on. Any other value than ``embedded`` or
``production`` (exactly, lower case) stops start-up: a typo must never run a production host with
the embedded defaults (the test payment provider, SQLite, no TLS).

``DEBUG`` is off unless ``DEBUG=true`` is set, in the embedded default too: ``make run`` then shows
the portal's own 404/403/500 pages, as production does, and errors are logged with their
traceback on the console. Static files and media are served by the embedded default without it.
"""

from decimal import Decimal
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

EVENTUM_ENVIRONMENTS = ("embedded", "production")
EVENTUM_ENV = env.str("EVENTUM_ENV", default="embedded")
if EVENTUM_ENV not in EVENTUM_ENVIRONMENTS:
    raise ImproperlyConfigured(
        f"EVENTUM_ENV={EVENTUM_ENV!r} is not one of {', '.join(EVENTUM_ENVIRONMENTS)} "
        "(exactly, in lower case); leave it unset for the embedded default."
    )
PRODUCTION = EVENTUM_ENV == "production"

DEFAULT_SECRET_KEY = "embedded-insecure-key-change-me-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=DEFAULT_SECRET_KEY)
# Off by default everywhere (the styled error pages); DEBUG=true for Django's technical pages.
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

if PRODUCTION:
    if SECRET_KEY == DEFAULT_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("Production needs its own SECRET_KEY (50+ characters).")
    if DEBUG:
        raise ImproperlyConfigured("Production refuses to start with DEBUG on.")

# Our apps come first so that their translations win over third-party catalogues
# (an app listed earlier takes precedence for the same message id).
INSTALLED_APPS = [
    "modeltranslation",  # must precede django.contrib.admin
    "privacy",
    "organizers",
    "events",
    "tickets",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.forms",  # the widget templates, for the project-wide form renderer
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "eventum",
]

MIDDLEWARE = [
    "eventum.health.HealthCheckMiddleware",
    "eventum.request_guards.NulCharacterGuardMiddleware",  # NUL in the URL: 400, not a 500
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "privacy.middleware.IpLogMiddleware",  # after WhiteNoise: sees status and user
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "privacy.middleware.PolicyReconsentMiddleware",  # a material policy change: accept it
    "eventum.admin_security.StaffMfaMiddleware",  # staff need a second factor for /admin/
    "eventum.database_outage.DatabaseUnavailableMiddleware",  # database down: 503, not 500
    "eventum.cache_outage.CacheUnavailableMiddleware",  # cache down under a view: 503, not 500
]

ROOT_URLCONF = "eventum.urls"
WSGI_APPLICATION = "eventum.wsgi.application"

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
                "privacy.context_processors.cookie_consent",
            ],
            "builtins": ["eventum.templatetags.money"],
            "libraries": {
                "language_links": "eventum.templatetags.language_links",
                "form_fields": "eventum.templatetags.form_fields",
            },
        },
    }
]
# Every form and field renders through templates/forms/ (eventum/forms_rendering.py).
FORM_RENDERER = "eventum.forms_rendering.FormRenderer"

# Database: SQLite under var/ unless DATABASE_URL names another one.
if not PRODUCTION:
    VAR_DIR.mkdir(exist_ok=True)  # a fresh clone has no var/ yet
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'eventum.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, otherwise process memory.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "eventum.cache.ReusedClientRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The event page, for visitors without a session, is served from the cache this long.
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=5)

# Celery: eager in-process without a broker (embedded default), real workers with one.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Almaty"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing gives up at once when the broker is down (the outbox keeps the task for the
# relay), so a request never waits for Redis. An unacknowledged task of a worker that died is
# handed to another worker after the visibility timeout (longer than any task or retry delay).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 0,
    "socket_connect_timeout": 2,
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
}
# Every periodic duty of the portal, in one place; the beat container runs exactly these.
# Times of day are Asia/Almaty (CELERY_TIMEZONE).
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Tasks enqueued while the broker was down (eventum/outbox.py).
    "eventum-outbox-relay": {"task": "eventum.outbox.outbox_relay_task", "schedule": 30.0},
    # Published events whose sessions are all over become "finished".
    "events-mark-finished": {
        "task": "events.tasks.events_mark_finished_task",
        "schedule": 15 * 60.0,
    },
    # Cart holds past TICKETS_RESERVATION_MINUTES go back on sale.
    "tickets-release-expired-holds": {
        "task": "tickets.tasks.reservations_release_expired_task",
        "schedule": 60.0,
    },
    # Pending orders unpaid after TICKETS_PAYMENT_MINUTES expire and free their tickets.
    "tickets-expire-unpaid-orders": {
        "task": "tickets.tasks.orders_expire_overdue_task",
        "schedule": 60.0,
    },
    # The IP log's Redis buffer is written to the database in batches.
    "privacy-iplog-flush": {"task": "privacy.tasks.iplog_flush_task", "schedule": 60.0},
    # Raw IP log rows past IP_LOG_RETENTION_DAYS fold into daily counts, at night.
    "privacy-iplog-aggregate": {
        "task": "privacy.tasks.iplog_aggregate_task",
        "schedule": crontab(hour=3, minute=30),
    },
    # Staff's morning e-mail: claims, blocking and access requests due soon or overdue.
    "privacy-daily-reminders": {
        "task": "privacy.tasks.privacy_reminders_task",
        "schedule": crontab(hour=9, minute=0),
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
SITE_ID = 1
# The public host name, used for links in e-mails sent by workers (no request to ask).
SITE_DOMAIN = env.str("SITE_DOMAIN", default="127.0.0.1:8000")
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "account_overview"

# django-allauth: e-mail is the login; verification is mandatory; mail goes through Celery.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "eventum.account_adapter.AccountAdapter"
# Sign-up records the accepted policy and the optional marketing opt-in in the ledger.
ACCOUNT_SIGNUP_FORM_CLASS = "privacy.forms.SignupConsentForm"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "eventum: "
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "signup": "20/h/ip",
    "reset_password": "5/h/ip,3/h/key",
}
# Two-factor authentication (allauth MFA): staff cannot open the admin without it
# (eventum/admin_security.py). Always on; only the test suite switches it off.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "eventum"
STAFF_MFA_REQUIRED = True

# Internationalisation: Russian first, Kazakh and English switchable on every page.
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский"), ("kk", "Қазақша"), ("en", "English")]
MODELTRANSLATION_DEFAULT_LANGUAGE = "ru"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("ru",)
# locale_vendor: Kazakh for third-party apps (allauth) that ship no upstream kk catalogue.
# tickets/pdf_locale: the PDF ticket template's strings, kept apart from the tickets catalogue.
LOCALE_PATHS = [
    BASE_DIR / "locale",
    BASE_DIR / "eventum" / "locale_vendor",
    BASE_DIR / "tickets" / "pdf_locale",
]
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
USE_TZ = True

# Static and media files.
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
if not PRODUCTION:
    WHITENOISE_USE_FINDERS = True  # serve straight from the source folders, no collectstatic
    WHITENOISE_AUTOREFRESH = True  # an edited style sheet is served at once, DEBUG or not
    Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
# Files served at the site's root (/favicon.ico), by WhiteNoise, in every setup.
WHITENOISE_ROOT = BASE_DIR / "eventum" / "public_root"
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Personal files (buyers' attachments, PDFs) live here and are never served by URL directly.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private")
# The portal's fee on an organizer's net sales, in percent (payout report).
PORTAL_FEE_PERCENT = Decimal(env.str("PORTAL_FEE_PERCENT", default="5"))
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

# E-mail: files under var/mail unless an SMTP URL is given.
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url_config(EMAIL_URL))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env.path("EMAIL_FILE_PATH", default=VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="eventum <noreply@eventum.one>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
STAFF_NOTIFICATION_EMAILS = env.list("STAFF_NOTIFICATION_EMAILS", default=["staff@eventum.one"])

# Security. Production turns every switch on; the embedded default runs on plain HTTP.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# The client's address: how many reverse proxies in front of Django append to X-Forwarded-For.
# 0 (embedded default) trusts no header and takes REMOTE_ADDR; docker-compose sets 1 for its nginx,
# whose entry (the right-most) is the address it saw, so a client cannot forge it. This one value
# drives every per-address decision: allauth's login, sign-up and password-reset limits and the
# portal's own (checkout, promo codes, seat holds, IP risk, IP log) via
# privacy.identity.request_client_ip. IP_LOG_TRUSTED_PROXY_COUNT is its former name.
_proxy_counts = set()
for _name in ("TRUSTED_PROXY_COUNT", "IP_LOG_TRUSTED_PROXY_COUNT"):
    _value = env.str(_name, default="").strip()
    if not _value:
        continue
    if not (_value.isascii() and _value.isdigit()):
        raise ImproperlyConfigured(
            f"{_name}={_value!r}: the number of proxies in front of Django (0, 1, 2 ...)."
        )
    _proxy_counts.add(int(_value))
if len(_proxy_counts) > 1:
    raise ImproperlyConfigured(
        "TRUSTED_PROXY_COUNT and its former name IP_LOG_TRUSTED_PROXY_COUNT disagree; set only "
        "TRUSTED_PROXY_COUNT."
    )
TRUSTED_PROXY_COUNT = _proxy_counts.pop() if _proxy_counts else 0
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

if PRODUCTION:
    # nginx (deploy/nginx.conf) terminates TLS and sets X-Forwarded-Proto to the scheme it
    # served ($scheme), replacing whatever the client sent; plain HTTP is redirected to HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content-Security-Policy (django-csp): scripts, styles and fonts only from the portal itself,
# no inline scripts, no framing. The widget's checkout pages send their own frame-ancestors.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        # Checkout forms redirect to the payment provider's hosted page.
        "form-action": [SELF, "https://*.cloudpayments.ru", "https://*.cloudpayments.kz"],
    }
}

# Benchmarks only: routes a trivial view used as the framework's floor (see bench/).
BENCH_ENDPOINTS = env.bool("EVENTUM_BENCH_ENDPOINTS", default=False)

# Money and business defaults.
CURRENCY = "KZT"

# Ticket sales: how long a cart holds tickets and a pending order waits for its payment.
TICKETS_RESERVATION_MINUTES = env.int("TICKETS_RESERVATION_MINUTES", default=15)
TICKETS_PAYMENT_MINUTES = env.int("TICKETS_PAYMENT_MINUTES", default=30)
TICKETS_ATTACHMENT_MAX_BYTES = env.int("TICKETS_ATTACHMENT_MAX_BYTES", default=5 * 1024 * 1024)
# Payment providers offered to buyers: "test" (an approve/decline page, refused in production)
# and "cloudpayments" (needs the two values below, from the CloudPayments back office).
TICKETS_PAYMENT_PROVIDERS = env.list(
    "TICKETS_PAYMENT_PROVIDERS", default=["cloudpayments"] if PRODUCTION else ["test"]
)
if PRODUCTION and "test" in TICKETS_PAYMENT_PROVIDERS:
    raise ImproperlyConfigured("The test payment provider cannot be enabled in production.")
CLOUDPAYMENTS_PUBLIC_ID = env.str("CLOUDPAYMENTS_PUBLIC_ID", default="")
CLOUDPAYMENTS_API_SECRET = env.str("CLOUDPAYMENTS_API_SECRET", default="")
CLOUDPAYMENTS_API_URL = env.str("CLOUDPAYMENTS_API_URL", default="https://api.cloudpayments.ru")

# Privacy (privacy/): IP log, payment risk signal, legal deadlines, reminders.
IP_LOG_ENABLED = env.bool("IP_LOG_ENABLED", default=True)
IP_LOG_RETENTION_DAYS = env.int("IP_LOG_RETENTION_DAYS", default=90)  # then counts per IP per day
IP_LOG_BUFFER_SIZE = env.int("IP_LOG_BUFFER_SIZE", default=200)  # memory buffer: rows per batch
IP_LOG_FLUSH_SECONDS = env.int("IP_LOG_FLUSH_SECONDS", default=30)  # ... or the oldest row's age
IP_LOG_EXCLUDE_PATHS = ["/static/", "/media/", "/healthz", "/favicon.ico"]
IP_RISK_WINDOW_MINUTES = env.int("IP_RISK_WINDOW_MINUTES", default=60)
IP_RISK_MAX_ORDERS = env.int("IP_RISK_MAX_ORDERS", default=10)
IP_RISK_MAX_FAILED_PAYMENTS = env.int("IP_RISK_MAX_FAILED_PAYMENTS", default=3)
BLOCKING_REQUEST_WORKING_DAYS = 1  # Law of RK No. 94-V: block within one working day
SUBJECT_ACCESS_DAYS = env.int("SUBJECT_ACCESS_DAYS", default=3)  # working days to answer
CLAIM_REMINDER_DAYS = 5  # remind staff of claims due within this many days
# The operator of personal data, shown on the policy page, in the footer and in e-mails. Staff
# keep it in the admin ("Operator of personal data"); these values stand in until it is saved.
OPERATOR_NAME = env.str("OPERATOR_NAME", default="eventum")
OPERATOR_BIN = env.str("OPERATOR_BIN", default="")
OPERATOR_LEGAL_ADDRESS = env.str("OPERATOR_LEGAL_ADDRESS", default="")
OPERATOR_POSTAL_ADDRESS = env.str("OPERATOR_POSTAL_ADDRESS", default="")
OPERATOR_PRIVACY_EMAIL = env.str("OPERATOR_PRIVACY_EMAIL", default="info@eventum.one")
OPERATOR_RESPONSIBLE_PERSON = env.str("OPERATOR_RESPONSIBLE_PERSON", default="")
# Kazakhstan public holidays for working-day deadlines: "MM-DD" every year, "YYYY-MM-DD" once.
# Kurban Ait moves every year: add its date (and any government transfer of days off) here.
_KZ_HOLIDAYS = ["01-01", "01-02", "01-07", "03-08", "03-21", "03-22", "03-23", "05-01"]
_KZ_HOLIDAYS += ["05-07", "05-09", "07-06", "08-30", "10-25", "12-16"]
_KURBAN_AIT = ["2026-05-27", "2027-05-16"]  # moves every year: add the next (official) date
PRIVACY_HOLIDAYS = env.list("PRIVACY_HOLIDAYS", default=_KZ_HOLIDAYS + _KURBAN_AIT)
# A holiday on a weekend gives the next working day off (Labour Code art. 85), except these.
PRIVACY_HOLIDAYS_NOT_MOVED = ["01-07", *_KURBAN_AIT]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
