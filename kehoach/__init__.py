"""kehoach: văn bản hành chính (Nghị định 30/2020/NĐ-CP) từ YAML ra DOCX.

The library a script calls: `render_file` (one plan file → its DOCX) and `kehoach.batch.run` (a roster → one
DOCX per pair and the summary). Heavy modules load on first call, so that `kehoach --help` starts quickly.
"""

from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"


def render_file(path: Path | str, output: Path | str | None = None) -> Path:
    """Render a plan file (.yaml) to DOCX, beside it or at output (a .docx file, or a folder); the path written.
    A mistake raises kehoach.errors.KehoachError, whose `problems` say where and how to fix it."""
    from kehoach.pipeline import render_file as render

    return render(Path(path), output)
