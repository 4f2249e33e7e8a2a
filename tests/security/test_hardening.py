"""Login throttling, the Content-Security-Policy, upload limits and the Chinese error pages."""

import pytest
from datetime import timedelta

from django.db.models import F
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from accounts.models import User
from accounts.addresses import client_ip
from axes.models import AccessAttempt

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


def test_it_ignores_the_header_of_a_request_that_reached_the_app_directly(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1", "10.20.0.0/16"]

    def address(remote, forwarded):
        return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded))

    assert address("203.0.113.9", "6.6.6.6") == "203.0.113.9"  # not our proxy: the header is the client's
    assert address("10.20.3.4", "6.6.6.6, 198.51.100.7") == "198.51.100.7"  # a proxy of the trusted network
    assert address("127.0.0.1", "not-an-address") == "127.0.0.1"  # never garbage into the lock records
    settings.TRUSTED_PROXY_COUNT = 2  # two proxies: the second must be trusted too
    assert address("127.0.0.1", "6.6.6.6, 198.51.100.7") == "198.51.100.7"
    assert address("127.0.0.1", "6.6.6.6, 10.20.0.1") == "6.6.6.6"


def test_it_locks_an_address_guessing_over_many_user_names(client, official, settings):
    """Issue 14 §8: 120 tries over 30 user names, four each (under the pair's five), lock the address."""
    statuses = []
    for n in range(30):
        for _ in range(4):
            statuses.append(attempt(client, "wrong-password", username=f"user{n}").status_code)
    limit = settings.GUIHUA_LOGIN_ADDRESS_LIMIT
    assert statuses[: limit - 1] == [200] * (limit - 1)
    assert set(statuses[limit - 1 :]) == {429}
    refused = attempt(client, PASSWORD)  # the right password of a real account, from that address
    assert refused.status_code == 429 and "_auth_user_id" not in client.session
    assert "从您的网络地址登录失败已达 40 次" in refused.content.decode()
    assert attempt(Client(REMOTE_ADDR="10.9.9.9"), PASSWORD).status_code == 302  # another address logs in


def test_it_locks_a_user_name_guessed_from_rotating_addresses(official, settings):
    limit = settings.GUIHUA_LOGIN_USERNAME_LIMIT
    for n in range(limit - 1):
        assert attempt(Client(REMOTE_ADDR=f"10.3.0.{n}"), "wrong-password").status_code == 200
    assert attempt(Client(REMOTE_ADDR="10.3.1.1"), "wrong-password").status_code == 429
    refused = attempt(Client(REMOTE_ADDR="10.3.2.2"), PASSWORD)  # a fresh address, the right password
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "该账号近期从多个网络地址登录失败已达 20 次" in page and "15 分钟后再试" in page
    User.objects.create_user("colleague", password=PASSWORD)
    assert attempt(Client(REMOTE_ADDR="10.3.0.1"), PASSWORD, username="colleague").status_code == 302
    # for a while only: once the failures are older than the window, the owner logs in again
    minutes = settings.GUIHUA_LOGIN_USERNAME_MINUTES
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes, seconds=1))
    assert attempt(Client(REMOTE_ADDR="10.3.2.2"), PASSWORD).status_code == 302


def test_a_forged_forwarded_header_sent_directly_gains_no_new_tries(official, settings):
    """Issue 14 §8: with TRUSTED_PROXY_COUNT=1, a client reaching the app directly rotates
    X-Forwarded-For; it is still one address and the pair locks after five."""
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [
        client.post(
            reverse("accounts:login"), {"username": "official", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        ).status_code
        for n in range(6)
    ]  # fmt: skip
    assert statuses == [200, 200, 200, 200, 429, 429]
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}


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
