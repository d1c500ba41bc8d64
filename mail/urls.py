from django.urls import path

from . import views, views_agent

app_name = "mail"
urlpatterns = [
    path("inbound/email/", views.inbound_email, name="inbound_email"),
    path(
        "agent/tickets/<str:number>/addresses/",
        views_agent.address_add,
        name="address_add",
    ),
    path(
        "agent/tickets/<str:number>/addresses/<int:pk>/remove/",
        views_agent.address_remove,
        name="address_remove",
    ),
]
