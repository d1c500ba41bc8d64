from django.urls import path

from . import views

app_name = "policies"

urlpatterns = [
    path("", views.policy_list, name="list"),
    path("new/", views.policy_new, name="new"),
    path("acknowledge/", views.acknowledge, name="acknowledge"),
    path("<slug:slug>/", views.policy_detail, name="detail"),
    path("<slug:slug>/draft/", views.version_edit, name="edit"),
    path("<slug:slug>/publish/", views.version_publish, name="publish"),
    path("<slug:slug>/review/", views.mark_reviewed, name="review"),
]
