from django.urls import path

app_name = "refdata"
urlpatterns: list = []
