"""Local development: SQLite by default, DEBUG on, a throwaway secret key."""
from .base import *  # noqa: F401,F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405
# scripts/run.sh collects the static files (gzipped by the base settings' storage) and serves them
# through WhiteNoise without the finders, as production does: plotly.js goes out compressed. A plain
# `runserver` keeps serving the source folders, so an edited stylesheet shows at once.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)
