"""Login (rate-limited per user name and IP), logout, the home list, the health check, the API token page."""

from __future__ import annotations

import hashlib
import secrets

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from gyeolsan.web import permissions, security
from gyeolsan.web.workspace.models import ApiToken


class LoginForm(AuthenticationForm):
    """Django's login form, refusing further attempts after repeated failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "아이디 또는 비밀번호가 올바르지 않습니다.",
        "inactive": "사용이 중지된 계정입니다.",
        "blocked": "로그인 실패가 너무 많습니다. 15분 뒤에 다시 시도하십시오.",
    }

    def __init__(self, request: HttpRequest | None = None, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "아이디"
        self.fields["password"].label = "비밀번호"

    def clean(self):  # type: ignore[no-untyped-def]
        username = self.data.get("username", "") or ""
        ip = security.client_ip(self.request)
        if security.login_blocked(username, ip):
            raise forms.ValidationError(self.error_messages["blocked"], code="blocked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            security.record_failure(username, ip)
            raise
        security.clear_failures(username, ip)
        return cleaned


@login_not_required
def login(request: HttpRequest) -> HttpResponse:
    view = auth_views.LoginView.as_view(
        template_name="gyeolsan/login.html", authentication_form=LoginForm, redirect_authenticated_user=True
    )
    response = view(request)
    if request.method == "POST" and response.status_code == 200:
        form = response.context_data.get("form") if hasattr(response, "context_data") else None  # type: ignore[attr-defined]
        if form is not None and any(e.code == "blocked" for e in form.errors.as_data().get("__all__", [])):
            response.status_code = 429
    return response


logout = auth_views.LogoutView.as_view()


def home(request: HttpRequest) -> HttpResponse:
    records = list(permissions.visible_settlements(request.user).prefetch_related("divisions"))
    rows = []
    for r in records:
        states: dict[str, int] = {}
        for d in r.divisions.all():
            states[d.get_state_display()] = states.get(d.get_state_display(), 0) + 1
        rows.append({"record": r, "states": states, "roles": permissions.roles(request.user, r.office_id)})
    return render(request, "gyeolsan/home.html", {"rows": rows, "nav": (), "active": "home"})


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return JsonResponse({"status": "ok", "database": connection.vendor})
    except Exception as exc:  # health checks report, never raise
        return JsonResponse(
            {"status": "error", "database": connection.vendor, "detail": str(exc)[:200]}, status=503
        )


def new_token(user) -> str:  # type: ignore[no-untyped-def]
    """Create (or replace) the user's API token; only its hash is kept, the key is shown once."""
    key = secrets.token_urlsafe(32)
    digest = hashlib.sha256(key.encode()).hexdigest()
    ApiToken.objects.update_or_create(user=user, defaults={"key_hash": digest, "prefix": key[:8]})
    return key


@require_http_methods(["GET", "POST"])
def token(request: HttpRequest) -> HttpResponse:
    key = None
    if request.method == "POST":
        if request.POST.get("action") == "delete":
            ApiToken.objects.filter(user=request.user).delete()
        else:
            key = new_token(request.user)
    existing = ApiToken.objects.filter(user=request.user).first()
    return render(
        request, "gyeolsan/token.html", {"key": key, "existing": existing, "nav": (), "active": "token"}
    )
