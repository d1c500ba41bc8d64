"""Who may do what: the one place every view and API endpoint asks.

Customers see only their own tickets; agents the tickets of their queues;
supervisors their queues and the dashboards; administrators everything.

Each rule has one home:
- who is staff: `is_agent(user)`, `is_supervisor(user)` (`helpdesk.roles`,
  re-exported here for the ticket views); which accounts are integrations,
  `is_integration(user)`, and who reads internal notes,
  `sees_internal_notes(user)` (never a customer-facing integration);
- the superuser rule: `works_every_queue(user)`;
- which queues a user works: `Queue.objects.worked_by(user)`, and which
  queues' figures a supervisor sees: `Queue.objects.supervised_by(user)`;
- who may be assigned a queue's tickets: `queue.assignable_agents()` and
  `queue.may_be_assigned(user)`, the same rule read from the queue's side
  (anyone who works the queue);
- which tickets a user sees: `Ticket.objects.visible_to(user)`.
"""

from helpdesk.roles import (
    AGENTS,
    CUSTOMER_FACING,
    INTEGRATIONS,
    SUPERVISORS,
    IsAgent,
    SeesInternalNotes,
    agent_required,
    is_agent,
    is_integration,
    is_supervisor,
    sees_internal_notes,
    supervisor_required,
    works_every_queue,
)

__all__ = [
    "AGENTS",
    "CUSTOMER_FACING",
    "INTEGRATIONS",
    "SUPERVISORS",
    "IsAgent",
    "SeesInternalNotes",
    "agent_required",
    "is_agent",
    "is_integration",
    "is_supervisor",
    "sees_internal_notes",
    "supervisor_required",
    "works_every_queue",
]
