from django.apps import AppConfig, apps
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from helpdesk.reference import forget_on_change


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = _("Tickets")

    def ready(self):
        # The reference data of tickets.reference is forgotten as soon as one
        # of its rows changes.
        queue = self.get_model("Queue")
        user = apps.get_model(settings.AUTH_USER_MODEL)
        forget_on_change(("queues", "default-queue"), queue)
        forget_on_change(("categories",), self.get_model("Category"))
        forget_on_change(("root-causes",), self.get_model("RootCause"))
        forget_on_change(("canned-responses",), self.get_model("CannedResponse"))
        forget_on_change(
            ("agents", "members"),
            queue,
            user,
            apps.get_model("auth", "Group"),
            user.groups.through,
            queue.agents.through,
            queue.supervisors.through,
        )
