from django.shortcuts import get_object_or_404, render

from .models import Indicator


def indicator_detail(request, pk):
    indicator = get_object_or_404(
        Indicator.objects.select_related("plan", "section", "organization", "concept"), pk=pk
    )
    return render(
        request,
        "indicators/indicator_detail.html",
        {"indicator": indicator, "target": indicator.target, "revisions": indicator.revisions.all()},
    )
