"""The import pages' forms: the upload, the plan's metadata, and one row per indicator."""
import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.choices import RegionLevel
from indicators.choices import Aggregation, Attribute, Direction
from plans.choices import PlanKind
from plans.models import Plan

from .drafts import ROW_FIELDS
from .sources import MAX_UPLOAD_BYTES

YEAR = {"required": False, "min_value": 1949, "max_value": 2100}


class UploadForm(forms.Form):
    file = forms.FileField(label=_("规划文件"), required=False, help_text=_(".docx、.pdf、.xlsx 或 .txt，不超过 20 MB"))
    text = forms.CharField(label=_("或粘贴规划全文"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    revises = forms.ModelChoiceField(
        label=_("修订已发布的规划"), queryset=Plan.objects.order_by("title").only("pk", "title", "code"),
        required=False, empty_label=_("（新规划）"),
        help_text=_("选择后，发布时按新文本更新该规划，已填报的数据全部保留"),
    )

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), (data.get("text") or "").strip()
        if not upload and not text:
            raise forms.ValidationError(_("请选择一个文件，或粘贴规划全文。"))
        if upload and text:
            raise forms.ValidationError(_("请只选择文件或只粘贴文本，不要同时提供。"))
        if upload and upload.size > MAX_UPLOAD_BYTES:
            self.add_error("file", _("文件超过 20 MB：请拆分文件，或只上传规划正文。"))
        return data


class MetadataForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=300)
    code = forms.SlugField(
        label=_("代码"), max_length=80, help_text=_("字母、数字和连字符，发布后用于网址"),
        error_messages={"invalid": _("代码只能由字母、数字、下划线和连字符组成。")},
    )
    kind = forms.ChoiceField(label=_("类型"), choices=PlanKind.choices)
    issuer = forms.CharField(label=_("发布机关"), max_length=200, required=False)
    document_number = forms.CharField(label=_("文号"), max_length=100, required=False)
    region = forms.CharField(label=_("地区"), max_length=100, required=False)
    region_level = forms.ChoiceField(label=_("地区级别"), choices=RegionLevel.choices, initial=RegionLevel.CITY)
    issued_on = forms.DateField(label=_("发布日期"), required=False)
    start_year = forms.IntegerField(label=_("起始年"), **YEAR)
    end_year = forms.IntegerField(label=_("终止年"), **YEAR)
    base_year = forms.IntegerField(label=_("基期年"), **YEAR)

    def __init__(self, *args, revises=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.revises = revises
        if revises:
            self.fields["code"].disabled = True

    def clean_code(self):
        code = self.cleaned_data["code"]
        if not self.revises and Plan.objects.filter(code=code).exists():
            raise forms.ValidationError(_("代码“%(code)s”已被另一份规划使用：请换一个代码，或导入时选择修订该规划。"),
                                        params={"code": code})
        return code

    def clean(self):
        data = super().clean()
        start, end, base = data.get("start_year"), data.get("end_year"), data.get("base_year")
        if start and end and end < start:
            self.add_error("end_year", _("终止年不能早于起始年。"))
        if start and base and base > start:
            self.add_error("base_year", _("基期年不能晚于起始年。"))
        return data

    def metadata(self) -> dict:
        data = dict(self.cleaned_data)
        data["issued_on"] = data["issued_on"].isoformat() if data.get("issued_on") else ""
        data["code"] = self.revises.code if self.revises else data["code"]
        return data


class IndicatorRowForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, required=False)
    number = forms.IntegerField(label=_("序号"), min_value=1, max_value=99999)
    name = forms.CharField(label=_("指标"), max_length=300)
    unit = forms.CharField(label=_("单位"), max_length=30, required=False)
    category = forms.CharField(label=_("类别"), max_length=100, required=False)
    baseline_year = forms.IntegerField(label=_("基期年"), **YEAR)
    baseline_value = forms.DecimalField(label=_("基期值"), max_digits=20, decimal_places=4, required=False)
    target_year = forms.IntegerField(label=_("目标年"), **YEAR)
    target_text = forms.CharField(label=_("目标"), max_length=300, required=False)
    attribute = forms.ChoiceField(label=_("属性"), choices=Attribute.choices, initial=Attribute.EXPECTED)
    direction = forms.ChoiceField(label=_("方向"), choices=Direction.choices, initial=Direction.UP)
    aggregation = forms.ChoiceField(label=_("统计口径"), choices=Aggregation.choices, initial=Aggregation.LEVEL)
    organization = forms.CharField(label=_("责任单位"), max_length=200, required=False)

    def __init__(self, *args, organizations=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organizations = organizations
        self.fields["target_text"].widget.attrs.update({"data-target-preview": "1"})
        self.fields["organization"].widget.attrs.update({"list": "intake-organizations"})

    def clean_organization(self):
        name = self.cleaned_data["organization"].strip()
        if name and name not in self.organizations:
            raise forms.ValidationError(_("没有名为“%(name)s”的责任单位：请从列表中选择，或留空。"),
                                        params={"name": name})
        return name

    def clean(self):
        data = super().clean()
        base, target = data.get("baseline_year"), data.get("target_year")
        if base and target and target < base:
            self.add_error("target_year", _("目标年不能早于基期年。"))
        return data


class BaseRowFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = {}
        for form in self.forms:
            if not form.cleaned_data or self._should_delete_form(form):
                continue
            number = form.cleaned_data["number"]
            if number in seen:
                form.add_error("number", _("序号 %(number)s 与第 %(row)s 行重复。") % {"number": number, "row": seen[number]})
            seen.setdefault(number, self.forms.index(form) + 1)


RowFormSet = forms.formset_factory(IndicatorRowForm, formset=BaseRowFormSet, extra=1, can_delete=True)


def row_initial(row: dict) -> dict:
    return {name: row.get(name) for name in ("key", *ROW_FIELDS)}


def rows_from_formset(formset, stored: list[dict]) -> list[dict]:
    """The rows to keep: each form's cleaned cells over what the draft stores for its row (line,
    quote, flags, the parser's target); deleted and untouched blank rows dropped."""
    by_key = {row["key"]: row for row in stored}
    rows = []
    for form in formset.forms:
        if not form.has_changed() and not form.initial or formset._should_delete_form(form):
            continue
        data = form.cleaned_data
        row = dict(by_key.get(data.get("key"), {"key": "n" + secrets.token_hex(4), "flags": []}))
        row.update({name: data.get(name) for name in ROW_FIELDS})
        row["baseline_value"] = None if data.get("baseline_value") is None else format(data["baseline_value"], "f")
        rows.append(row)
    return rows
