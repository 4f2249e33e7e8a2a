"""What reports does when other apps tell it something changed (connected in ``apps.py``)."""

from .services import assessments_refresh


def values_written_refresh(sender, indicator_ids, **kwargs) -> None:
    """Values of these indicators were written (and committed): store their assessments anew."""
    if indicator_ids:
        assessments_refresh(indicator_ids=indicator_ids)
