# SPDX-License-Identifier: MIT
"""The benchmark programs run and print their figures (no timing asserted:
figures are read by people, not gated by flaky thresholds)."""
import re
import subprocess

from conftest import ROOT, check_sanitizers


def test_bench_commands_prints_its_figures():
    proc = subprocess.run([str(ROOT / "bench" / "bin" / "bench_commands"), "50"],
                          capture_output=True, text=True, timeout=120)
    check_sanitizers(proc.stderr)
    assert proc.returncode == 0, proc.stderr
    assert "commands: 150 (0 refused)" in proc.stdout
    for figure in (r"commands/s: \d+", r"latency us: p50 \d+, p99 \d+, max \d+",
                   r"peak RSS: \d+ KiB"):
        assert re.search(figure, proc.stdout), proc.stdout
