"""The supervisors' SLA editor, under /supervisor/sla/."""

from django.urls import path

from sla import editor_views

app_name = "sla"

urlpatterns = [
    path("policies/new/", editor_views.policy_edit, name="policy_create"),
    path("policies/<int:pk>/", editor_views.policy_edit, name="policy_edit"),
    path(
        "policies/new/preview/", editor_views.policy_preview, name="policy_preview_new"
    ),
    path(
        "policies/<int:pk>/preview/", editor_views.policy_preview, name="policy_preview"
    ),
    path("calendars/new/", editor_views.calendar_edit, name="calendar_create"),
    path("calendars/<int:pk>/", editor_views.calendar_edit, name="calendar_edit"),
]
