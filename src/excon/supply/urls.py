from django.urls import path

from . import views

app_name = "supply"
urlpatterns = [
    path("", views.index, name="index"),
    path("declarations/", views.declaration_list, name="declarations"),
    path("declarations/new/", views.declaration_create, name="declaration_create"),
    path("declarations/<uuid:declaration_id>/correct/", views.declaration_correct, name="declaration_correct"),
    path("requirements/", views.requirement_list, name="requirements"),
    path("prices/", views.price_list, name="prices"),
    path("prices/new/", views.price_create, name="price_create"),
    path("requirements/new/", views.requirement_create, name="requirement_create"),
    path("requirements/<uuid:requirement_id>/withdraw/", views.requirement_withdraw, name="requirement_withdraw"),
    path("priorities/", views.priority_list, name="priorities"),
    path("priorities/new/", views.priority_create, name="priority_create"),
    path("priorities/<uuid:priority_id>/lift/", views.priority_lift, name="priority_lift"),
    path("rules/", views.rule_list, name="rules"),
    path("equipment/", views.equipment_list, name="equipment"),
    path("equipment/new/", views.equipment_create, name="equipment_create"),
    path("equipment/<uuid:equipment_id>/availability/", views.equipment_adjust, name="equipment_adjust"),
    path("products/<uuid:product_id>/", views.product_surplus, name="product"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard.csv", views.dashboard_csv, name="dashboard_csv"),
    path("dashboard.xlsx", views.dashboard_xlsx, name="dashboard_xlsx"),
]
