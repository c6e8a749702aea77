"""Bearer access tokens (client credentials, or the password grant for scripts) checked like the ID token:
signature against the provider's published keys, issuer, audience, expiry, and that it is an access token."""
from __future__ import annotations

import threading
import time
from typing import Callable, Mapping

from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

MAX_TOKEN_LENGTH = 8192
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
LEEWAY_SECONDS = 30
# An unknown key id makes us fetch the keys again (the provider rotated them), but not more often than this,
# so that tokens with made-up key ids cannot make us hammer the provider.
KEY_REFRESH_INTERVAL = 60.0


class InvalidToken(Exception):
    """The token is refused; str() says why (for the log, not for the client)."""


class TokenVerifier:
    def __init__(self, issuer: str, audience: str, fetch_keys: Callable[[bool], Mapping],
                 leeway: int = LEEWAY_SECONDS):
        self.issuer, self.audience, self._fetch_keys, self.leeway = issuer, audience, fetch_keys, leeway
        self._lock = threading.Lock()
        self._refreshed_at = 0.0

    def verify(self, token: str) -> dict:
        """The token's claims when it is a valid access token for this audience; InvalidToken otherwise."""
        if not token or len(token) > MAX_TOKEN_LENGTH or token.count(".") != 2:
            raise InvalidToken("not a compact JWS of acceptable size")
        try:
            decoded = self._decode(token)
            self._claims_registry().validate(decoded.claims)
        except JoseError as error:
            raise InvalidToken(f"{type(error).__name__}: {error}") from None
        except (ValueError, TypeError, KeyError) as error:
            raise InvalidToken(f"malformed token: {error}") from None
        if decoded.claims.get("typ") != "Bearer":  # an ID token carries its client as audience too
            raise InvalidToken(f"a {decoded.claims.get('typ')} token is not an access token")
        return decoded.claims

    def _decode(self, token: str):
        try:
            return jwt.decode(token, KeySet.import_key_set(self._fetch_keys(False)), algorithms=list(ALGORITHMS))
        except InvalidKeyIdError:
            if not self._may_refresh():
                raise
            return jwt.decode(token, KeySet.import_key_set(self._fetch_keys(True)), algorithms=list(ALGORITHMS))

    def _may_refresh(self) -> bool:
        with self._lock:
            if time.monotonic() - self._refreshed_at < KEY_REFRESH_INTERVAL:
                return False
            self._refreshed_at = time.monotonic()
            return True

    def _claims_registry(self) -> JWTClaimsRegistry:
        return JWTClaimsRegistry(
            leeway=self.leeway, iss={"essential": True, "value": self.issuer},
            aud={"essential": True, "value": self.audience}, sub={"essential": True},
            exp={"essential": True})
