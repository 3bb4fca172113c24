"""``make bench``: the test suite's time per tier.

Runs pytest once per tier asked for, as the Makefile does: ``fast`` is ``make test-fast``
(the tests marked fast, neither slow nor browser, on two processes), ``full`` is the tests
of ``make test`` (every test; lint not included). For each: wall-clock time, the CPU time
of pytest and its children (what a busy machine does not inflate), the machine's load
average before, and pytest's closing line. Exit status: 1 if a tier's tests failed, else 0.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
#: The Makefile's FAST_MARKS, unless it passes its own.
FAST_MARKS = 'fast and not slow and not browser'


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_tier(name: str, pytest_args: list[str]) -> tuple[float, float, str, int]:
    """Wall seconds, CPU seconds, pytest's last line and its exit status."""
    command = [sys.executable, '-m', 'pytest', 'tests', '-q', '-p', 'no:cacheprovider']
    print(f'{name} : {" ".join([*command[2:], *pytest_args])}', flush=True)
    cpu_before = children_cpu()
    start = time.perf_counter()
    result = subprocess.run(
        [*command, *pytest_args],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    cpu = children_cpu() - cpu_before
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    return wall, cpu, lines[-1] if lines else '(pas de sortie)', result.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--tiers', nargs='+', choices=['fast', 'full'], default=['fast', 'full'])
    parser.add_argument('--fast-marks', default=FAST_MARKS, help='the fast tier (-m)')
    parser.add_argument('--fast-options', default='-n 2', help="the fast tier's other options")
    parser.add_argument('--full-options', default='', help="the full suite's options")
    options = parser.parse_args(argv)
    arguments = {
        'fast': ['-m', options.fast_marks, *options.fast_options.split()],
        'full': options.full_options.split(),
    }
    rows = []
    status = 0
    for tier in options.tiers:
        load = os.getloadavg()[0]
        wall, cpu, summary, code = run_tier(tier, arguments[tier])
        status = status or int(code != 0)
        rows.append((tier, wall, cpu, load, summary))
    print()
    print(f'{"niveau":<8} {"durée":>9} {"CPU":>9} {"charge":>7}  résultat')
    for tier, wall, cpu, load, summary in rows:
        print(f'{tier:<8} {wall:>8.1f}s {cpu:>8.1f}s {load:>7.2f}  {summary}')
    return status


if __name__ == '__main__':
    sys.exit(main())
