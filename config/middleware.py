"""Responses no browser or proxy may keep: pages that show unapproved values to the signed-in."""

from django.utils.cache import patch_cache_control

# /monitoring/ (projects: tasks, entry, review, year locks; excel: template, upload, preview) and
# /intake/ (unpublished plan drafts) show what is not public yet; /accounts/ (sign-in, one's password,
# 人员与单位 with the one-time passwords it shows) is nobody else's.
PRIVATE_NAMESPACES = frozenset({"projects", "excel", "intake", "accounts"})


class PrivatePagesMiddleware:
    """``Cache-Control: private, no-store`` on every page of PRIVATE_NAMESPACES and on any page
    asked for with its preliminary (unapproved) values (``?preliminary=1``): a shared computer's
    browser cache or a proxy never keeps another user's drafts."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = request.resolver_match
        private = match is not None and not PRIVATE_NAMESPACES.isdisjoint(match.namespaces)
        if private or request.GET.get("preliminary") == "1":
            patch_cache_control(response, private=True, no_store=True)
        return response
