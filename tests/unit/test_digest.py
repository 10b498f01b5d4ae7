"""The digests coach derives ids and folder names from are hashlib's, without loading OpenSSL's."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from coach.digest import random_hex, sha1_hex, sha256_hex

REPO = Path(__file__).resolve().parents[2]


@given(st.binary(max_size=300))
def test_the_digests_are_hashlibs(data: bytes):
    assert sha1_hex(data) == hashlib.sha1(data).hexdigest()
    assert sha256_hex(data) == hashlib.sha256(data).hexdigest()


def test_known_digests_keep_their_values():
    """Ids already on disk (items, cards, the per-device folders) were made with these."""
    assert sha1_hex(b"") == "da39a3ee5e6b4b0d3255bfef95601890afd80709"
    assert sha256_hex(b"Ada Lovelace") == "76740216171591903cdbd18fbc770df447c5b1671005ca0020922a465bba0172"


def test_random_hex_is_new_hex_of_the_length_asked():
    tokens = {random_hex(4) for _ in range(50)}
    assert len(tokens) == 50
    assert all(len(t) == 8 and int(t, 16) >= 0 for t in tokens)
    assert len(random_hex(3)) == 6


def test_the_app_and_a_meeting_load_no_openssl_digests():
    """hashlib (or secrets, through hmac) would set up OpenSSL's digests: 0.6 MiB for the whole run."""
    code = ("import json, sys\n"
            "import coach.app, coach.meeting, coach.history_index, coach.history, coach.trends, coach.cli\n"
            "import screens.picker, screens.prep, screens.meeting, screens.wrap_up\n"
            "from coach.digest import sha1_hex, sha256_hex, random_hex\n"
            "sha1_hex(b'x'); sha256_hex(b'x'); random_hex(2)\n"
            "print(json.dumps(sorted(m for m in ('_hashlib', 'hashlib', 'hmac', 'secrets') if m in sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == []
