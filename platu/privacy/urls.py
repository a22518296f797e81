from django.urls import path

from platu.privacy import views, views_admin

app_name = "privacy"
urlpatterns = [
    path("privacy/", views.my_data, name="my_data"),
    path("privacy/notice/", views.notice, name="notice"),
    path("privacy/export/", views.export_request, name="export"),
    path("privacy/export/<str:token>/", views.download, name="download"),
    path("privacy/erasure/cancel/", views.erasure_cancel, name="erasure_cancel"),
    path("privacy/admin/", views_admin.requests, name="requests"),
    path("privacy/admin/requests/<int:pk>/", views_admin.decide, name="decide"),
    path("privacy/admin/notice/", views_admin.notice_edit, name="notice_edit"),
    path("privacy/admin/settings/", views_admin.settings_edit, name="settings"),
    path("privacy/admin/breaches/", views_admin.breaches, name="breaches"),
    path("privacy/admin/breaches/new/", views_admin.breach_edit, name="breach_new"),
    path("privacy/admin/breaches/<int:pk>/", views_admin.breach_edit, name="breach"),
    path("privacy/admin/ropa/", views_admin.ropa, name="ropa"),
]
