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
    "allauth.headless",  # sign-up, sign-in and password reset for apps (/_allauth/app/v1/)
    "ninja",  # the API's docs page serves its own Swagger UI files (no CDN)
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
    "eventum.api.language.ApiLanguageMiddleware",  # /api/: the language of Accept-Language
    "eventum.api.cors.ApiCorsMiddleware",  # /api/: CORS for the organizers' registered sites
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
    # Webhook deliveries whose back-off is over are sent again (organizers/webhooks).
    "organizers-webhooks-retry": {
        "task": "organizers.webhooks.tasks.webhooks_retry_due_task",
        "schedule": 60.0,
    },
    # Published events whose sessions are all over become "finished".
    "events-mark-finished": {
        "task": "events.tasks.events_mark_finished_task",
        "schedule": 15 * 60.0,
    },
    # Events whose next session has started move on to the one after (the catalogue's order).
    "events-upcoming-refresh": {
        "task": "events.tasks.events_upcoming_refresh_task",
        "schedule": 60.0,
    },
    # Cart holds past TICKETS_RESERVATION_MINUTES go back on sale.
    "tickets-release-expired-holds": {
        "task": "tickets.tasks.reservations_release_expired_task",
        "schedule": 60.0,
    },
    # Waiting lists: unused offers expire and pass on; free tickets go to those waiting.
    "tickets-waitlist-tick": {
        "task": "tickets.waitlist.tasks.waitlist_tick_task",
        "schedule": 60.0,
    },
    # Waiting rooms: settings mirrored into Redis again, sold out re-checked (holds came back).
    "tickets-waitrooms-refresh": {
        "task": "tickets.waitroom.tasks.waitrooms_refresh_task",
        "schedule": 30.0,
    },
    # Pending orders unpaid after TICKETS_PAYMENT_MINUTES expire and free their tickets.
    "tickets-expire-unpaid-orders": {
        "task": "tickets.tasks.orders_expire_overdue_task",
        "schedule": 60.0,
    },
    # Acts of services rendered for company orders whose event is over (organizers who issue
    # them after the event); hourly, so an act follows its evening event by the next morning.
    "tickets-closing-acts-due": {
        "task": "tickets.companies.tasks.closing_acts_due_task",
        "schedule": 60 * 60.0,
    },
    # Bank transfers: the buyer's reminder a working day before the deadline, expiry after it.
    "tickets-bank-transfers-tick": {
        "task": "tickets.banktransfer.tasks.bank_transfers_tick_task",
        "schedule": 15 * 60.0,
    },
    # Payments stuck in "created" are settled by asking their provider (a lost notification).
    "payments-reconcile": {
        "task": "tickets.payments.tasks.payments_reconcile_task",
        "schedule": 5 * 60.0,
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
    # Services' schedules make their slots SCHEDULES_HORIZON_DAYS ahead, a day further each night.
    "events-schedules-materialise": {
        "task": "events.tasks.schedules_materialise_task",
        "schedule": crontab(hour=2, minute=45),
    },
    # The retention schedule's nightly run: old orders anonymised, order IPs shortened.
    "tickets-retention": {
        "task": "tickets.tasks.tickets_retention_task",
        "schedule": crontab(hour=3, minute=50),
    },
    # The retention schedule for the privacy registers: consent-ledger IP addresses past their
    # period shortened; rows whose term ended deleted from the ledger and the other registers
    # (anchored chain cuts for the chained ones).
    "privacy-retention": {
        "task": "privacy.tasks.privacy_retention_task",
        "schedule": crontab(hour=3, minute=45),
    },
    # Walks the hash chains of the privacy trails; tells staff of the first broken link.
    "privacy-ledger-verify": {
        "task": "privacy.tasks.privacy_verify_task",
        "schedule": crontab(hour=4, minute=15),
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
# allauth's headless API for mobile apps (session tokens in X-Session-Token); the site keeps
# its own pages, so e-mailed confirmation and reset links open those pages.
HEADLESS_ONLY = False
HEADLESS_CLIENTS = ("app",)
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
SESSION_ENGINE = "eventum.sessions"  # database sessions; anonymous ones read from the cache
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
# The header in which the front proxy stamps when it received a request (nginx:
# "X-Request-Start: t=$msec"); empty: none is believed (eventum.request_timing).
REQUEST_START_HEADER = env.str("REQUEST_START_HEADER", default="")

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
        "form-action": [
            SELF,
            "https://*.cloudpayments.ru",
            "https://*.cloudpayments.kz",
            "https://*.freedompay.kz",
            "https://*.homebank.kz",
            "https://*.epayment.kz",
        ],
    }
}

# The public API (/api/v1/): requests per client address (anonymous) and per account or key.
# Mobile carriers put many phones behind one address, hence the generous anonymous rate.
API_RATE_ANONYMOUS = env.str("API_RATE_ANONYMOUS", default="300/m")
API_RATE_AUTHENTICATED = env.str("API_RATE_AUTHENTICATED", default="600/m")
# Organizers' webhooks: attempts per delivery (1, 2, 4, ... minutes apart), and how many failed
# attempts in a row switch an endpoint off (its owner is e-mailed). http:// and the machine's
# own addresses may receive webhooks only with WEBHOOKS_ALLOW_LOCAL, never in production.
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=8)
WEBHOOK_DISABLE_AFTER_FAILURES = env.int("WEBHOOK_DISABLE_AFTER_FAILURES", default=20)
WEBHOOKS_ALLOW_LOCAL = env.bool("WEBHOOKS_ALLOW_LOCAL", default=DEBUG) and not PRODUCTION

# Benchmarks only: routes a trivial view used as the framework's floor (see bench/).
BENCH_ENDPOINTS = env.bool("EVENTUM_BENCH_ENDPOINTS", default=False)

# Money and business defaults.
CURRENCY = "KZT"

# Wallet passes (tickets/wallet/). Apple: the pass-type certificate, its key and Apple's WWDR
# intermediate (PEM files from the Apple developer account); empty outside production = a
# self-signed pair made under WALLET_DIR (a checkable signature no iPhone trusts). Google: the
# issuer id, the service account and its private key (PEM); empty = no Google Wallet button.
WALLET_DIR = env.path("WALLET_DIR", default=VAR_DIR / "wallet")
WALLET_APPLE_PASS_TYPE_ID = env.str("WALLET_APPLE_PASS_TYPE_ID", default="pass.one.eventum.ticket")
WALLET_APPLE_TEAM_ID = env.str("WALLET_APPLE_TEAM_ID", default="EVENTUM000")
WALLET_APPLE_CERTIFICATE = env.str("WALLET_APPLE_CERTIFICATE", default="")
WALLET_APPLE_KEY = env.str("WALLET_APPLE_KEY", default="")
WALLET_APPLE_KEY_PASSWORD = env.str("WALLET_APPLE_KEY_PASSWORD", default="")
WALLET_APPLE_WWDR = env.str("WALLET_APPLE_WWDR", default="")
# Passes on phones update themselves (tickets/wallet/webservice.py): a changed pass is pushed
# through Apple's push service with the pass type certificate above. The sender is a dotted
# path: ApnsHttpSender posts over HTTP/2 (production); ApnsRecorder only records (embedded).
WALLET_APNS_SENDER = env.str(
    "WALLET_APNS_SENDER",
    default="tickets.wallet.apns.ApnsHttpSender"
    if PRODUCTION
    else "tickets.wallet.apns.ApnsRecorder",
)
WALLET_APNS_URL = env.str("WALLET_APNS_URL", default="https://api.push.apple.com")
WALLET_APNS_TIMEOUT_SECONDS = env.int("WALLET_APNS_TIMEOUT_SECONDS", default=10)
GOOGLE_WALLET_ISSUER_ID = env.str("GOOGLE_WALLET_ISSUER_ID", default="")
GOOGLE_WALLET_SERVICE_ACCOUNT_EMAIL = env.str("GOOGLE_WALLET_SERVICE_ACCOUNT_EMAIL", default="")
GOOGLE_WALLET_PRIVATE_KEY = env.str("GOOGLE_WALLET_PRIVATE_KEY", default="")

# Ticket sales: how long a cart holds tickets and a pending order waits for its payment.
# How many days ahead the slots of services' schedules exist (never an unbounded number).
SCHEDULES_HORIZON_DAYS = env.int("SCHEDULES_HORIZON_DAYS", default=90)
TICKETS_RESERVATION_MINUTES = env.int("TICKETS_RESERVATION_MINUTES", default=15)
# How long a waiting list's offer holds its ticket for the person it went to.
TICKETS_WAITLIST_OFFER_HOURS = env.int("TICKETS_WAITLIST_OFFER_HOURS", default=2)
# The waiting room of big on-sales (tickets/waitroom): how long an admission pass lets a visitor
# buy, how often the queue page asks for news, the checkout p95 admission aims to stay under,
# the pace it starts at (visitors a minute), the default p95 past which a room switches on by
# itself and how long it then stays on, and how many places one address may take in an hour.
WAITROOM_PASS_MINUTES = env.int("WAITROOM_PASS_MINUTES", default=20)
WAITROOM_POLL_SECONDS = env.int("WAITROOM_POLL_SECONDS", default=10)
# the longest interval, for those with a long wait ahead (tickets.waitroom.room.Place)
WAITROOM_POLL_MAX_SECONDS = env.int("WAITROOM_POLL_MAX_SECONDS", default=30)
WAITROOM_TARGET_P95_MS = env.int("WAITROOM_TARGET_P95_MS", default=400)
WAITROOM_START_RATE = env.int("WAITROOM_START_RATE", default=60)
WAITROOM_AUTO_THRESHOLD_MS = env.int("WAITROOM_AUTO_THRESHOLD_MS", default=2000)
WAITROOM_AUTO_HOLD_SECONDS = env.int("WAITROOM_AUTO_HOLD_SECONDS", default=600)
WAITROOM_PLACES_PER_ADDRESS = env.int("WAITROOM_PLACES_PER_ADDRESS", default=50)
TICKETS_PAYMENT_MINUTES = env.int("TICKETS_PAYMENT_MINUTES", default=30)
TICKETS_ATTACHMENT_MAX_BYTES = env.int("TICKETS_ATTACHMENT_MAX_BYTES", default=5 * 1024 * 1024)
# Payment providers the portal offers (each organizer enables and orders them in the cabinet):
# "test" (an approve/decline page, refused in production), "cloudpayments", "halyk" and
# "freedompay" (each needs its values below; one without them is not offered).
TICKETS_PAYMENT_PROVIDERS = env.list(
    "TICKETS_PAYMENT_PROVIDERS", default=["cloudpayments"] if PRODUCTION else ["test"]
)
if PRODUCTION and "test" in TICKETS_PAYMENT_PROVIDERS:
    raise ImproperlyConfigured("The test payment provider cannot be enabled in production.")
CLOUDPAYMENTS_PUBLIC_ID = env.str("CLOUDPAYMENTS_PUBLIC_ID", default="")
CLOUDPAYMENTS_API_SECRET = env.str("CLOUDPAYMENTS_API_SECRET", default="")
CLOUDPAYMENTS_API_URL = env.str("CLOUDPAYMENTS_API_URL", default="https://api.cloudpayments.kz")
# Halyk Bank ePay ("halyk"): client id/secret and terminal from the ePay cabinet; test hosts
# outside production (HALYK_EPAY_TEST), the real ones in it.
HALYK_EPAY_CLIENT_ID = env.str("HALYK_EPAY_CLIENT_ID", default="")
HALYK_EPAY_CLIENT_SECRET = env.str("HALYK_EPAY_CLIENT_SECRET", default="")
HALYK_EPAY_TERMINAL_ID = env.str("HALYK_EPAY_TERMINAL_ID", default="")
HALYK_EPAY_TEST = env.bool("HALYK_EPAY_TEST", default=not PRODUCTION)
HALYK_EPAY_OAUTH_URL = env.str(
    "HALYK_EPAY_OAUTH_URL",
    default="https://test-epay-oauth.epayment.kz/oauth2/token"
    if HALYK_EPAY_TEST
    else "https://epay-oauth.homebank.kz/oauth2/token",
)
# The test API base as epayment.kz documents it (check-status, refund); newer SDKs use
# https://test-epay-api.epayment.kz, which HALYK_EPAY_API_URL can name instead.
HALYK_EPAY_API_URL = env.str(
    "HALYK_EPAY_API_URL",
    default="https://testepay.homebank.kz/api"
    if HALYK_EPAY_TEST
    else "https://epay-api.homebank.kz",
)
HALYK_EPAY_WIDGET_URL = env.str(
    "HALYK_EPAY_WIDGET_URL",
    default="https://test-epay.epayment.kz/payform/payment-api.js"
    if HALYK_EPAY_TEST
    else "https://epay.homebank.kz/payform/payment-api.js",
)
# Freedom Pay ("freedompay"): merchant id and the "payment password" (secret key) from its
# cabinet; FREEDOMPAY_TESTING_MODE sends pg_testing_mode=1 (no money moves).
FREEDOMPAY_MERCHANT_ID = env.str("FREEDOMPAY_MERCHANT_ID", default="")
FREEDOMPAY_SECRET_KEY = env.str("FREEDOMPAY_SECRET_KEY", default="")
FREEDOMPAY_API_URL = env.str("FREEDOMPAY_API_URL", default="https://api.freedompay.kz")
FREEDOMPAY_TESTING_MODE = env.bool("FREEDOMPAY_TESTING_MODE", default=not PRODUCTION)
# Payments still "created" this long are asked about at their provider (payments-reconcile),
# up to this many hours old; still unknown after PAYMENTS_ABANDONED_AFTER_HOURS: failed.
PAYMENTS_RECONCILE_AFTER_MINUTES = env.int("PAYMENTS_RECONCILE_AFTER_MINUTES", default=10)
PAYMENTS_RECONCILE_WITHIN_HOURS = env.int("PAYMENTS_RECONCILE_WITHIN_HOURS", default=48)
PAYMENTS_ABANDONED_AFTER_HOURS = env.int("PAYMENTS_ABANDONED_AFTER_HOURS", default=24)

# Privacy (privacy/): IP log, payment risk signal, legal deadlines, reminders.
IP_LOG_ENABLED = env.bool("IP_LOG_ENABLED", default=True)
IP_LOG_RETENTION_DAYS = env.int("IP_LOG_RETENTION_DAYS", default=90)  # then counts per IP per day
IP_LOG_BUFFER_SIZE = env.int("IP_LOG_BUFFER_SIZE", default=200)  # memory buffer: rows per batch
IP_LOG_FLUSH_SECONDS = env.int("IP_LOG_FLUSH_SECONDS", default=30)  # ... or the oldest row's age
IP_LOG_EXCLUDE_PATHS = ["/static/", "/media/", "/healthz", "/favicon.ico"]
# Orders and payments are kept this long after the year of the order, then made anonymous
# (fiscal fields stay): the Tax Code's limitation period for tax documents.
RETENTION_ORDERS_YEARS = env.int("RETENTION_ORDERS_YEARS", default=5)
# The rest of the retention schedule (privacy/retention.py lists what, how long and why):
# the IP address of an order or a consent is shortened to its network (IPv4 /24, IPv6 /48)
# after this many days, once fraud checks and chargebacks are over;
RETENTION_ORDER_IP_DAYS = env.int("RETENTION_ORDER_IP_DAYS", default=365)
# daily request counts per network (what IP_LOG_RETENTION_DAYS leaves) are deleted after this.
RETENTION_IP_STATS_DAYS = env.int("RETENTION_IP_STATS_DAYS", default=730)
# The registers (consent ledger, withdrawals, requests, claims, disclosures, destruction log) are
# kept while the consent is in force and this long after it ends: the limitation period.
RETENTION_REGISTERS_YEARS = env.int("RETENTION_REGISTERS_YEARS", default=3)
# Cookie choices recorded in the consent ledger are deleted this long after they were made
# (the browser keeps the choice for a year; the record outlives it for disputes). PostgreSQL's
# privacy_chain_cut refuses less than 365 days here and less than 3 years above.
RETENTION_COOKIE_CONSENT_DAYS = env.int("RETENTION_COOKIE_CONSENT_DAYS", default=730)
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
INCIDENT_NOTICE_WORKING_DAYS = 1  # notify the authorised body of a breach within a working day
# Working days: Kazakhstan's holidays come from the `holidays` package; the government's moved
# days off are entered by staff (admin: "days moved by the government").

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
