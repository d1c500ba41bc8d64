"""One small factory per model, defaults only. Tickets are made by the real
service (`make_ticket`), so they have a number, a first message and history."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from customers.models import Customer, ServiceTier
from helpdesk.channels import Channel
from tickets import services
from tickets.models import Category, Queue, Ticket


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("pw-for-tests-1")


def make_staff(username: str, group: str, **fields):
    user = UserFactory(username=username, **fields)
    user.groups.add(Group.objects.get(name=group))
    return user


class QueueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Queue
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Queue {n}")
    slug = factory.Sequence(lambda n: f"queue-{n}")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    name = factory.Sequence(lambda n: f"Customer {n}")
    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    tier = factory.LazyFunction(lambda: ServiceTier.objects.get(code="standard"))


def make_ticket(customer: Customer, queue: Queue, **fields) -> Ticket:
    defaults = {
        "subject": "Where is my order?",
        "body_text": "It has not arrived yet.",
        "channel": Channel.EMAIL,
    }
    return services.open_ticket(customer=customer, queue=queue, **(defaults | fields))
