"""The indicator pages: the indicator itself, its edit page and its target revision (规划调整).

Editing changes the definition (name, unit, attribute, …) with history kept; a target or baseline
changes only through a revision, which records its document and reason. Both are for the planners
of the plan's region (accounts.permissions.can_plan_region) and superusers.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.generic import UpdateView

from accounts import permissions

from . import panels
from .forms import IndicatorForm, TargetRevisionForm
from .models import Indicator
from .services import HISTORY_REASON_LENGTH, indicators_changed, target_revise


def indicator_detail(request, pk):
    indicator = get_object_or_404(
        Indicator.objects.select_related("plan", "section", "organization", "concept"), pk=pk
    )
    context = {
        "indicator": indicator,
        "target": indicator.target,
        "revisions": indicator.revisions.all(),
        "can_revise": permissions.can_plan_region(request.user, indicator.plan.region_id),
        **panels.context_for(request, indicator),
    }
    return render(request, "indicators/indicator_detail.html", context)


class IndicatorUpdateView(LoginRequiredMixin, UpdateView):
    """Planners edit a published indicator's definition; the change is kept in its history."""

    model = Indicator
    form_class = IndicatorForm
    template_name = "indicators/indicator_form.html"

    def get_object(self, queryset=None):
        indicator = super().get_object(Indicator.objects.select_related("plan__region"))
        permissions.require_plan_region(self.request.user, indicator.plan)
        return indicator

    def form_valid(self, form):
        form.instance._change_reason = _("编辑指标定义")[:HISTORY_REASON_LENGTH]
        response = super().form_valid(form)
        indicators_changed([self.object.pk])  # direction or aggregation change the assessment
        messages.success(self.request, _("已保存指标修改，修改前的内容保留在变更记录中。"))
        return response


@login_required
def indicator_revise(request, pk):
    """Planners record a target or baseline adjustment (规划调整) against its document."""
    indicator = get_object_or_404(Indicator.objects.select_related("plan__region"), pk=pk)
    permissions.require_plan_region(request.user, indicator.plan)
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
