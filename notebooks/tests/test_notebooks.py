"""Every notebook of notebooks/ runs top to bottom against the endpoint on the sample lake (nbclient,
the pinned venv's kernel); any error fails the test. Outputs are not written back."""

from __future__ import annotations

import os

import nbformat
import pytest
from conftest import NOTEBOOKS
from nbclient import NotebookClient

NAMES = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))


def test_there_are_the_five_notebooks():
    assert len(NAMES) == 5, NAMES


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_top_to_bottom(endpoint, name, monkeypatch):
    monkeypatch.setenv("SONGHONG_SQL_URL", endpoint["url"])
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), f"{name} has committed outputs"
    assert nb.cells[0].cell_type == "markdown" and "**Question" in nb.cells[0].source, "starts with the question"
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    figures = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {})]
    assert figures, f"{name} draws no chart"
