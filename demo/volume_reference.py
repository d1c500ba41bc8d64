"""The rows generated tickets point at: queues, categories, agents, tiers."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from customers.models import ServiceTier
from tickets.models import Category, Queue
from tickets.permissions import AGENTS, SUPERVISORS

VOLUME_AGENTS = 4
VOLUME_SUPERVISORS = 2
DEFAULT_QUEUES = [
    ("General support", "الدعم العام", "general"),
    ("Billing", "الفواتير", "billing"),
    ("Technical support", "الدعم الفني", "technical"),
    ("Complaints", "الشكاوى", "complaints"),
]
DEFAULT_CATEGORIES = [
    ("Billing", "الفواتير", "billing"),
    ("Orders and delivery", "الطلبات والتوصيل", "orders"),
    ("Accounts", "الحسابات", "accounts"),
    ("Product support", "دعم المنتج", "product"),
    ("Staff services", "خدمات الموظفين", "staff"),
]


@dataclass
class Reference:
    """Existing rows the generated tickets point at."""

    queue_ids: list[int]
    category_ids: list[int]
    agent_ids: list[int]
    vip_tier_id: int
    standard_tier_id: int


def prepare_reference() -> Reference:
    """Reuse queues, categories and agents, creating a few when there are none."""
    if not Queue.objects.exists():
        for name, name_ar, slug in DEFAULT_QUEUES:
            # Breached complaints go to a supervisor, as SPEC suggests.
            Queue.objects.create(
                name=name,
                name_ar=name_ar,
                slug=slug,
                escalate_to_supervisor=slug == "complaints",
            )
    if not Category.objects.exists():
        for name, name_ar, slug in DEFAULT_CATEGORIES:
            Category.objects.create(name=name, name_ar=name_ar, slug=slug)
    queues = list(Queue.objects.all())
    agents_group, _ = Group.objects.get_or_create(name=AGENTS)
    agent_ids = list(
        get_user_model()
        .objects.filter(groups=agents_group, is_active=True)
        .values_list("pk", flat=True)
    )
    if not agent_ids:
        agent_ids = [
            _create_volume_agent(n, agents_group, queues)
            for n in range(1, VOLUME_AGENTS + 1)
        ]
    ensure_supervisors(queues)
    tiers = dict(ServiceTier.objects.values_list("code", "pk"))
    return Reference(
        queue_ids=[queue.pk for queue in queues],
        category_ids=list(
            Category.objects.filter(is_active=True).values_list("pk", flat=True)
        ),
        agent_ids=sorted(agent_ids),
        vip_tier_id=tiers[ServiceTier.VIP],
        standard_tier_id=tiers[ServiceTier.STANDARD],
    )


def ensure_supervisors(queues: Sequence[Queue]) -> None:
    """Give every queue two supervisors when none has any: the SLA sweep
    notifies them of breaches, so the bench should see that work."""
    if not queues or Queue.supervisors.through.objects.exists():
        return
    group, _ = Group.objects.get_or_create(name=SUPERVISORS)
    for n in range(1, VOLUME_SUPERVISORS + 1):
        user, created = get_user_model().objects.get_or_create(
            username=f"volume-supervisor-{n}",
            defaults={"first_name": "Volume", "last_name": f"Supervisor {n}"},
        )
        if created:
            user.set_unusable_password()
            user.save()
        user.groups.add(group)
        for queue in queues:
            queue.supervisors.add(user)


def _create_volume_agent(n: int, group: Group, queues: Sequence[Queue]) -> int:
    """An agent in every queue, with no password: tickets need assignees."""
    user = get_user_model().objects.create_user(
        username=f"volume-agent-{n}", first_name="Volume", last_name=f"Agent {n}"
    )
    user.groups.add(group)
    for queue in queues:
        queue.agents.add(user)
    return user.pk
