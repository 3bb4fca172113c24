"""Which invariants of the fuzzer fail today, each with the smallest issue file that breaks it.

``make fuzz`` stops at the first kinds of failure it meets, and the most frequent
one (a crash, say) hides the rarer ones. This tool draws many issues from the
grammar, builds each as ``tests/test_fuzz.py`` does, sorts the findings into
kinds (a leaked secret, a ``<script>``, a TeX primitive, a crash by exception,
an unlocated warning by category) and, for each kind, asks Hypothesis for the
smallest issue that still shows it. Run it from the project:

    .venv/bin/python tests/tools/fuzz_survey.py --examples 300
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(TESTS_DIR.parent / 'extensions'), str(TESTS_DIR)]

from fuzz_checks import Baseline  # noqa: E402
from fuzz_grammar import BENIGN_ISSUE, issue_files  # noqa: E402
from hypothesis import HealthCheck, Phase, find, settings  # noqa: E402
from hypothesis.errors import NoSuchExample  # noqa: E402
from test_fuzz import TEMPLATES, Workspace, invariant_findings, project_settings  # noqa: E402


def kind(finding: str) -> str:
    """The kind of a finding: what broke, without the file or the exact text."""
    if finding.startswith('secret:'):
        return 'secret: ' + finding.split(' holds ')[0].split('/')[0].removeprefix('secret: ')
    if finding.startswith('html:'):
        detail = finding.split(': ', 2)[2]
        match = re.match(r'(\w+) <(\w+)(?: ([\w:-]+)=)?', detail)
        return 'html: ' + ' '.join(
            part for part in (match.groups() if match else (detail,)) if part
        )
    if finding.startswith('tex:'):
        match = re.search(
            r'(\\\S+) outside the templates|control sequence (\S+)|environment (\S+)', finding
        )
        if match:
            return 'tex: ' + next(group for group in match.groups() if group)
        return 'tex: ' + re.sub(r"'.*", '', finding.split(': ', 2)[-1])
    if finding.startswith('crash:'):
        return re.sub(r'^crash: \w+: ', 'crash: ', finding)[:90]
    if 'warning' in finding:
        subtype = re.search(r'\[(galien\.[\w-]+|[\w.-]+)\]\W*$', finding)
        where = 'in no file of the project' if 'no file' in finding else 'without a line'
        if 'at line' in finding:
            where = 'past the end of the file'
        return f'warning {where}: ' + (subtype.group(1) if subtype else finding[-60:])
    return finding[:80]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--examples', type=int, default=200, help='issues drawn for the survey')
    parser.add_argument('--shrink', type=int, default=150, help='examples tried to shrink a kind')
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Workspace(Path(tmp), project_settings())
        workspace.reset(BENIGN_ISSUE)
        workspace.build_editions()
        baseline = Baseline.from_outputs(workspace.published(), TEMPLATES)
        seen: Counter[str] = Counter()

        def survey(issue: str) -> bool:
            seen.update(
                {kind(finding) for finding in invariant_findings(workspace, baseline, issue)}
            )
            return False

        quiet = settings(
            max_examples=arguments.examples,
            phases=[Phase.generate],
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        with contextlib.suppress(NoSuchExample):
            find(issue_files(), survey, settings=quiet)
        print(f'{arguments.examples} issues, kinds of broken invariant (issues showing each):')
        for name, count in seen.most_common():
            print(f'  {count:4d}  {name}')
        shrink = settings(
            quiet, max_examples=arguments.shrink, phases=[Phase.generate, Phase.shrink]
        )
        for name, _count in seen.most_common():
            try:
                smallest = find(
                    issue_files(),
                    lambda issue, name=name: (
                        name in {kind(f) for f in invariant_findings(workspace, baseline, issue)}
                    ),
                    settings=shrink,
                )
            except NoSuchExample:
                print(f'\n== {name}: not met again')
                continue
            print(f'\n== {name}\n{smallest}')


if __name__ == '__main__':
    main()
