"""Tests run against PostgreSQL, the production database."""
import os

import dj_database_url

from .base import *  # noqa: F401,F403

SECRET_KEY = "test-only-key"
DEBUG = False
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/guihua")
    )
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
MEDIA_ROOT = BASE_DIR / "test-results" / "media"  # noqa: F405
UPLOAD_STAGING_ROOT = BASE_DIR / "test-results" / "upload-staging"  # noqa: F405
WHITENOISE_AUTOREFRESH = True  # tests never run collectstatic
