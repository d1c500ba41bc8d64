from django.urls import path

from .views import agent

app_name = "tickets"

urlpatterns = [
    path("", agent.ticket_list, name="list"),
    path("tickets/<str:number>/", agent.ticket_detail, name="detail"),
    path("customers/<int:pk>/", agent.customer_detail, name="customer_detail"),
]
