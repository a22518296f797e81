"""Event pages (filled in by the events work)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
