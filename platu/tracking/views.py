"""Monitoring rounds, entries and evidence (pages)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
