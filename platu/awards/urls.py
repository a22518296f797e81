from platu.awards import views, views_public

app_name = "awards"

urlpatterns = views.urlpatterns + views_public.urlpatterns
