"""/api/v1/webhooks/, in the API's URL namespace (helpdesk/api_urls.py)."""

from django.urls import path

from . import api

urlpatterns = [
    path("webhooks/", api.WebhookList.as_view(), name="webhook-list"),
    path("webhooks/<str:pk>/", api.WebhookDetail.as_view(), name="webhook-detail"),
    path(
        "webhooks/<str:pk>/deliveries/",
        api.WebhookDeliveries.as_view(),
        name="webhook-deliveries",
    ),
]
