"""The indicator page. It lives here, not in indicators/, because it shows the values reported
against the indicator and their history, which belong to the monitoring app above it."""
from django.shortcuts import get_object_or_404, render

from indicators.models import Indicator

from . import access
from .choices import State
from .selectors import indicator_history_for_user


def indicator_detail(request, pk):
    indicator = get_object_or_404(
        Indicator.objects.select_related("plan", "section", "organization", "concept"), pk=pk
    )
    values = indicator.values.order_by("year")
    if not access.can_read(request.user, indicator.organization):
        values = values.filter(state=State.APPROVED)
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            "indicator": indicator,
            "target": indicator.target,
            "revisions": indicator.revisions.all(),
            "values": values,
            "value_history": indicator_history_for_user(request.user, indicator),
        },
    )
