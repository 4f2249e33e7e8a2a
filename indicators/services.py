"""Writes to indicators that touch more than one row."""
import uuid
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.permissions import require_plan_region

from .models import Indicator, TargetRevision
from .targets import TargetKind, parse_target

HISTORY_REASON_LENGTH = 100  # simple-history's history_change_reason is a CharField(100)


def indicators_changed(indicator_ids: Iterable[int]) -> None:
    """Give the indicators a new change stamp: their values changed, so whatever was derived from
    them (the stored assessments of reports) is out of date. Call it in the writing transaction."""
    ids = sorted(set(indicator_ids))
    for start in range(0, len(ids), 5000):
        rows = Indicator.objects.filter(pk__in=ids[start : start + 5000])
        list(rows.select_for_update().order_by("pk").values_list("pk"))  # lock in one order: no deadlock
        rows.update(change_stamp=uuid.uuid4())


@transaction.atomic
def target_revise(
    user,
    indicator: Indicator,
    *,
    target_text: str,
    baseline_value: Decimal | None,
    document: str,
    revised_on: date,
    reason: str,
) -> TargetRevision:
    """Adjust an indicator's target and/or baseline mid-plan (规划调整).

    The revision row keeps the old and new values, and the indicator's history records the change
    with the document as its reason, so the original target stays known. Only planners of the
    plan's region (and superusers) revise (PermissionDenied otherwise).
    """
    require_plan_region(user, indicator.plan)
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if not indicator.history.exists():
        # Published by a bulk insert, which leaves no history: record the state before the
        # revision, so the change log reads "2 → 2.1" rather than "— → 2.1".
        Indicator.history.bulk_history_create([indicator], default_change_reason=_("调整前的目标与基期"))
    target = parse_target(target_text, unit=indicator.unit, direction=indicator.direction)
    if target.kind in (TargetKind.QUALITATIVE, TargetKind.RELATIVE) and indicator.target.is_quantitative:
        raise ValidationError({"target_text": _("无法识别新目标中的数值：%(text)s") % {"text": target_text}})
    revision = TargetRevision.objects.create(
        indicator=indicator,
        document=document,
        revised_on=revised_on,
        reason=reason,
        old_target_text=indicator.target_text,
        new_target_text=target_text,
        old_baseline_value=indicator.baseline_value,
        new_baseline_value=baseline_value,
        created_by=user,
    )
    indicator.set_target(target)
    indicator.target_text = target_text
    indicator.baseline_value = baseline_value
    indicator._change_reason = (_("规划调整：%(document)s") % {"document": document})[:HISTORY_REASON_LENGTH]
    indicator.renew_stamp()
    indicator.save()
    return revision
