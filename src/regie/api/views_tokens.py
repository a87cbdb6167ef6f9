"""API tokens: the token endpoint and the pages "API-sleutels" (one's own tokens; for the functioneel beheerder
every token of the municipality and its applications)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.response import Response

from regie.accounts import mfa
from regie.accounts.api_token import ThrottledObtainAuthToken
from regie.accounts.tenancy import can
from regie.audit.services import log, origin_of
from regie.core.records import ROLES

from . import tokens
from .models import ApiApplication, ApiToken


class TokenOptionsSerializer(serializers.Serializer):
    name = serializers.CharField(
        max_length=100, required=False, default="API", help_text="What the token is for; shown in the token lists"
    )
    scopes = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        default=["read"],
        max_length=len(tokens.ALL_SCOPES),
        help_text="read, write, or <resource>:<read|write> for clients, cases, events, "
        "pending-decisions; write includes read. Default: read",
    )
    expires_in_days = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=getattr(settings, "REGIE_API_TOKEN_MAX_DAYS", 365),
        help_text="Default REGIE_API_TOKEN_DAYS (90)",
    )


class TokenRequestSerializer(AuthTokenSerializer, TokenOptionsSerializer):
    """The schema's request body: username and password, and the token's options."""


_TOKEN_RESPONSE = inline_serializer(
    "IssuedToken",
    {
        "token": serializers.CharField(help_text="The secret; shown once, Regie keeps only its hash"),
        "prefix": serializers.CharField(),
        "name": serializers.CharField(),
        "scopes": serializers.ListField(child=serializers.CharField()),
        "expires_at": serializers.DateTimeField(),
    },
)


class TokenObtainView(ThrottledObtainAuthToken):
    """Username and password give a token (behind the log-in throttle)."""

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: _TOKEN_RESPONSE,
            400: OpenApiResponse(description="Wrong username or password, or a field is wrong (named)"),
            403: OpenApiResponse(
                description="The role must log in with a second step: create the token on the page API-sleutels"
            ),
            429: OpenApiResponse(description="Too many failed log-ins; see Retry-After"),
        },
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    def issue(self, request, user) -> Response:
        origin = origin_of(request)
        if mfa.requires_mfa(user):
            # a password alone must not give what a log-in needs two steps for
            log(
                actor=user,
                action="denied",
                object_type=tokens.AUDIT_TYPE,
                result="denied",
                origin=origin,
                municipality_id=user.municipality_id,
                detail="token endpoint refused: role requires a second step",
            )
            return Response(
                {"detail": _("Uw rol logt in met een tweede stap; maak uw API-sleutel aan op de pagina API-sleutels.")},
                status=status.HTTP_403_FORBIDDEN,
            )
        options = TokenOptionsSerializer(data=request.data)
        options.is_valid(raise_exception=True)
        o = options.validated_data
        try:
            token, secret = tokens.issue(
                user, name=o["name"], scopes=o["scopes"], days=o.get("expires_in_days"), actor=user, origin=origin
            )
        except tokens.TokenError as exc:
            return Response({exc.field: [exc.message]}, status=status.HTTP_400_BAD_REQUEST)
        return Response(
            {
                "token": secret,
                "prefix": token.prefix,
                "name": token.name,
                "scopes": token.scopes,
                "expires_at": token.expires_at,
            },
            headers={"Cache-Control": "no-store"},
        )


# --- pages ---------------------------------------------------------------------------------------------------------


def _is_manager(user) -> bool:
    return can(user, "manage_users") and bool(user.municipality_id)


def _scopes_from(post) -> list[str]:
    return post.getlist("scopes") or ["read"]


def _page(request, *, new_secret: str = "", new_token: ApiToken | None = None, errors: dict | None = None):
    user = request.user
    manager = _is_manager(user)
    context = {
        "own": ApiToken.objects.filter(user=user).select_related("application"),
        "all_scopes": tokens.ALL_SCOPES,
        "resources": tokens.RESOURCES,
        "default_days": tokens.default_days(),
        "max_days": tokens.max_days(),
        "new_secret": new_secret,
        "new_token": new_token,
        "errors": errors or {},
        "manager": manager,
        "roles": list(ROLES.items()),
    }
    if manager:
        context["municipality_tokens"] = tokens.tokens_of_municipality(user.municipality_id)
        context["applications"] = ApiApplication.objects.filter(municipality_id=user.municipality_id)
    response = render(request, "api/tokens.html", context)
    if new_secret:
        response["Cache-Control"] = "no-store"
    return response


@login_required
def token_page(request):
    """Own tokens: list, create (the secret is shown once), revoke."""
    if request.method == "POST":
        try:
            token, secret = tokens.issue(
                request.user,
                name=request.POST.get("name", ""),
                scopes=_scopes_from(request.POST),
                days=request.POST.get("days") or None,
                actor=request.user,
                origin=origin_of(request),
            )
        except tokens.TokenError as exc:
            return _page(request, errors={exc.field: exc.message})
        return _page(request, new_secret=secret, new_token=token)
    return _page(request)


@login_required
@require_POST
def token_revoke(request, token_id: int):
    """Revoke one's own token; the functioneel beheerder any token of the municipality (applications' too)."""
    token = ApiToken.objects.select_related("user", "application").filter(pk=token_id).first()
    if token is None:
        raise Http404
    own = token.user_id == request.user.pk
    managed = _is_manager(request.user) and token.user.municipality_id == request.user.municipality_id
    if not (own or managed):
        log(
            actor=request.user,
            action="denied",
            object_type=tokens.AUDIT_TYPE,
            object_id=token.prefix,
            result="denied",
            origin=origin_of(request),
            municipality_id=request.user.municipality_id,
            detail="revoke: not the holder's token or municipality",
        )
        raise Http404
    if tokens.revoke(token, actor=request.user, origin=origin_of(request)):
        messages.success(request, _("De API-sleutel %(prefix)s… is ingetrokken.") % {"prefix": token.prefix})
    return redirect("api_tokens")


def _manager_or_403(request):
    if not _is_manager(request.user):
        log(
            actor=request.user,
            action="denied",
            object_type="api_application",
            result="denied",
            origin=origin_of(request),
            municipality_id=request.user.municipality_id,
            detail="lacks manage_users",
        )
        raise PermissionDenied


@login_required
@require_POST
def application_create(request):
    _manager_or_403(request)
    try:
        app = tokens.create_application(
            name=request.POST.get("name", ""),
            municipality=request.user.municipality,
            role=request.POST.get("role", ""),
            scopes=_scopes_from(request.POST),
            contact=request.POST.get("contact", ""),
            actor=request.user,
            origin=origin_of(request),
        )
    except tokens.TokenError as exc:
        return _page(request, errors={f"app_{exc.field}": exc.message})
    messages.success(
        request, _("De koppeling %(name)s is aangemaakt; maak er een sleutel voor aan.") % {"name": app.name}
    )
    return redirect("api_tokens")


def _own_application(request, app_id: int) -> ApiApplication:
    _manager_or_403(request)
    app = ApiApplication.objects.filter(pk=app_id, municipality_id=request.user.municipality_id).first()
    if app is None:
        raise Http404
    return app


@login_required
@require_POST
def application_token(request, app_id: int):
    app = _own_application(request, app_id)
    try:
        token, secret = tokens.issue(
            app.user,
            application=app,
            name=request.POST.get("name", "") or app.name,
            scopes=_scopes_from(request.POST) if request.POST.getlist("scopes") else app.scopes,
            days=request.POST.get("days") or None,
            actor=request.user,
            origin=origin_of(request),
        )
    except tokens.TokenError as exc:
        return _page(request, errors={f"app_{exc.field}": exc.message})
    return _page(request, new_secret=secret, new_token=token)


@login_required
@require_POST
def application_deactivate(request, app_id: int):
    app = _own_application(request, app_id)
    count = tokens.deactivate_application(app, actor=request.user, origin=origin_of(request))
    messages.success(
        request,
        _("De koppeling %(name)s is gestopt; %(count)s sleutels zijn ingetrokken.")
        % {"name": app.name, "count": count},
    )
    return redirect("api_tokens")
