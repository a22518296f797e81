from django.urls import URLPattern, path

from platu.dashboards import views

app_name = "dashboards"

urlpatterns: list[URLPattern] = [
    path("orgs/<slug:code>/dashboard/", views.dashboard, name="dashboard"),
    path("orgs/<slug:code>/dashboard/network/", views.network, name="network"),
]
