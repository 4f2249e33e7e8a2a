"""Site-wide pages that belong to no app."""
import re

from django.http import Http404
from django.shortcuts import redirect, render

from .navigation import landing_url_name


def home(request):
    """``/``: each user to the page they start from (``navigation.landing_url_name``)."""
    return redirect(landing_url_name(request.user))


# get_object_or_404 says this in English, naming a model: a message for developers, not users.
_LOOKUP_MESSAGE = re.compile(r"^No \w+ matches the given query\.$")


def page_not_found(request, exception):
    """The 404 page, saying why when a view said why (e.g. "该规划没有 2999 年度。")."""
    reason = ""
    if type(exception) is Http404 and exception.args and isinstance(exception.args[0], str):
        reason = "" if _LOOKUP_MESSAGE.match(exception.args[0]) else exception.args[0]
    return render(request, "404.html", {"reason": reason}, status=404)
