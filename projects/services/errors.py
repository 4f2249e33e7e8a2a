"""The refusals of monitoring writes, with the messages users read."""
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.numbers import number_text

from ..models import ReportingYear, WorkflowRecord



class MonitoringError(ValidationError):
    """A refused monitoring write, with a message for the user."""

    default_code = "monitoring"

    def __init__(self, message, code=None, params=None):
        super().__init__(message, code=code or self.default_code, params=params)

    def __str__(self):
        return " ".join(self.messages)


class YearLockedError(MonitoringError):
    default_code = "locked"

    def __init__(self, reporting_year: ReportingYear):
        self.reporting_year = reporting_year
        super().__init__(lock_message(reporting_year))


class StaleValueError(MonitoringError):
    """The record changed since its author loaded the page; both values are kept for display."""

    default_code = "stale"

    def __init__(self, current_value, your_value, who, when, *, current_version=None):
        self.current_value, self.your_value = current_value, your_value
        self.who, self.when, self.current_version = who, when, current_version
        super().__init__(stale_message(current_value, your_value, who, when))


class InvalidStateError(MonitoringError):
    default_code = "state"


class InvalidValueError(MonitoringError):
    """The value fails the checks of validation.check_value; `problems` keep their form field."""

    default_code = "invalid"

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(list(problems))


def lock_message(reporting_year: ReportingYear) -> str:
    return _(
        "%(plan)s %(year)s 年度已于 %(when)s 由 %(who)s 锁定，不能再修改。"
        "如需修改，请联系规划人员或管理员解锁。"
    ) % {
        "plan": reporting_year.plan.display_name,
        "year": reporting_year.year,
        "when": _when(reporting_year.locked_at),
        "who": reporting_year.locked_by or _("（未知）"),
    }


def stale_message(current_value, your_value, who, when) -> str:
    return _("该数值已被 %(who)s 于 %(when)s 修改为 %(current)s；你提交的是 %(yours)s。请核对后重新提交。") % {
        "who": who or _("他人"),
        "when": _when(when),
        "current": _shown(current_value),
        "yours": _shown(your_value),
    }


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "Y-m-d H:i") if moment else _("（时间未知）")


def _shown(value) -> str:
    if value is None or value == "":
        return _("（空）")
    return number_text(value) if isinstance(value, Decimal) else str(value)


def last_change(record: WorkflowRecord):
    """Who touched the record last and when, from its own who/when columns (no history query)."""
    steps = [
        (record.entered_at, "entered_by"),
        (record.submitted_at, "submitted_by"),
        (record.reviewed_at, "reviewed_by"),
    ]
    moment, attr = max(((at, attr) for at, attr in steps if at), default=(None, None))
    return (getattr(record, attr) if attr else None), moment


class BatchError(MonitoringError):
    """Some rows of a batch were refused; nothing of the batch was written."""

    default_code = "batch"

    def __init__(self, errors: dict):
        self.errors = errors  # key (indicator or project pk, or import line) → MonitoringError
        super().__init__(_("有 %(n)s 行未能保存，本次没有写入任何数据。") % {"n": len(errors)})


class SelfReviewError(MonitoringError):
    """Four eyes: the reviewer entered or submitted the record (settings.GUIHUA_ALLOW_SELF_REVIEW is off)."""

    default_code = "self_review"
