"""Node's unit tests of the SCORM runtime (tests/scorm_export/js/*.test.mjs): value formats
of the LMS adapter, the suspend_data codec (a 100-question quiz within SCORM 1.2's 4,096
characters) and the offline backend. One pytest test per Node test file."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .test_runtime_parity import ROOT, node_or_skip

JS_TESTS = sorted((Path(__file__).parent / "js").glob("*.test.mjs"))


@pytest.mark.parametrize("test_file", JS_TESTS, ids=[path.name for path in JS_TESTS])
def test_node(test_file):
    node = node_or_skip()
    result = subprocess.run(
        [node, "--test", str(test_file)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]


def test_runtime_files_are_plain_modules_without_tests():
    """Everything in scorm_export/runtime/ is copied into packages: no tests or build files."""
    runtime = ROOT / "scorm_export" / "runtime"
    names = sorted(path.name for path in runtime.iterdir())
    assert "sco.js" in names
    assert all(name.endswith((".js", ".css")) for name in names), names
