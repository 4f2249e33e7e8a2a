"""The review workflow of monitoring records (indicator values and key-project progress) as one
table: which step takes a record from which state to which, and who may take it.

Pure: no Django, no database. The services look a step up here before they write anything.
"""
from dataclasses import dataclass

DRAFT, SUBMITTED, RETURNED, APPROVED = "draft", "submitted", "returned", "approved"
NEW = None  # no record yet
EDITABLE = (DRAFT, RETURNED)
ANY = (NEW, DRAFT, SUBMITTED, RETURNED, APPROVED)

# Who takes a step: the official of the record's organization (填报员), its reviewer (审核员), or an
# admin (管理员, or the system when a command loads data without a user).
OFFICIAL, REVIEWER, ADMIN = "official", "reviewer", "admin"

SAVE, SUBMIT, APPROVE, RETURN, LOAD, CORRECT = "save", "submit", "approve", "return", "load", "correct"


@dataclass(frozen=True)
class Transition:
    step: str
    sources: tuple  # the states the step may start from (NEW: the record does not exist yet)
    target: str | None  # None: the state stays as it was
    actors: tuple


TRANSITIONS = (
    Transition(SAVE, (NEW, DRAFT), DRAFT, (OFFICIAL,)),
    # A returned record edited but not resubmitted stays returned: its reason stays visible.
    Transition(SAVE, (RETURNED,), None, (OFFICIAL,)),
    Transition(SUBMIT, (NEW, DRAFT, RETURNED), SUBMITTED, (OFFICIAL,)),
    Transition(APPROVE, (SUBMITTED,), APPROVED, (REVIEWER,)),
    Transition(RETURN, (SUBMITTED,), RETURNED, (REVIEWER,)),
    # Loading published historical data (import_values --state approved).
    Transition(LOAD, (NEW, DRAFT, RETURNED), APPROVED, (REVIEWER, ADMIN)),
    # Admins and the loading command may correct a record in any state; the target is the one asked for.
    Transition(CORRECT, ANY, None, (ADMIN,)),
)


def transition(step: str, state: str | None) -> Transition | None:
    """The transition that `step` takes from `state`, or None when the step may not start there."""
    for candidate in TRANSITIONS:
        if candidate.step == step and state in candidate.sources:
            return candidate
    return None


def next_state(step: str, state: str | None, asked: str = DRAFT) -> str | None:
    """The state a record is in after the step; None when the step may not start from `state`.

    `asked` is the state a correction asks for (the other steps know their target)."""
    found = transition(step, state)
    if found is None:
        return None
    if found.target is not None:
        return found.target
    return asked if step == CORRECT else state


WRITE_STEPS = {DRAFT: SAVE, SUBMITTED: SUBMIT, APPROVED: LOAD}


# Four eyes: nobody approves or returns a record they entered or submitted. A one-person office may
# allow it (settings.GUIHUA_ALLOW_SELF_REVIEW); such a review is recorded as a self-review.
FOUR_EYES, SELF_REVIEW, SELF_REVIEW_REFUSED = "four_eyes", "self_review", "self_review_refused"
REVIEWED = (APPROVED, RETURNED)


def is_review(step: str, target: str | None) -> bool:
    """Does the step decide on a record: approve or return it (a load or correction ending approved
    or returned decides too; a save of a returned record stays returned without deciding anything)."""
    return step in (APPROVE, RETURN) or (step in (LOAD, CORRECT) and target in REVIEWED)


def review_kind(step: str, target: str | None, reviewer, authors, *, self_review_allowed: bool) -> str | None:
    """None when the step is no review; otherwise FOUR_EYES (another person's record, or the system
    loading data: reviewer None), SELF_REVIEW (the reviewer is one of its `authors`, allowed) or
    SELF_REVIEW_REFUSED."""
    if not is_review(step, target):
        return None
    if reviewer is None or reviewer not in set(authors):
        return FOUR_EYES
    return SELF_REVIEW if self_review_allowed else SELF_REVIEW_REFUSED


def step_for_write(asked: str, state: str | None, *, is_admin: bool) -> str:
    """The step a bulk write (entry page, import) takes to bring a record to the asked state.

    An admin writing a record no longer editable (or to a state no write step reaches) corrects it."""
    if is_admin and (state not in (NEW, *EDITABLE) or asked not in WRITE_STEPS):
        return CORRECT
    return WRITE_STEPS.get(asked, SAVE)
