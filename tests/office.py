"""LibreOffice for the tests: documents converted the way a reader's office suite (or a
municipality's meeting system) would. One conversion per document and test process,
with a profile of its own per process (several xdist workers may convert at once).
Without ``soffice`` the tests that need it are skipped, or fail under
``HOERING_REQUIRE_OFFICE=1`` (CI)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice")


def require_office() -> str:
    if SOFFICE is None:
        if os.environ.get("HOERING_REQUIRE_OFFICE") == "1":
            pytest.fail("LibreOffice (soffice) is required: "
                        "apt-get install libreoffice-writer-nogui")
        pytest.skip("LibreOffice (soffice) is not installed")
    return SOFFICE


@cache
def _profile() -> Path:
    return Path(tempfile.mkdtemp(prefix=f"lo-profile-{os.getpid()}-"))


@cache
def convert(content: bytes, suffix: str, to: str = "pdf") -> bytes:
    """``content`` (a file ending in ``suffix``, e.g. ".docx") converted with LibreOffice."""
    soffice = require_office()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / f"document{suffix}"
        source.write_bytes(content)
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{_profile()}", "--headless",
             "--convert-to", to, "--outdir", folder, str(source)],
            check=True, capture_output=True, timeout=120,
        )
        return (Path(folder) / f"document.{to}").read_bytes()
