"""Who may do what: the one place every view and API endpoint asks.

Customers see only their own tickets; agents the tickets of their queues;
supervisors their queues and the dashboards; administrators everything.
Ticket visibility itself is `Ticket.objects.visible_to(user)`; the roles are
`helpdesk.roles`, re-exported here for the ticket views.
"""

from helpdesk.roles import (
    AGENTS,
    SUPERVISORS,
    IsAgent,
    agent_required,
    is_agent,
    is_supervisor,
    supervisor_required,
)

__all__ = [
    "AGENTS",
    "SUPERVISORS",
    "IsAgent",
    "agent_required",
    "is_agent",
    "is_supervisor",
    "supervisor_required",
]
