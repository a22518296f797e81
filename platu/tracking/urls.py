from platu.tracking import views, views_documents, views_indicators

app_name = "tracking"

urlpatterns = views.urlpatterns + views_documents.urlpatterns + views_indicators.urlpatterns
