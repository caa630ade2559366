"""Outputs are written whole or not at all (files.write_atomic), and an output path that cannot
be written is refused before the solve."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner
from conftest import scenario_dict, write_scenario

from periodize.cli.main import main
from periodize.core.files import write_atomic


def test_a_write_replaces_the_file_whole(tmp_path):
    target = tmp_path / "plan.json"
    target.write_text("old")
    write_atomic(target, "new plan")
    assert target.read_text() == "new plan"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]  # no part file left


def test_a_failed_write_leaves_the_old_file_and_no_part(tmp_path, monkeypatch):
    target = tmp_path / "plan.json"
    target.write_text("old")

    def broken_rename(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_rename)
    with pytest.raises(OSError):
        write_atomic(target, "half of a new plan")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]


def test_an_output_path_that_is_a_folder_is_refused_before_the_solve(tmp_path):
    scenario = write_scenario(tmp_path / "tiny.toml", scenario_dict(days=7))
    folder = tmp_path / "plan.json"
    folder.mkdir()
    result = CliRunner().invoke(main, ["solve", str(scenario), "--out", str(folder)])
    assert result.exit_code == 2
    assert "is a directory" in result.output and str(folder) in result.output
    assert "status" not in result.output  # nothing was solved
