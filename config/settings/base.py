"""Settings shared by every environment; each value that differs comes from the environment."""
import ipaddress
import os
from pathlib import Path

import dj_database_url
import plotly
from csp.constants import NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "accounts",
    "plans",
    "indicators",
    "projects",
    "intake",
    "reports",
    "benchmarks",  # manage.py bench (no models, no pages)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.PrivatePagesMiddleware",
    "accounts.middleware.MustChangePasswordMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "config.navigation.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"  # config.views.home sends each role to its own start page
LOGOUT_REDIRECT_URL = "plans:plan_list"

# django-axes first: it refuses a locked-out login before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# plotly.js is served from the plotly package itself, so the app never needs a CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("plotly", Path(plotly.__file__).parent / "package_data"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Files served at the site root (/favicon.ico), which browsers ask for whatever a page links.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded workbooks wait here between preview and confirm; outside MEDIA_ROOT, so never served.
UPLOAD_STAGING_ROOT = Path(os.environ.get("UPLOAD_STAGING_ROOT", BASE_DIR / "var" / "upload-staging"))

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# The widest forms (one organization's whole indicator table or project list for a plan and year)
# post under ten fields per row; 5,000 leaves room for ~500 rows and still refuses flooding payloads.
# DATA_UPLOAD_MAX_NUMBER_FILES keeps Django's 100: the progress form takes one attachment per project.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# Login throttling (django-axes): five failures for the same username from the same address lock
# that pair out for an hour; a successful login clears the count. Locking the pair rather than the
# address alone keeps a whole office behind one NAT from being locked out by one person. Wider
# locks (accounts/throttling.py) stop guessing over many user names from one address, and over
# many addresses at one user name.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "accounts.throttling.LoginThrottle"
AXES_LOCKOUT_CALLABLE = "config.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "accounts.addresses.client_ip"
AXES_HTTP_RESPONSE_CODE = 429
# Failures from one address, whatever the user names, within AXES_COOLOFF_TIME that lock the address.
GUIHUA_LOGIN_ADDRESS_LIMIT = 40
# Failures at one user name, whatever the addresses, within GUIHUA_LOGIN_USERNAME_MINUTES that
# lock the user name (everyone's logins to it, the owner's too, until the failures are that old).
GUIHUA_LOGIN_USERNAME_LIMIT = 20
GUIHUA_LOGIN_USERNAME_MINUTES = 15
# Whom a locked-out user should contact (shown on the lock-out page).
GUIHUA_SUPPORT_CONTACT = os.environ.get("GUIHUA_SUPPORT_CONTACT", "系统管理员")
# Number of reverse proxies in front of the app that append to X-Forwarded-For (nginx: 1), and
# their addresses (networks allowed). The header is read only from a peer in TRUSTED_PROXIES, at
# most that many entries from the right (accounts/addresses.py), so a forged header gains nothing.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "127.0.0.1,::1")
for _proxy in TRUSTED_PROXIES:
    ipaddress.ip_network(_proxy, strict=False)  # a wrong entry stops the start, not a login

# Content-Security-Policy (django-csp): no inline scripts, no third-party origins. Inline styles
# stay allowed because plotly.js sets style attributes and injects <style> while drawing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}

# History records are evidence: the admin shows them but never reverts to them.
SIMPLE_HISTORY_REVERT_DISABLED = True

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table"}

# Assessment and monitoring knobs (DESIGN.md §4, §5)
GUIHUA_TOLERANCE = os.environ.get("GUIHUA_TOLERANCE", "0.05")
GUIHUA_OUTLIER_PERCENT = os.environ.get("GUIHUA_OUTLIER_PERCENT", "50")
# Four eyes: a one-person office may let a reviewer approve what they entered (recorded as such).
GUIHUA_ALLOW_SELF_REVIEW = env_bool("GUIHUA_ALLOW_SELF_REVIEW", False)
# Processes writing one assessment workbook of many plans (reports/parallel.py); 1 = this process only.
GUIHUA_EXPORT_PROCESSES = int(os.environ.get("GUIHUA_EXPORT_PROCESSES", min(4, os.cpu_count() or 1)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
