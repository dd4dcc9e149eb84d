from django.urls import path

from . import views, views_types

app_name = "licences"
urlpatterns = [
    path("", views.licence_list, name="list"),
    path("issue/<uuid:application_id>/", views.licence_issue, name="issue"),
    path("bulk/", views.bulk_action, name="bulk"),
    path("bulk/<uuid:bulk_id>/", views.bulk_result, name="bulk_result"),
    path("declarations/import/", views.declarations_import, name="declarations_import"),
    path("discrepancies/", views.discrepancy_list, name="discrepancies"),
    path("discrepancies/<uuid:declaration_id>/resolve/", views.discrepancy_resolve, name="discrepancy_resolve"),
    path("serials/", views.serial_trace, name="serial_trace"),
    path("priorities/<uuid:priority_id>/suspend/", views.priority_suspend, name="priority_suspend"),
    path("signing-keys/", views.signing_keys, name="keys"),
    path("<uuid:licence_id>/", views.licence_detail, name="detail"),
    path("<uuid:licence_id>/document.pdf", views.licence_pdf, name="pdf"),
    path("<uuid:licence_id>/shipments/new/", views.shipment_record, name="ship"),
    path("<uuid:licence_id>/shipments/<uuid:shipment_id>/reverse/", views.shipment_reverse, name="shipment_reverse"),
    path("<uuid:licence_id>/amend/", views.licence_amend, name="amend"),
    path("<uuid:licence_id>/returns/<uuid:return_id>/", views_types.usage_return_submit, name="return_submit"),
    path(
        "<uuid:licence_id>/temporary-exports/<uuid:item_id>/return/",
        views_types.temporary_return_confirm,
        name="temporary_return",
    ),
    path("<uuid:licence_id>/<str:action>/", views.licence_transition, name="transition"),
]
