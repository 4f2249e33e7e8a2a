"""Signals the monitoring write path sends; reports listens to refresh its stored assessments."""
from django.dispatch import Signal

# Sent after the transaction that wrote values commits, with indicator_ids: a set of Indicator pks.
values_written = Signal()
