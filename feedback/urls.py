from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("", views.follow_up_list, name="list"),
    path("<int:pk>/done/", views.follow_up_done, name="done"),
]
