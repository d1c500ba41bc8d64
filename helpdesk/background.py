"""Starting background work from a request without letting a broker outage
fail it. Whatever is started this way is also picked up by a beat entry, so a
message the broker never took is only late, never lost."""

import logging

from celery import Task, current_app

log = logging.getLogger(__name__)


def start(task: Task | str, *args) -> None:
    """`task.delay(*args)`, logging instead of raising when the broker is
    down: the change that asked for it has been committed already.

    `task` may be a registered task's name, as the beat schedule names them,
    for modules that the tasks themselves import."""
    if isinstance(task, str):
        if task not in current_app.tasks:
            # A web process has not imported the tasks modules yet: Celery's
            # own autodiscovery does, once.
            current_app.loader.import_default_modules()
        task = current_app.tasks[task]
    try:
        task.delay(*args)
    except Exception as error:  # noqa: BLE001 - any broker failure: the beat runs it
        log.warning(
            "Could not start %s (%r); the beat runs it later.", task.name, error
        )
