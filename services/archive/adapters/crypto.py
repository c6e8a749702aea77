"""Per-campaign data keys (AES-256-GCM), kept in the archive's database wrapped by a key derived from the
deployment's secret. Destroying a campaign's key makes what was sealed with it unreadable for good, while
the object-locked segments holding the ciphertext stay as they were written (crypto-shredding)."""
from __future__ import annotations

import base64
import hashlib
import hmac
import os

from Crypto.Cipher import AES

NONCE_BYTES = 12
KEY_BYTES = 32


class KeyUnavailable(Exception):
    """The campaign's key was destroyed (its personal data purged) or never existed."""


def key_encryption_key(secret: str) -> bytes:
    return hmac.new(secret.encode(), b"tuiju/archive/key-encryption-key/v1", hashlib.sha256).digest()


def new_data_key() -> bytes:
    return os.urandom(KEY_BYTES)


def wrap(kek: bytes, data_key: bytes, campaign_id: str) -> bytes:
    return _encrypt(kek, data_key, campaign_id.encode())


def unwrap(kek: bytes, wrapped: bytes, campaign_id: str) -> bytes:
    return _decrypt(kek, wrapped, campaign_id.encode())


def seal(data_key: bytes, plaintext: bytes, associated: str) -> str:
    """Base64 of nonce, ciphertext and tag; `associated` (the event id) binds it to its place."""
    return base64.b64encode(_encrypt(data_key, plaintext, associated.encode())).decode()


def open_sealed(data_key: bytes, sealed: str, associated: str) -> bytes:
    return _decrypt(data_key, base64.b64decode(sealed), associated.encode())


def _encrypt(key: bytes, plaintext: bytes, associated: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    cipher = AES.new(key, AES.MODE_GCM, nonce=nonce)
    cipher.update(associated)
    ciphertext, tag = cipher.encrypt_and_digest(plaintext)
    return nonce + ciphertext + tag


def _decrypt(key: bytes, blob: bytes, associated: bytes) -> bytes:
    nonce, ciphertext, tag = blob[:NONCE_BYTES], blob[NONCE_BYTES:-16], blob[-16:]
    cipher = AES.new(key, AES.MODE_GCM, nonce=nonce)
    cipher.update(associated)
    return cipher.decrypt_and_verify(ciphertext, tag)
