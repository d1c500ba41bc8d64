"""Hooks for the apps above the ticket core."""

from django.dispatch import Signal

# An agent logged a contact (a call, a visit, a letter, a fax) as `message` on
# `ticket`, inside the transaction that stored it; sent with `received_at`
# (when it arrived: the received stamp of a letter) and `by`. The records
# office's register listens. A receiver may return a line to show the agent.
contact_logged = Signal()
