from django.urls import path

from platu.accounts import views, views_signin

urlpatterns = [
    path("api-tokens/", views.token_list, name="api_tokens"),
    path("api-tokens/new/", views.token_create, name="api_token_create"),
    path("api-tokens/<int:pk>/revoke/", views.token_revoke, name="api_token_revoke"),
    path("sign-in/waiting/", views_signin.pending, name="signin_pending"),
    path("orgs/<slug:code>/sign-in/", views_signin.signin_policy, name="signin_policy"),
    path("orgs/<slug:code>/sign-in/requests/", views_signin.link_requests, name="signin_link_requests"),
    path(
        "orgs/<slug:code>/sign-in/requests/<str:reference>/",
        views_signin.link_request,
        name="signin_link_request",
    ),
]
