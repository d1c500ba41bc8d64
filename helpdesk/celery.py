"""The Celery app, configured from Django settings (CELERY_ namespace)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

app = Celery("helpdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def create_broker_folders(sender, **kwargs):
    """The embedded filesystem broker keeps its queue in folders that must exist."""
    if sender.conf.broker_url.startswith("filesystem"):
        options = sender.conf.broker_transport_options
        for folder in ("data_folder_in", "processed_folder", "control_folder"):
            os.makedirs(options[folder], exist_ok=True)
