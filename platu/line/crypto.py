"""The channel's secret and access token at rest: Fernet (AES-128-CBC with HMAC-SHA256, from
`cryptography`) under a key derived from the installation's SECRET_KEY by HKDF. A key in
SECRET_KEY_FALLBACKS still decrypts, so a rotated SECRET_KEY keeps saved channels readable until
the administrator saves them again; a lost SECRET_KEY means entering the channel again."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _fernet(secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"platu", info=b"platu.line.channel").derive(
        secret_key.encode("utf-8")
    )
    return Fernet(base64.urlsafe_b64encode(key))


def _keys() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(k) for k in keys])


def encrypt(value: str) -> str:
    return _keys().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(value: str) -> str:
    """The plain text; ValueError when no key of this installation opens it."""
    try:
        return _keys().decrypt(value.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ValueError("the LINE channel cannot be decrypted with this installation's keys") from exc
