from django.urls import path

from . import views, views_auth

app_name = "accounts"
urlpatterns = [
    path("login/", views_auth.LoginView.as_view(), name="login"),
    path("logout/", views_auth.LogoutView.as_view(), name="logout"),
    path("mfa/setup/", views_auth.mfa_setup, name="mfa_setup"),
    path("mfa/verify/", views_auth.mfa_verify, name="mfa_verify"),
    # Organisations
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<uuid:organisation_id>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<uuid:organisation_id>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<uuid:organisation_id>/status/", views.organisation_status, name="organisation_status"),
    path("organisations/<uuid:organisation_id>/users/new/", views.user_create, name="user_create"),
    # Users
    path("users/", views.user_list, name="user_list"),
    path("users/<uuid:user_id>/", views.user_detail, name="user_detail"),
    path("users/<uuid:user_id>/edit/", views.user_edit, name="user_edit"),
    path("users/<uuid:user_id>/roles/", views.user_roles, name="user_roles"),
    path("users/<uuid:user_id>/active/", views.user_active, name="user_active"),
    path("users/<uuid:user_id>/clearance/", views.user_clearance, name="user_clearance"),
    path("users/<uuid:user_id>/mfa-reset/", views.user_mfa_reset, name="user_mfa_reset"),
    # My account
    path("me/", views.profile, name="profile"),
    path("me/password/", views.password_change, name="password_change"),
    path("me/tokens/new/", views.token_create, name="token_create"),
    path("me/tokens/<uuid:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
