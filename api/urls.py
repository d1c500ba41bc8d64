"""/api/v1/: the REST API for integrations."""

from django.urls import path, register_converter

from .views import (
    attachments,
    canned,
    customers,
    directory,
    figures,
    merge,
    service_levels,
    tickets,
)


class AnyId:
    """An id in the path: anything that is not one (a word, a number beyond
    the database's integers) is answered as this API answers a missing
    object, a JSON 404, not by the site's HTML page."""

    regex = "[^/]+"

    def to_python(self, value: str) -> int:
        number = int(value) if value.isascii() and value.isdigit() else 0
        # 0: no row has it.
        return number if number < 2**63 else 0

    def to_url(self, value) -> str:
        return str(value)


register_converter(AnyId, "id")

app_name = "api"

urlpatterns = [
    path("queues/", directory.QueueList.as_view(), name="queue-list"),
    path("categories/", directory.CategoryList.as_view(), name="category-list"),
    path("customers/", customers.CustomerList.as_view(), name="customer-list"),
    path(
        "customers/<id:pk>/",
        customers.CustomerDetail.as_view(),
        name="customer-detail",
    ),
    path(
        "canned-responses/",
        canned.CannedResponseList.as_view(),
        name="canned-response-list",
    ),
    path("figures/", figures.Figures.as_view(), name="figures"),
    path(
        "attachments/<id:pk>/",
        attachments.AttachmentDownload.as_view(),
        name="attachment-download",
    ),
    path("tickets/", tickets.TicketList.as_view(), name="ticket-list"),
    path("tickets/<str:number>/", tickets.TicketDetail.as_view(), name="ticket-detail"),
    path(
        "tickets/<str:number>/messages/",
        tickets.TicketMessages.as_view(),
        name="ticket-messages",
    ),
    path(
        "tickets/<str:number>/events/",
        tickets.TicketEvents.as_view(),
        name="ticket-events",
    ),
    path(
        "tickets/<str:number>/replies/",
        tickets.TicketReply.as_view(),
        name="ticket-reply",
    ),
    path(
        "tickets/<str:number>/notes/", tickets.TicketNote.as_view(), name="ticket-note"
    ),
    path(
        "tickets/<str:number>/contacts/",
        tickets.TicketContact.as_view(),
        name="ticket-contact",
    ),
    path(
        "tickets/<str:number>/merge/",
        merge.TicketMerge.as_view(),
        name="ticket-merge",
    ),
    path(
        "tickets/<str:number>/attachments/",
        attachments.TicketAttachments.as_view(),
        name="ticket-attachments",
    ),
    path(
        "tickets/<str:number>/canned-responses/",
        canned.TicketCannedResponses.as_view(),
        name="ticket-canned-responses",
    ),
    path(
        "tickets/<str:number>/sla/",
        service_levels.TicketServiceLevels.as_view(),
        name="ticket-sla",
    ),
]
