import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

EXAMPLES = ROOT / "examples"
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def rendered():
    """The DOCX bytes of each shipped example plan, by file stem."""
    from kehoach.render import render

    return {p.stem: render(p)[1] for p in sorted(EXAMPLES.glob("ke-hoach-*.yaml"))}


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/bad/*.err from the current output (review each by hand)")
