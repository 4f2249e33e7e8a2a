from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Indicator


class TargetRevisionForm(forms.Form):
    """A mid-plan adjustment of an indicator's target or baseline, with its document and reason."""

    target_text = forms.CharField(label=_("调整后的目标"), max_length=300)
    baseline_value = forms.DecimalField(
        label=_("调整后的基期值"), max_digits=20, decimal_places=4, required=False
    )
    document = forms.CharField(label=_("调整依据文件"), max_length=300)
    revised_on = forms.DateField(label=_("调整日期"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("调整理由"), widget=forms.Textarea(attrs={"rows": 3}))


class IndicatorForm(forms.ModelForm):
    """A published indicator's definition; the target and baseline change only by a revision."""

    class Meta:
        model = Indicator
        fields = ["name", "unit", "category", "attribute", "direction", "aggregation", "organization", "concept"]
