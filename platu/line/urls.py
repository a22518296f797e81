from django.urls import path

from platu.line import views

app_name = "line"
urlpatterns = [
    path("line/", views.preferences, name="preferences"),
    path("line/unlink/", views.unlink, name="unlink"),
    path("line/webhook/<str:key>/", views.webhook_view, name="webhook"),
    path("line/link/<str:key>/", views.link, name="link"),
    path("orgs/<slug:code>/line/", views.channel, name="channel"),
    path("orgs/<slug:code>/line/remove/", views.channel_remove, name="channel_remove"),
]
