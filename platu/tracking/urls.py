from platu.tracking import views, views_documents

app_name = "tracking"

urlpatterns = views.urlpatterns + views_documents.urlpatterns
