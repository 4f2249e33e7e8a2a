"""Login throttling, the Content-Security-Policy, upload limits and the Chinese error pages."""

import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from accounts.models import User
from config.security import client_ip

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.error_urls")]
PASSWORD = "a-long-enough-password-1"


@pytest.fixture
def official(db):
    return User.objects.create_user("official", password=PASSWORD)


def attempt(client, password, username="official"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


# -- login throttling -------------------------------------------------------------------------------


def test_it_locks_out_after_five_failures_with_a_clear_chinese_page(client, official, settings):
    settings.GUIHUA_SUPPORT_CONTACT = "市科技局信息中心（022-12345678）"
    for _ in range(4):
        assert attempt(client, "wrong-password").status_code == 200  # the login form again, with an error
    response = attempt(client, "wrong-password")
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录已暂时锁定" in page
    assert "连续 5 次" in page
    assert "60 分钟后再试" in page
    assert "市科技局信息中心（022-12345678）" in page
    # Even the right password is refused while the lock lasts.
    assert attempt(client, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_it_resets_the_count_after_a_successful_login(client, official):
    for _ in range(4):
        attempt(client, "wrong-password")
    assert attempt(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "wrong-password").status_code == 200
    assert attempt(client, PASSWORD).status_code == 302


def test_it_locks_the_username_and_address_pair_not_the_whole_office(client, official):
    User.objects.create_user("colleague", password=PASSWORD)
    for _ in range(5):
        attempt(client, "wrong-password")
    assert attempt(client, PASSWORD, username="colleague").status_code == 302


def test_it_takes_the_client_address_from_the_trusted_proxy_only(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.2.3")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "127.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "10.1.2.3"  # the forged 6.6.6.6 written by the client is ignored


# -- Content-Security-Policy and headers -------------------------------------------------------------


def test_it_sends_a_strict_content_security_policy(client):
    response = client.get(reverse("accounts:login"))
    policy = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"  # no inline scripts, no CDN
    assert policy["style-src"] == "'self' 'unsafe-inline'"  # plotly.js sets inline styles
    assert policy["img-src"] == "'self' data: blob:"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_it_keeps_templates_free_of_inline_scripts():
    """script-src 'self' blocks inline <script> blocks and on* handlers; every script must be a file."""
    import re
    from pathlib import Path

    offenders = []
    for template in Path(__file__).resolve().parents[2].joinpath("templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b([^>]*)>(.*?)</script>", text, re.S):
            attrs, body = match.groups()
            if "src=" not in attrs and "application/json" not in attrs and body.strip():
                offenders.append(f"{template.name}: inline <script>")
        if re.search(r"\son[a-z]+\s*=\s*['\"]", text):
            offenders.append(f"{template.name}: inline event handler")
    assert offenders == [], "CSP script-src 'self' would block: " + ", ".join(offenders)


def test_it_refuses_a_form_with_too_many_fields(client, official):
    client.force_login(official)
    data = {f"f{i}": "1" for i in range(6000)}
    response = client.post(reverse("accounts:logout"), data)
    assert response.status_code == 400
    assert "请求无效" in response.content.decode()


# -- error pages: Chinese, no internals ----------------------------------------------------------------


def test_it_shows_a_chinese_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_it_shows_a_chinese_403_with_the_reason(client):
    response = client.get("/__test__/forbidden/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "没有权限访问此页面" in page
    assert "年度已锁定" in page


def test_it_shows_a_static_chinese_500_without_internals(db):
    client = Client(raise_request_exception=False)
    response = client.get("/__test__/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "服务器出错了" in page
    assert "本次操作没有保存" in page
    assert "secret internals" not in page and "Traceback" not in page and "RuntimeError" not in page


@override_settings(DEBUG=False)
def test_it_explains_a_csrf_failure_in_chinese(official):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "official", "password": PASSWORD})
    assert response.status_code == 403
    page = response.content.decode()
    assert "页面已过期" in page
    assert "CSRF token" not in page  # Django's English explanation is not shown
