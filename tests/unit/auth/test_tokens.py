"""shared/auth/tokens.py: what makes a bearer token acceptable, checked with keys made here (the same checks
run against the real Keycloak's tokens in tests/integration/auth)."""
from __future__ import annotations

import time

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from shared.auth.tokens import InvalidToken, TokenVerifier

pytestmark = pytest.mark.unit

ISSUER, AUDIENCE = "http://127.0.0.1:8080/realms/tuiju", "tuiju-intake"


@pytest.fixture(scope="module")
def key() -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": "k1", "alg": "RS256", "use": "sig"})


def published(*keys) -> dict:
    return KeySet(list(keys)).as_dict(private=False)


def token(key, **overrides) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": ["tuiju-review", AUDIENCE], "sub": "u1", "typ": "Bearer", "exp": now + 300,
              "iat": now, "roles": ["auditor"], **overrides}
    claims = {name: value for name, value in claims.items() if value is not None}
    return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)


def verifier(key, fetches=None) -> TokenVerifier:
    def fetch(force):
        if fetches is not None:
            fetches.append(force)
        return published(key)
    return TokenVerifier(ISSUER, AUDIENCE, fetch)


def test_a_valid_access_token_for_this_audience_is_accepted(key):
    assert verifier(key).verify(token(key))["roles"] == ["auditor"]


@pytest.mark.parametrize("overrides, why", [
    ({"aud": "tuiju-archive"}, "another service's audience"),
    ({"aud": None}, "no audience"),
    ({"iss": "http://127.0.0.1:8080/realms/master"}, "another realm"),
    ({"exp": int(time.time()) - 120}, "expired beyond the leeway"),
    ({"typ": "ID"}, "an ID token"),
    ({"sub": None}, "no subject"),
])
def test_a_token_with_wrong_claims_is_refused(key, overrides, why):
    with pytest.raises(InvalidToken):
        verifier(key).verify(token(key, **overrides))


def test_a_tampered_payload_is_refused(key):
    header, payload, signature = token(key).split(".")
    forged = token(key, roles=["secretariat"]).split(".")[1]
    with pytest.raises(InvalidToken):
        verifier(key).verify(".".join([header, forged[:-2] + payload[-2:], signature]))


def test_a_token_signed_by_another_key_with_the_same_key_id_is_refused(key):
    impostor = RSAKey.generate_key(2048, parameters={"kid": key.kid, "alg": "RS256"})
    with pytest.raises(InvalidToken):
        verifier(key).verify(token(impostor))


def test_an_unsigned_token_is_refused(key):
    header, payload, _ = token(key).split(".")
    with pytest.raises(InvalidToken):
        verifier(key).verify(f"{header}.{payload}.")


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "x" * 9000])
def test_garbage_is_refused_without_an_exception_other_than_invalid_token(key, garbage):
    with pytest.raises(InvalidToken):
        verifier(key).verify(garbage)


def test_unknown_key_ids_fetch_the_keys_again_at_most_once_a_minute(key):
    stranger = RSAKey.generate_key(2048, parameters={"kid": "rotated", "alg": "RS256"})
    fetches: list = []
    check = verifier(key, fetches)
    for _ in range(5):
        with pytest.raises(InvalidToken):
            check.verify(token(stranger))
    assert fetches.count(True) == 1
