from django.urls import path

from platu.accounts import views

urlpatterns = [
    path("api-tokens/", views.token_list, name="api_tokens"),
    path("api-tokens/new/", views.token_create, name="api_token_create"),
    path("api-tokens/<int:pk>/revoke/", views.token_revoke, name="api_token_revoke"),
]
