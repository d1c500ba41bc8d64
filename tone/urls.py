from django.urls import path

from . import views

app_name = "tone"

urlpatterns = [
    path("agent/tone/check/", views.tone_check, name="check"),
    path("supervisor/phrases/", views.phrase_list, name="phrases"),
    path("supervisor/phrases/<int:pk>/", views.phrase_edit, name="phrase_edit"),
    path(
        "supervisor/phrases/<int:pk>/delete/",
        views.phrase_delete,
        name="phrase_delete",
    ),
]
