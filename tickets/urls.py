from django.urls import path

from .views import agent, notifications

app_name = "tickets"

urlpatterns = [
    path("", agent.ticket_list, name="list"),
    path("tickets/<str:number>/", agent.ticket_detail, name="detail"),
    path("customers/<int:pk>/", agent.customer_detail, name="customer_detail"),
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
