"""After an administrator reset their password, a user changes it before doing anything else."""
from django.shortcuts import redirect
from django.urls import reverse

# What such a user may still reach: the change page itself, signing out, switching the language.
ALLOWED_URL_NAMES = frozenset({"accounts:password_change", "accounts:logout", "accounts:login", "set_language"})


class MustChangePasswordMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.must_change_password:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ALLOWED_URL_NAMES:
            return None
        return redirect(reverse("accounts:password_change"))
