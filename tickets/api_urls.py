from django.urls import path

from . import api

app_name = "api"

urlpatterns = [
    path("tickets/", api.TicketList.as_view(), name="ticket-list"),
    path("tickets/<str:number>/", api.TicketDetail.as_view(), name="ticket-detail"),
]
