"""/api/v1/: the REST API for integrations."""

from django.urls import path

from .views import directory, tickets

app_name = "api"

urlpatterns = [
    path("queues/", directory.QueueList.as_view(), name="queue-list"),
    path("categories/", directory.CategoryList.as_view(), name="category-list"),
    path("customers/", directory.CustomerList.as_view(), name="customer-list"),
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
]
