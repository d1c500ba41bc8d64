"""Many connections asking for numbers at once, for the counters' tests."""

import threading
from collections.abc import Callable, Iterable

from django.db import connections, transaction


def reserve_concurrently(
    reserve: Callable[[], int | Iterable[int]], *, threads: int = 8, each: int = 25
) -> list[int]:
    """Call `reserve` `each` times in each of `threads` threads, every call
    in its own transaction on the thread's own connection, and return every
    number handed out; an error in any thread fails the caller's test."""
    numbers: list[int] = []
    errors: list[Exception] = []

    def reserve_many():
        try:
            for _ in range(each):
                with transaction.atomic():
                    got = reserve()
                    numbers.extend(got if isinstance(got, Iterable) else [got])
        except Exception as error:  # noqa: BLE001 - reported by the assertion
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=reserve_many) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    return numbers
