"""The Celery app, configured from Django settings (CELERY_ namespace)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

app = Celery("helpdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

if app.conf.broker_url.startswith("filesystem"):
    # The embedded broker keeps its queue in folders that must exist first.
    for folder in ("data_folder_in", "processed_folder"):
        os.makedirs(app.conf.broker_transport_options[folder], exist_ok=True)
