"""Supervisors' webhook subscriptions, under /supervisor/webhooks/."""

from django.urls import path

from . import views

app_name = "webhooks"

urlpatterns = [
    path("", views.subscription_list, name="list"),
    path("new/", views.subscription_create, name="create"),
    path("<int:pk>/", views.subscription_detail, name="detail"),
    path("<int:pk>/edit/", views.subscription_edit, name="edit"),
    path("<int:pk>/pause/", views.subscription_pause, name="pause"),
    path("<int:pk>/resume/", views.subscription_resume, name="resume"),
    path("<int:pk>/delete/", views.subscription_delete, name="delete"),
    path("<int:pk>/test/", views.subscription_test, name="test"),
    path("<int:pk>/secret/", views.subscription_secret, name="secret"),
    path("<int:pk>/secret/rotate/", views.subscription_rotate, name="rotate"),
]
