from django.urls import path

from .views import (
    complaints,
    customers,
    interactions,
    notifications,
    presence,
    queues,
    search,
    ticket,
)

app_name = "tickets"

urlpatterns = [
    path("", queues.ticket_list, name="list"),
    path("bulk/", queues.ticket_bulk, name="bulk"),
    path("filters/", queues.queue_filters, name="filters"),
    path("counts/", queues.queue_counts, name="counts"),
    path("views/", queues.saved_view_create, name="saved_view_create"),
    path("views/<int:pk>/delete/", queues.saved_view_delete, name="saved_view_delete"),
    path("search/", search.search, name="search"),
    path("log/", interactions.interaction_log, name="log"),
    path("tickets/<str:number>/", ticket.ticket_detail, name="detail"),
    path("tickets/<str:number>/reply/", ticket.ticket_reply, name="reply"),
    path("tickets/<str:number>/note/", ticket.ticket_note, name="note"),
    path("tickets/<str:number>/log/", ticket.ticket_log, name="log_contact"),
    path(
        "tickets/<str:number>/properties/",
        ticket.ticket_properties,
        name="properties",
    ),
    path("tickets/<str:number>/merge/", ticket.ticket_merge, name="merge"),
    path(
        "tickets/<str:number>/complaint/",
        complaints.ticket_complaint,
        name="complaint",
    ),
    path("tickets/<str:number>/upload/", ticket.ticket_upload, name="upload"),
    path("tickets/<str:number>/canned/", ticket.canned_insert, name="canned"),
    path(
        "tickets/<str:number>/presence/",
        presence.ticket_presence,
        name="presence",
    ),
    path("customers/lookup/", customers.customer_lookup, name="customer_lookup"),
    path("customers/<int:pk>/", customers.customer_detail, name="customer_detail"),
    path("customers/<int:pk>/panel/", customers.customer_panel, name="customer_panel"),
    path("customers/<int:pk>/edit/", customers.customer_edit, name="customer_edit"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path(
        "notifications/count/",
        notifications.notification_count,
        name="notification_count",
    ),
    path(
        "notifications/<int:pk>/read/",
        notifications.notification_read,
        name="notification_read",
    ),
    path(
        "notifications/read-all/",
        notifications.notification_read_all,
        name="notifications_read_all",
    ),
]
