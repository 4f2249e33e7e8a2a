"""Forms of the monitoring pages: one row form per indicator or project. They parse what was typed
(validation.parse_value_input); the checks before review run in the write path (services.checks)."""
from decimal import Decimal
from pathlib import Path

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from core.numbers import number_text

from .choices import ProgressStatus, Vintage
from .services import ProgressRow, ValueRow, last_change, stale_message
from .validation import parse_value_input
from .widgets import RowHiddenInput, RowSelect, RowTextarea, RowTextInput

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ATTACHMENT_SUFFIXES = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".jpg", ".jpeg", ".png"}


class WorkflowRowForm(forms.Form):
    """A row of an entry page: the fields of one record plus the version its author saw.

    A row whose record is no longer editable (submitted, approved, locked year, read-only user) is
    shown with disabled fields; a posted version that differs from the stored one is refused with
    both values, so nothing is overwritten from a stale page.
    """

    version = forms.IntegerField(widget=RowHiddenInput, min_value=0, required=False)
    shown_field = "value"

    def __init__(self, *args, current=None, editable=True, **kwargs):
        self.current = current
        kwargs["initial"] = {**self.initial_for(current), "version": current.version if current else 0}
        super().__init__(*args, **kwargs)
        # A row missing from the posted page (its indicator was assigned after the page loaded) is left alone.
        on_page = not self.is_bound or self.add_prefix("version") in self.data
        self.editable = editable and on_page and (current is None or current.is_editable)
        for name, form_field in self.fields.items():
            form_field.disabled = name != "version" and not self.editable

    def initial_for(self, current) -> dict:
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        posted, stored = cleaned.get("version"), self.current.version if self.current else 0
        typed = self.data.get(self.add_prefix(self.shown_field))
        if posted is not None and posted != stored and (self.editable or typed is not None):
            who, when = last_change(self.current) if self.current else (None, None)
            raise ValidationError(
                stale_message(self.current_shown(), self.typed_shown(typed), who, when), code="stale"
            )
        return cleaned

    def current_shown(self):
        raise NotImplementedError

    def typed_shown(self, typed):
        return typed

    @property
    def is_stale(self) -> bool:
        return self.is_bound and self.has_error(NON_FIELD_ERRORS, code="stale")

    @property
    def changed(self) -> bool:
        return bool(set(self.changed_data) - {"version"})


class ValueRowForm(WorkflowRowForm):
    value = forms.CharField(label=_("数值"), required=False, max_length=60, widget=RowTextInput)
    source = forms.CharField(label=_("数据来源"), required=False, max_length=200, widget=RowTextInput)
    vintage = forms.ChoiceField(
        label=_("数据性质"), choices=Vintage.choices, initial=Vintage.PRELIMINARY, widget=RowSelect
    )
    note = forms.CharField(label=_("说明"), required=False, widget=RowTextarea(attrs={"rows": 2}))

    def __init__(self, *args, indicator, **kwargs):
        self.indicator = indicator
        super().__init__(*args, **kwargs)

    def initial_for(self, current) -> dict:
        if current is None:
            return {"vintage": Vintage.PRELIMINARY}
        fields = {"source": current.source, "vintage": current.vintage, "note": current.note}
        return {"value": number_text(current.value), **fields}

    def current_shown(self):
        return self.current.value if self.current else None

    def clean_value(self) -> Decimal | None:
        text = self.cleaned_data["value"]
        if not text.strip():
            if self.current is not None and self.editable:
                raise ValidationError(_("已保存的数值不能清空，请填写数值。"), code="required")
            return None
        try:
            return parse_value_input(text, percent_unit=self.indicator.is_share)
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from None

    def wants_write(self, submit: bool) -> bool:
        if not self.editable or self.cleaned_data.get("value") is None:
            return False
        return self.changed or (submit and self.current is not None)

    def to_row(self) -> ValueRow:
        data = self.cleaned_data
        return ValueRow(
            indicator=self.indicator, value=data["value"], source=data["source"], vintage=data["vintage"],
            note=data["note"], expected_version=data["version"] or 0, changed=self.changed,
            current=self.current,
        )


class ProgressRowForm(WorkflowRowForm):
    status = forms.ChoiceField(label=_("进展"), choices=[("", "—"), *ProgressStatus.choices], required=False)
    narrative = forms.CharField(label=_("进展情况"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    investment = forms.CharField(label=_("完成投资（万元）"), required=False, max_length=60)
    attachment = forms.FileField(label=_("附件"), required=False)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    shown_field = "status"

    def __init__(self, *args, project, **kwargs):
        self.project = project
        super().__init__(*args, **kwargs)

    def initial_for(self, current) -> dict:
        if current is None:
            return {}
        return {
            "status": current.status, "narrative": current.narrative, "note": current.note,
            "investment": number_text(current.investment),
        }

    def current_shown(self):
        return self.current.get_status_display() if self.current else None

    def typed_shown(self, typed):
        return dict(ProgressStatus.choices).get(typed, typed)

    def clean_status(self) -> str:
        status = self.cleaned_data["status"]
        if not status and self.current is not None and self.editable:
            raise ValidationError(_("请选择进展状态。"), code="required")
        return status

    def clean_investment(self) -> Decimal | None:
        text = self.cleaned_data["investment"]
        if not text.strip():
            return None
        try:
            value = parse_value_input(text, percent_unit=False)
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from None
        if value < 0:
            raise ValidationError(_("完成投资不能为负数。"), code="negative")
        return value

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        if Path(upload.name).suffix.lower() not in ATTACHMENT_SUFFIXES:
            raise ValidationError(_("附件只能是 PDF、Word、Excel 或 JPG/PNG 图片。"), code="file_type")
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise ValidationError(_("附件不能超过 10 MB。"), code="file_size")
        return upload

    def clean(self):
        cleaned = super().clean()
        if self.editable and not cleaned.get("status") and self.changed and "status" not in self.errors:
            self.add_error("status", _("请选择进展状态。"))
        return cleaned

    def check_for_submit(self) -> None:
        data = self.cleaned_data
        delayed = data.get("status") == ProgressStatus.DELAYED
        if self.editable and delayed and not data.get("narrative", "").strip():
            self.add_error("narrative", _("进展滞后时，请在进展情况中说明原因。"))

    def wants_write(self, submit: bool) -> bool:
        if not self.editable or not self.cleaned_data.get("status"):
            return False
        return self.changed or (submit and self.current is not None)

    def to_row(self) -> ProgressRow:
        data = self.cleaned_data
        return ProgressRow(
            project=self.project, status=data["status"], narrative=data["narrative"],
            investment=data["investment"], note=data["note"], attachment=data["attachment"],
            expected_version=data["version"] or 0, changed=self.changed, current=self.current,
        )


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("退回时必须填写理由。"), code="required")
        return reason


class ApproveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def posted_version(data, key: str) -> int | None:
    """A version posted next to a checkbox of the review queue; None when missing or garbled."""
    try:
        return int(data.get(key, ""))
    except ValueError:
        return None
