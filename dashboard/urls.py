from django.urls import path

from dashboard import views as supervisor

app_name = "supervisor"

urlpatterns = [
    path("", supervisor.dashboard, name="dashboard"),
    path("wall/", supervisor.wall, name="wall"),
    path("wall/live/", supervisor.wall_live, name="wall_live"),
    path("export/<slug:name>.csv", supervisor.export_table, name="export"),
    path("tickets/", supervisor.ticket_list, name="tickets"),
    path("complaints/", supervisor.complaint_report_page, name="complaints"),
    path("voice/", supervisor.voice_page, name="voice"),
    path("tickets/export.csv", supervisor.ticket_export, name="ticket_export"),
    path("tickets/<str:number>/assign/", supervisor.ticket_assign, name="assign"),
]
