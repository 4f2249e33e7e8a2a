"""Four eyes (issue 14 §2): nobody approves or returns a value or key-project progress record they
entered or submitted. The persona: 王敏, 填报员 and 审核员 of 蓟州区科技局 at once; the world's
reviewer is another person of the same organization. A one-person office may allow self-review
(GUIHUA_ALLOW_SELF_REVIEW), and then every such review is recorded as one."""
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.choices import Role
from projects import services, workflow
from projects.choices import ProgressStatus, State, Vintage
from projects.models import IndicatorValue

from .factories import make_user

pytestmark = pytest.mark.django_db
REFUSAL = "不能由你本人审核通过或退回（四眼原则）"


@pytest.fixture
def wang(world):
    """填报员 and 审核员 of the world's organization."""
    return make_user("wangmin", world.org, Role.OFFICIAL, Role.REVIEWER)


def _submitted_value(world, user, value="1.8"):
    saved = services.value_save(
        user, world.share, world.year, value=Decimal(value), source="统计年鉴", vintage=Vintage.PRELIMINARY,
        expected_version=0,
    )
    return services.value_submit(user, saved, expected_version=saved.version)


def _submitted_progress(world, user):
    saved = services.progress_save(
        user, world.project, world.year, status=ProgressStatus.IN_PROGRESS, narrative="主体完工", expected_version=0
    )
    return services.progress_submit(user, saved, expected_version=saved.version)


def _stored(record):
    return type(record).objects.get(pk=record.pk)


# The pure rule -----------------------------------------------------------------------------------


def test_it_tells_a_review_of_ones_own_record_from_anothers():
    def kind(step, target, reviewer, authors, allowed=False):
        return workflow.review_kind(step, target, reviewer, authors, self_review_allowed=allowed)

    assert kind(workflow.APPROVE, workflow.APPROVED, 7, {7, 8}) == workflow.SELF_REVIEW_REFUSED
    assert kind(workflow.RETURN, workflow.RETURNED, 7, {7}, allowed=True) == workflow.SELF_REVIEW
    assert kind(workflow.APPROVE, workflow.APPROVED, 9, {7, 8}) == workflow.FOUR_EYES
    assert kind(workflow.LOAD, workflow.APPROVED, None, {7}) == workflow.FOUR_EYES  # the system loading data
    assert kind(workflow.LOAD, workflow.APPROVED, 7, {7}) == workflow.SELF_REVIEW_REFUSED
    assert kind(workflow.CORRECT, workflow.SUBMITTED, 7, {7}) is None  # a correction sent back to review
    assert kind(workflow.SAVE, workflow.RETURNED, 7, {7}) is None  # editing a returned value decides nothing
    assert kind(workflow.SUBMIT, workflow.SUBMITTED, 7, {7}) is None


# The services -------------------------------------------------------------------------------------


@pytest.mark.parametrize("step", ["approve", "return"])
def test_it_refuses_wang_reviewing_the_value_he_entered_and_writes_nothing(world, wang, step):
    value = _submitted_value(world, wang)
    with pytest.raises(services.SelfReviewError, match=REFUSAL):
        if step == "approve":
            services.value_approve(wang, value, expected_version=value.version)
        else:
            services.value_return(wang, value, "来源不明", expected_version=value.version)
    stored = _stored(value)
    assert (stored.state, stored.reviewed_by, stored.version) == (State.SUBMITTED, None, value.version)
    assert stored.history.count() == 2  # created, submitted: nothing of the refused review


def test_it_lets_another_reviewer_approve_what_wang_entered(world, wang):
    value = _submitted_value(world, wang)
    services.value_approve(world.reviewer, value, expected_version=value.version)
    stored = _stored(value)
    assert (stored.state, stored.entered_by, stored.reviewed_by, stored.self_reviewed) == (
        State.APPROVED, wang, world.reviewer, False,
    )


def test_it_refuses_wang_approving_what_he_only_submitted(world, wang):
    saved = services.value_save(
        world.official, world.share, world.year, value=Decimal("1.8"), expected_version=0
    )
    value = services.value_submit(wang, saved, expected_version=saved.version)
    with pytest.raises(services.SelfReviewError):
        services.value_approve(wang, value, expected_version=value.version)


def test_it_remembers_an_earlier_entry_of_the_same_round_from_the_history(world, wang):
    """Wang typed the first figure, the official corrected and submitted it: still Wang's work."""
    first = services.value_save(wang, world.share, world.year, value=Decimal("1.7"), expected_version=0)
    corrected = services.value_save(
        world.official, world.share, world.year, value=Decimal("1.8"), expected_version=first.version
    )
    value = services.value_submit(world.official, corrected, expected_version=corrected.version)
    assert (value.entered_by, value.submitted_by) == (world.official, world.official)
    with pytest.raises(services.SelfReviewError):
        services.value_approve(wang, value, expected_version=value.version)


def test_it_does_not_hold_an_earlier_review_against_the_reviewer(world, wang):
    """Wang returned the official's value; the official corrected and resubmitted; Wang may approve."""
    value = _submitted_value(world, world.official)
    value = services.value_return(wang, value, "请核对", expected_version=value.version)
    value = services.value_save(
        world.official, world.share, world.year, value=Decimal("1.85"), expected_version=value.version
    )
    value = services.value_submit(world.official, value, expected_version=value.version)
    services.value_approve(wang, value, expected_version=value.version)
    assert _stored(value).state == State.APPROVED


def test_it_refuses_wang_approving_his_own_progress(world, wang):
    progress = _submitted_progress(world, wang)
    with pytest.raises(services.SelfReviewError, match="这条进展由你填报或提交"):
        services.progress_approve(wang, progress, expected_version=progress.version)
    assert _stored(progress).state == State.SUBMITTED
    services.progress_return(world.reviewer, progress, "请补充投资", expected_version=progress.version)
    assert (_stored(progress).state, _stored(progress).reviewed_by) == (State.RETURNED, world.reviewer)


def test_it_approves_the_others_and_names_the_own_one_in_a_bulk_review(world, wang):
    own = _submitted_value(world, wang)
    saved = services.value_save(world.official, world.count, world.year, value=Decimal("120"), expected_version=0)
    other = services.value_submit(world.official, saved, expected_version=saved.version)
    approved, errors = services.approve_selected(wang, [(own, own.version), (other, other.version)], [])
    assert approved == 1 and len(errors) == 1 and REFUSAL in errors[0] and str(own) in errors[0]
    assert (_stored(own).state, _stored(other).state) == (State.SUBMITTED, State.APPROVED)


def test_it_refuses_loading_approved_values_as_ones_own_review(world):
    """Loading a value as approved enters and approves it at once: the reviewer is its author."""
    change = services.ValueChange(world.share, world.year, Decimal("1.8"), "统计年鉴")
    with pytest.raises(services.BatchError) as refused:
        services.values_write(world.reviewer, [change], state=State.APPROVED)
    assert REFUSAL in str(next(iter(refused.value.errors.values())))
    assert not IndicatorValue.objects.exists()


def test_it_lets_the_system_load_published_values_as_approved(world):
    """A system actor (``system:NAME``, a command's --user) is no person: four eyes does not bind it."""
    system = make_user("system:seed", is_superuser=True, is_active=False)
    for year, user in ((2022, None), (2023, system)):
        change = services.ValueChange(world.share, year, Decimal("1.8"), "统计年鉴")
        record = services.values_write(user, [change], state=State.APPROVED).records[0]
        assert (_stored(record).state, _stored(record).reviewed_by, _stored(record).self_reviewed) == (
            State.APPROVED, user, False,
        )


def test_it_records_a_self_review_of_a_one_person_office(world, wang, settings):
    settings.GUIHUA_ALLOW_SELF_REVIEW = True
    value = _submitted_value(world, wang)
    services.value_approve(wang, value, expected_version=value.version)
    stored = _stored(value)
    assert (stored.state, stored.reviewed_by, stored.self_reviewed) == (State.APPROVED, wang, True)
    assert stored.history.first().history_change_reason == "审核通过（本人审核）"
    progress = _submitted_progress(world, wang)
    services.progress_return(wang, progress, "请补充" * 40, expected_version=progress.version)
    reason = _stored(progress).history.first().history_change_reason
    assert _stored(progress).self_reviewed and reason.endswith("（本人审核）") and len(reason) <= 100


def test_it_clears_the_self_review_mark_when_another_reviewer_decides_next(world, wang, settings):
    settings.GUIHUA_ALLOW_SELF_REVIEW = True
    value = _submitted_value(world, wang)
    value = services.value_return(wang, value, "自查有误", expected_version=value.version)
    assert value.self_reviewed
    value = services.value_submit(wang, value, expected_version=value.version)
    settings.GUIHUA_ALLOW_SELF_REVIEW = False
    services.value_approve(world.reviewer, value, expected_version=value.version)
    assert (_stored(value).state, _stored(value).self_reviewed) == (State.APPROVED, False)


# The review page ----------------------------------------------------------------------------------


def test_it_hides_the_buttons_of_wangs_own_records_and_says_why(client, world, wang):
    own = _submitted_value(world, wang)
    progress = _submitted_progress(world, wang)
    saved = services.value_save(world.official, world.count, world.year, value=Decimal("120"), expected_version=0)
    other = services.value_submit(world.official, saved, expected_version=saved.version)
    client.force_login(wang)
    page = client.get(reverse("projects:review_queue")).content.decode()
    own_row = page.split(f'id="value-{own.pk}"')[1].split("</tr>")[0]
    other_row = page.split(f'id="value-{other.pk}"')[1].split("</tr>")[0]
    assert "须由本单位另一位审核员审核（四眼原则）" in own_row
    assert reverse("projects:value_approve", args=[own.pk]) not in own_row and 'name="values"' not in own_row
    assert reverse("projects:value_approve", args=[other.pk]) in other_row and 'name="values"' in other_row
    progress_row = page.split(f'id="progress-{progress.pk}"')[1].split("</tr>")[0]
    assert "须由本单位另一位审核员审核（四眼原则）" in progress_row
    assert reverse("projects:progress_approve", args=[progress.pk]) not in progress_row


def test_it_tells_wang_why_when_he_posts_an_approval_anyway(client, world, wang):
    own = _submitted_value(world, wang)
    client.force_login(wang)
    response = client.post(reverse("projects:value_approve", args=[own.pk]), {"version": own.version})
    assert response.status_code == 302
    assert any(REFUSAL in str(m) for m in get_messages(response.wsgi_request))
    assert _stored(own).state == State.SUBMITTED
    response = client.post(reverse("projects:review_queue"), {"values": [own.pk], f"version-v{own.pk}": own.version})
    assert response.status_code == 302 and _stored(own).state == State.SUBMITTED
    assert any(REFUSAL in str(m) for m in get_messages(response.wsgi_request))


def test_it_shows_a_self_review_as_such_when_it_is_allowed(client, world, wang, settings):
    settings.GUIHUA_ALLOW_SELF_REVIEW = True
    own = _submitted_value(world, wang)
    client.force_login(wang)
    page = client.get(reverse("projects:review_queue")).content.decode()
    own_row = page.split(f'id="value-{own.pk}"')[1].split("</tr>")[0]
    assert "审核将记为“本人审核”" in own_row and reverse("projects:value_approve", args=[own.pk]) in own_row
    client.post(reverse("projects:value_approve", args=[own.pk]), {"version": own.version})
    entry = client.get(reverse("projects:value_entry", args=[world.plan.code, world.year, world.org.pk]))
    assert "本人审核" in entry.content.decode()
    history = client.get(reverse("indicators:indicator_detail", args=[world.share.pk])).content.decode()
    assert "审核通过（本人审核）" in history


def test_it_lets_a_reviewer_who_is_not_an_official_review_as_before(client, world):
    value = _submitted_value(world, world.official)
    client.force_login(world.reviewer)
    page = client.get(reverse("projects:review_queue")).content.decode()
    assert reverse("projects:value_approve", args=[value.pk]) in page and "四眼原则：" in page
    assert "须由本单位另一位审核员审核（四眼原则）" not in page
