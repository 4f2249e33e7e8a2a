"""The indicator page. It lives here, not in indicators/, because it shows the values reported
against the indicator and their history, which belong to the monitoring app above it."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from indicators.forms import TargetRevisionForm
from indicators.models import Indicator
from indicators.services import target_revise

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
            "can_revise": access.can_plan(request.user),
        },
    )


@login_required
def indicator_revise(request, pk):
    """Planners record a target or baseline adjustment (规划调整) against its document."""
    indicator = get_object_or_404(Indicator.objects.select_related("plan"), pk=pk)
    if not access.can_plan(request.user):
        raise PermissionDenied
    form = TargetRevisionForm(
        request.POST or None,
        initial={"target_text": indicator.target_text, "baseline_value": indicator.baseline_value},
    )
    if request.method == "POST" and form.is_valid():
        try:
            target_revise(request.user, indicator, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已记录规划调整，原目标保留在调整记录中。"))
            return redirect(indicator)
    return render(request, "indicators/indicator_revise.html", {"indicator": indicator, "form": form})
