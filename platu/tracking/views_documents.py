"""The progress reports, the year-end summary and the evidence pack (downloads)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
