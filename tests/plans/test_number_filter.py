"""{{ value|number_text }}: the numbers of every page written as core.numbers writes them."""
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse

from indicators.models import Indicator
from plans.templatetags.number_text import number_text

from .test_views import make_plan


@pytest.mark.parametrize(("value", "shown"), [
    (Decimal("500.0000"), "500"),
    (Decimal("1.6500"), "1.65"),
    (Decimal("5E+2"), "500"),
    (Decimal("-0.5000"), "-0.5"),
    (Decimal("0E-4"), "0"),
    (Decimal("12345678.9"), "12345678.9"),
    (1000, "1000"),
    (0.1, "0.1"),
    (None, ""),
])  # fmt: skip
def test_it_writes_plain_values_without_padding_zeros_or_exponents(value, shown):
    assert number_text(value) == shown


def test_it_rounds_half_up_to_the_places_asked():
    assert number_text(Decimal("0.42857"), 2) == "0.43"
    assert number_text(Decimal("2.5"), "0") == "3"


def test_it_shows_what_is_not_a_number_as_it_is():
    assert number_text("—") == "—"
    assert number_text("") == ""


def test_it_works_in_a_template():
    template = Template("{% load number_text %}{{ a|number_text }} {{ b|number_text:1 }} [{{ c|number_text }}]")
    assert template.render(Context({"a": Decimal("500.0000"), "b": Decimal("1.25"), "c": None})) == "500 1.3 []"


@pytest.mark.django_db
def test_it_shows_a_baseline_of_500_as_500_on_the_plan_and_indicator_pages(client):
    plan = make_plan("five-hundred", indicators=1)
    indicator = Indicator.objects.get(plan=plan)
    Indicator.objects.filter(pk=indicator.pk).update(baseline_value=Decimal("500.0000"))
    for url in (plan.get_absolute_url(), reverse("indicators:indicator_detail", args=[indicator.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert ">500 " in page or ">500<" in page, url
        assert "5E+2" not in page and "500.0000" not in page, url
