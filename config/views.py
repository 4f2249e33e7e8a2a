"""Site-wide pages that belong to no app."""
from django.shortcuts import redirect

from .navigation import landing_url_name


def home(request):
    """``/``: each user to the page they start from (``navigation.landing_url_name``)."""
    return redirect(landing_url_name(request.user))
