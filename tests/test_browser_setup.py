"""The browser tests cannot silently vanish: without Chromium they fail under REQUIRE_BROWSER=1 (CI), else skip."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_browser_tests_without_chromium(*, require: bool) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "REQUIRE_BROWSER"}
    env["CHROMIUM"] = str(ROOT / "no-such-chromium")
    if require:
        env["REQUIRE_BROWSER"] = "1"
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "tests/browser/test_checks.py"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_missing_chromium_fails_the_run_in_ci():
    result = run_browser_tests_without_chromium(require=True)
    assert result.returncode == 1, result.stdout
    assert "no-such-chromium is missing" in result.stdout
    assert "skipped" not in result.stdout


def test_missing_chromium_skips_the_browser_tests_elsewhere():
    result = run_browser_tests_without_chromium(require=False)
    assert result.returncode == 0, result.stdout
    assert "skipped" in result.stdout and "passed" not in result.stdout
