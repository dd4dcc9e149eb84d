from django.urls import path

from . import views_auth

app_name = "accounts"
urlpatterns = [
    path("login/", views_auth.LoginView.as_view(), name="login"),
    path("logout/", views_auth.LogoutView.as_view(), name="logout"),
    path("mfa/setup/", views_auth.mfa_setup, name="mfa_setup"),
    path("mfa/verify/", views_auth.mfa_verify, name="mfa_verify"),
]
