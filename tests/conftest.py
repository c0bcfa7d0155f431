import shutil
from pathlib import Path

import pytest
from support import EXAMPLES, unavailable


@pytest.fixture(scope="session")
def rendered():
    """The DOCX bytes of each shipped example plan, by file stem."""
    from kehoach.pipeline import render

    return {p.stem: render(p)[1].docx for p in sorted(EXAMPLES.glob("ke-hoach-*.yaml"))}


@pytest.fixture(scope="session")
def soffice() -> Path:
    """The real soffice; skipped on a developer machine without it, a failure on CI."""
    from kehoach.write.pdf import find_soffice

    found = find_soffice()
    missing = [tool for tool in ("pdfinfo", "pdftotext", "pdffonts", "pdftoppm") if shutil.which(tool) is None]
    if found is None or missing:
        unavailable(f"LibreOffice or poppler-utils missing (soffice: {found}, missing: {missing})")
    return found


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/bad/*.err and the snapshots in tests/golden/ from the current output (review the diff)")
