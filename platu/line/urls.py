from django.urls import path

from platu.line import views

app_name = "line"
urlpatterns = [
    path("line/", views.preferences, name="preferences"),
    path("line/unlink/", views.unlink, name="unlink"),
    path("line/webhook/<str:key>/", views.webhook_view, name="webhook"),
    path("line/link/<str:key>/", views.link, name="link"),
    path("line/login/done/", views.login_callback, name="login_callback"),
    path("line/login/<slug:code>/", views.login_start, name="login_start"),
    path("orgs/<slug:code>/line/", views.channel, name="channel"),
    path("orgs/<slug:code>/line/remove/", views.channel_remove, name="channel_remove"),
    path("orgs/<slug:code>/line/login/", views.channel_login, name="channel_login"),
]
