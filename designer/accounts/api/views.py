"""Accounts endpoints: exchange a username and password for an API token; who am I."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from designer.accounts import selectors, services
from designer.accounts.api.serializers import MeSerializer, TokenInput, TokenOutput
from designer.api.schema import errors


class TokenThrottle(AnonRateThrottle):
    rate = "30/min"


@extend_schema(tags=["auth"])
class TokenView(APIView):
    """Exchange a username and password for the user's API token (for the SDK and scripts)."""

    permission_classes = (AllowAny,)
    authentication_classes = ()
    throttle_classes = (TokenThrottle,)

    @extend_schema(request=TokenInput, responses={200: TokenOutput, **errors(400)}, auth=[])
    def post(self, request: Request) -> Response:
        data = TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response({"token": services.token_issue(**data.validated_data)})


@extend_schema(tags=["auth"])
class MeView(APIView):
    """The signed-in user."""

    @extend_schema(responses={200: MeSerializer, **errors(401)})
    def get(self, request: Request) -> Response:
        return Response(selectors.user_profile(user=request.user))
