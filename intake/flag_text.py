"""A parser's flag in the page's language: its code's message (``parsing.flags.MESSAGES``, the
Chinese msgid) translated with gettext and filled with its parameters; a flag without a code
(a draft stored before flags had codes) keeps its Chinese message."""
from django.utils.translation import gettext

from .parsing.flags import MESSAGES


def flag_reason(flag: dict) -> str:
    template = MESSAGES.get(flag.get("code") or "")
    if template is None:
        return flag.get("message", "")
    try:
        return gettext(template) % dict(flag.get("params") or {})
    except (KeyError, TypeError, ValueError):
        return flag.get("message", "")
