from django.urls import URLPattern

app_name = "competency"

urlpatterns: list[URLPattern] = []
