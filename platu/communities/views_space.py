"""The community space: feed, posts and replies."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
