"""The digests and random tokens coach derives ids and folder names from.

hashlib is the usual way to SHA-1 and SHA-256, but importing it (or `secrets`, through `hmac`)
sets OpenSSL's digests up: 0.6 MiB more for the whole life of the process, beside a video call,
for a few short hashes. CPython's own SHA code gives the same digests: `_sha1`, and `_sha2`
(3.12 on) or `_sha256` (3.11). hashlib is the fallback where those are not built in.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

_Hash = Callable[[bytes], Any]


def _builtin(name: str, *modules: str) -> _Hash:
    for module in modules:
        try:
            return getattr(__import__(module), name)
        except (ImportError, AttributeError):
            continue
    import hashlib  # another Python: the digests are the same, only the memory differs

    return getattr(hashlib, name)


_sha1: _Hash = _builtin("sha1", "_sha1")
_sha256: _Hash = _builtin("sha256", "_sha2", "_sha256")


def sha1_hex(data: bytes) -> str:
    """The SHA-1 of `data`, in hex (as `hashlib.sha1(data).hexdigest()`)."""
    return _sha1(data).hexdigest()


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of `data`, in hex (as `hashlib.sha256(data).hexdigest()`)."""
    return _sha256(data).hexdigest()


def random_hex(nbytes: int) -> str:
    """`nbytes` random bytes from the system, in hex (what `secrets.token_hex` returns)."""
    return os.urandom(nbytes).hex()
