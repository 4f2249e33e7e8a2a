from django.shortcuts import get_object_or_404, render
from django_tables2 import SingleTableMixin
from django_filters.views import FilterView

from .filtersets import PlanFilterSet
from .models import Plan
from .selectors import plan_list, section_tree
from .tables import PlanTable


class PlanListView(SingleTableMixin, FilterView):
    table_class = PlanTable
    filterset_class = PlanFilterSet
    template_name = "plans/plan_list.html"
    paginate_by = 50

    def get_queryset(self):
        return plan_list()


def plan_detail(request, code):
    plan = get_object_or_404(Plan.objects.select_related("region", "parent"), code=code)
    indicators = plan.indicators.select_related("organization", "section").order_by("number")
    return render(
        request,
        "plans/plan_detail.html",
        {"plan": plan, "tree": section_tree(plan), "indicators": indicators},
    )
