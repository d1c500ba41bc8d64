"""Customer lookups the public forms make on every request."""

import pytest
from django.db import connection

from customers.models import Customer
from tests.markers import requires_postgres

from ..factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_with_email_ignores_case_and_spaces_and_never_matches_no_address():
    alice = CustomerFactory(email="Alice@Example.com")
    CustomerFactory(email="")

    assert list(Customer.objects.with_email("  alice@EXAMPLE.com ")) == [alice]
    assert not Customer.objects.with_email("bob@example.com").exists()
    assert not Customer.objects.with_email("").exists()


@requires_postgres("the plan of the email lookup")
def test_with_email_is_served_by_the_unique_email_index():
    CustomerFactory.create_batch(3)

    with connection.cursor() as cursor:
        # A tiny table is cheapest to read whole; this asks whether the index
        # can serve the lookup at all, as it must at 250,000 customers.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = Customer.objects.with_email("alice@example.com").explain()

    assert "customer_email_unique_ci" in plan
