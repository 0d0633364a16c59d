"""Finding the scenarios of a tournament in files, names and folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from tratado.errors import TratadoError
from tratado.experiments.sources import expand, fingerprint, load_all
from tratado.formats import bundled_examples, load, save


@pytest.mark.filterwarnings("ignore::tratado.formats._notes.FormatNote")  # what GENIUS cannot hold
def test_a_folder_gives_yaml_files_and_domain_folders_in_sorted_order(tmp_path: Path) -> None:
    examples = bundled_examples()
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "z.yaml").write_bytes(examples["job-offer"].read_bytes())
    (tmp_path / "b" / "a.yml").write_bytes(examples["river-basin"].read_bytes())
    (tmp_path / ".hidden" / "x.yaml").write_text("not a scenario", encoding="utf-8")
    save(load("venezuela-2021"), tmp_path / "b" / "genius", "genius")
    save(load("venezuela-2021"), tmp_path / "c-web", "geniusweb")
    found = expand([str(tmp_path)])
    names = [Path(files[0]).relative_to(tmp_path).as_posix() for files in found]
    assert names[0] == "z.yaml" and names[1] == "b/a.yml"
    assert names[2].startswith("b/genius/") and names[3].startswith("c-web/")
    assert len(found) == 4 and all(f.endswith(".xml") for f in found[2])


def test_scenarios_sharing_a_title_are_told_apart_by_path(tmp_path: Path) -> None:
    (tmp_path / "one.yaml").write_bytes(bundled_examples()["job-offer"].read_bytes())
    entries = load_all(["job-offer", str(tmp_path / "one.yaml")])
    assert entries[0].label == "Job offer (job-offer)"
    assert entries[1].label == f"Job offer ({tmp_path / 'one.yaml'})"
    assert entries[0].fingerprint == entries[1].fingerprint == fingerprint(load("job-offer"))


def test_an_empty_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TratadoError, match="no scenario"):
        expand([str(tmp_path)])
