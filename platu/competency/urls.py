from platu.competency import views, views_plan

app_name = "competency"

urlpatterns = views.urlpatterns + views_plan.urlpatterns
