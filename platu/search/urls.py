from django.urls import path

from platu.search import views

urlpatterns = [
    path("search/", views.search, name="search"),
    path("search/suggest/", views.suggest, name="search_suggest"),
]
