"""examples/explore.ipynb runs headless, top to bottom, on this venv's Python, without an error."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "examples" / "explore.ipynb"


@pytest.fixture
def kernel_name(tmp_path, monkeypatch):
    """A kernel spec for the Python running pytest, found through JUPYTER_PATH, no install step."""
    spec = tmp_path / "kernels" / "kg-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "kg tests", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    monkeypatch.delenv("MPLBACKEND", raising=False)  # keep Jupyter's inline backend: figures as PNG
    return "kg-test"


@pytest.mark.slow
def test_notebook_explore_runs_without_error(kernel_name):
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(notebook, kernel_name=kernel_name, timeout=120,
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream" and o.name == "stdout")
    samples = len(list((ROOT / "data" / "samples").glob("*.txt")))
    assert f"{samples} articles, " in text, text
    assert ", mode dynamic" in text, text
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 2
