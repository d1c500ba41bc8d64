"""When a failed delivery is tried again: doubling, capped, jittered."""

import pytest

from webhooks.retries import MAX_ATTEMPTS, gives_up, retry_delay


@pytest.mark.parametrize(
    ("attempt", "longest"),
    [(1, 30), (2, 60), (3, 120), (4, 240), (7, 1920), (8, 3600), (9, 3600)],
)
def test_the_delay_doubles_up_to_an_hour_and_jitter_keeps_at_least_half(
    attempt, longest
):
    assert retry_delay(attempt, random=lambda: 0.0) == longest / 2
    assert retry_delay(attempt, random=lambda: 1.0) == longest
    assert longest / 2 <= retry_delay(attempt) <= longest


def test_a_delivery_is_given_up_after_its_last_attempt():
    assert not gives_up(MAX_ATTEMPTS - 1)
    assert gives_up(MAX_ATTEMPTS)
