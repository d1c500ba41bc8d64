from django.urls import path

from . import views

app_name = "memos"

urlpatterns = [
    path("", views.memo_list, name="list"),
    path("count/", views.memo_count, name="count"),
    path("send/<str:number>/", views.memo_send, name="send"),
    path("<str:number>/answer/", views.memo_answer, name="answer"),
]
