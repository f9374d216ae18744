"""The browser tests cannot silently vanish: without Chromium they fail, never skip."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.database_independent


def test_missing_chromium_fails_the_run():
    env = {**os.environ, "CHROMIUM": str(ROOT / "no-such-chromium")}
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "tests/browser/test_checks.py"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stdout
    assert "no-such-chromium is missing" in result.stdout
    assert "skipped" not in result.stdout
