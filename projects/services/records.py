"""The workflow step every monitoring record shares, parametrised by the record type.

One record's step (submit, approve, return, or saving a progress record) runs: plan-year row lock
→ record row lock → version check → permission (the roles the transition table names) → the
transition table (projects.workflow) → who and when → version + 1 → save with history → after
commit, what the record type does after a write (values: when approved values changed, renew the
change stamps and send values_written). The bulk write of values (services.values) runs the same checks row by row.
"""
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from accounts import permissions
from indicators.models import Indicator
from indicators.services import indicators_changed

from .. import access, workflow
from ..models import IndicatorValue, Project, ProjectProgress
from ..selectors.reference import references
from ..signals import values_written
from .checks import value_problems
from .errors import InvalidStateError, InvalidValueError, SelfReviewError, StaleValueError, last_change
from .history import HISTORY_REASON_LENGTH, require, save_with_history
from .years import lock_year_for_write


# What a refusal says, by step: the same words for values and progress, naming the record's owner
# (the indicator's responsible unit, the project's lead unit) and the record.
PERMISSION = {
    workflow.SAVE: gettext_lazy("只有%(owner)s的填报员可以填报。"),
    workflow.SUBMIT: gettext_lazy("只有%(owner)s的填报员可以提交。"),
    workflow.APPROVE: gettext_lazy("只有%(owner)s的审核员可以审核。"),
    workflow.RETURN: gettext_lazy("只有%(owner)s的审核员可以退回。"),
}
REFUSED_STATE = {
    workflow.SAVE: gettext_lazy("该%(noun)s已提交审核或已审核通过，不能修改；如需更正，请联系审核员退回。"),
    workflow.SUBMIT: gettext_lazy("只有草稿或已退回的%(noun)s可以提交。"),
    workflow.APPROVE: gettext_lazy("只有已提交的%(noun)s可以审核通过。"),
    workflow.RETURN: gettext_lazy("只有已提交的%(noun)s可以退回。"),
}


@dataclass(frozen=True)
class RecordKind:
    """What differs between indicator values and key-project progress in the workflow."""

    model: type
    owner_model: type
    owner_name: str  # the field of what the record reports on: "indicator" or "project"
    owner_label: str  # whose officials and reviewers act on it
    noun: str
    shown: Callable  # what a stale-record message shows of a record
    problems: Callable[[object], list[str]] | None = None  # the checks before it goes to review
    written: Callable[[list], None] | None = None  # what follows a write

    def owner(self, record):
        owner_id = getattr(record, f"{self.owner_name}_id")
        return self.owner_model.objects.select_related("plan").get(pk=owner_id)

    def permission(self, step: str) -> str:
        message = PERMISSION.get(step)
        if message is None:
            return _("你无权修改该%(noun)s。") % {"noun": self.noun}
        return message % {"owner": self.owner_label}

    def refused_state(self, step: str) -> str:
        return REFUSED_STATE[step] % {"noun": self.noun}

    def self_review(self) -> str:
        return _(
            "这条%(noun)s由你填报或提交，不能由你本人审核通过或退回（四眼原则），请由本单位另一位审核员审核。"
        ) % {"noun": self.noun}


def _value_shown(record):
    return record.value


def _progress_shown(record):
    return record.get_status_display()


def _values_written(records) -> None:
    # No step here starts from approved: only an approval changes what the assessment reads.
    values_written_now({record.indicator_id for record in records if record.state == workflow.APPROVED})


def _value_problems(record) -> list[str]:
    reference = references([record.indicator], record.year)[record.indicator_id]
    return value_problems(record.indicator, record.year, record.value, record.note, reference)


VALUE = RecordKind(
    IndicatorValue, Indicator, "indicator", gettext_lazy("该指标责任单位"), pgettext_lazy("workflow record", "数值"),
    shown=_value_shown, problems=_value_problems, written=_values_written,
)
PROGRESS = RecordKind(
    ProjectProgress, Project, "project", gettext_lazy("该项目牵头单位"), pgettext_lazy("workflow record", "进展"),
    shown=_progress_shown,
)
STEP_REASONS = {
    workflow.SAVE: gettext_lazy("保存草稿"), workflow.SUBMIT: gettext_lazy("提交审核"), workflow.APPROVE: gettext_lazy("审核通过"),
}


def values_written_now(indicator_ids) -> None:
    """Renew the indicators' change stamps in this transaction; after it commits, tell reports."""
    ids = set(indicator_ids)
    if not ids:
        return
    indicators_changed(ids)
    transaction.on_commit(lambda: values_written.send(sender=IndicatorValue, indicator_ids=ids))


def roles_for(user, organization_id) -> set[str]:
    """The workflow roles (workflow.OFFICIAL, REVIEWER, ADMIN) the user has for the organization's
    records; the system (a command without --user, user None) has them all."""
    if user is None:
        return {workflow.OFFICIAL, workflow.REVIEWER, workflow.ADMIN}
    roles = {workflow.ADMIN} if permissions.is_admin(user) else set()
    if permissions.can_enter(user, organization_id):
        roles.add(workflow.OFFICIAL)
    if permissions.can_review(user, organization_id):
        roles.add(workflow.REVIEWER)
    return roles


def may(user, organization_id, step: str, state) -> bool:
    """Whether the transition table lets the user take the step from the state."""
    found = workflow.transition(step, state)
    actors = set(found.actors) if found else {a for t in workflow.TRANSITIONS if t.step == step for a in t.actors}
    return bool(actors & roles_for(user, organization_id))


def check_version(record, expected_version, your_value, kind) -> None:
    """Optimistic locking: refuse a write from a page that saw another version of the record."""
    if expected_version is not None and record.version != expected_version:
        raise stale_error(record, your_value, kind.shown(record))


def stale_error(record, your_value, current_value) -> StaleValueError:
    who, when = last_change(record)
    return StaleValueError(current_value, your_value, who, when, current_version=record.version)


def check_state(kind, record, step: str, asked=None) -> str:
    """The state after the step, from the transition table; InvalidStateError when it may not start here."""
    target = workflow.next_state(step, record.state if record.pk else workflow.NEW, asked or workflow.DRAFT)
    if target is None:
        message = kind.refused_state(step)
        raise InvalidStateError(f"{message}（{_('当前状态')}：{record.get_state_display()}）")
    return target


def check_four_eyes(kind, user, record, step: str, target: str | None, *, entering: bool = False) -> bool:
    """Refuse a review (approve, return, or a load or correction ending approved) of a record the user
    entered or submitted, unless self-review is allowed; whether it is a self-review (recorded)."""
    if not workflow.is_review(step, target):
        return False
    if entering:  # entering the record in this very write makes the user its author: no history needed
        authors = {user.pk} if user is not None else set()
    else:
        authors = access.review_authors([record]).get(record.pk, ())
    verdict = access.four_eyes(user, step, target, authors)
    if verdict == workflow.SELF_REVIEW_REFUSED:
        raise SelfReviewError(kind.self_review())
    return verdict == workflow.SELF_REVIEW


def review_reason(reason: str, self_review: bool) -> str:
    """The history reason of a step; a self-review says so, however long the reason (the mark survives
    the history column's limit)."""
    if not self_review:
        return reason
    mark = _("（本人审核）")
    return reason[: HISTORY_REASON_LENGTH - len(mark)] + mark


def stamp(
    record, step: str, target: str, user, now, *, entered: bool, return_reason: str = "",
    self_review: bool = False,
) -> None:
    """Who did the step and when, the new state and the version."""
    if entered:
        record.entered_by, record.entered_at = user, now
    if target in (workflow.SUBMITTED, workflow.APPROVED) and step != workflow.APPROVE:
        record.submitted_by, record.submitted_at = user, now
    if target == workflow.APPROVED:
        record.reviewed_by, record.reviewed_at, record.return_reason = user, now, ""
    if step == workflow.RETURN:
        record.reviewed_by, record.reviewed_at, record.return_reason = user, now, return_reason
    if workflow.is_review(step, target):
        record.self_reviewed = self_review
    record.state = target
    record.version = (record.version or 0) + 1 if record.pk else 1


@transaction.atomic
def take_step(kind, user, record, step: str, *, expected_version=None, return_reason: str = ""):
    """One record's workflow step (submit, approve, return), from its plan-year lock to its history."""
    owner = kind.owner(record)
    lock_year_for_write(owner.plan_id, record.year)
    locked = kind.model.objects.select_for_update().get(pk=record.pk)
    setattr(locked, kind.owner_name, owner)
    check_version(locked, expected_version, kind.shown(record), kind)
    require(may(user, owner.organization_id, step, locked.state), kind.permission(step))
    target = check_state(kind, locked, step)
    self_review = check_four_eyes(kind, user, locked, step, target)
    problems = kind.problems(locked) if kind.problems and step == workflow.SUBMIT else []
    if problems:
        raise InvalidValueError(problems)
    now = timezone.now()
    stamp(locked, step, target, user, now, entered=False, return_reason=return_reason, self_review=self_review)
    reason = str(STEP_REASONS.get(step) or _("退回：%(reason)s") % {"reason": return_reason})
    save_with_history(locked, user, review_reason(reason, self_review))
    if kind.written:
        kind.written([locked])
    return locked
