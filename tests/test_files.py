"""Output files are written atomically and never replace what the user did not ask to."""

import errno
import os

import pytest

from tratado.errors import TratadoError
from tratado.files import atomic_write, atomic_writer, refuse_clashes, refuse_overwrite, write_error


def test_atomic_write_replaces_whole_file(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    atomic_write(target, "new contents")
    assert target.read_text(encoding="utf-8") == "new contents"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_failed_write_leaves_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "record.json"
    target.write_text("precious", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_writer(target) as out:
        out.write("partial")
        raise RuntimeError("interrupted")
    assert target.read_text(encoding="utf-8") == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["record.json"]


def test_write_error_names_the_file():
    error = write_error("/some/where/plot.png", OSError(errno.ENOSPC, "No space left on device"))
    assert "/some/where/plot.png" in str(error) and "disk is full" in str(error)


def test_missing_folder_is_a_clean_error(tmp_path):
    with pytest.raises(TratadoError, match="nope"):
        atomic_write(tmp_path / "nope" / "x.json", "{}")


def test_new_file_gets_ordinary_permissions(tmp_path):
    target = tmp_path / "x.txt"
    atomic_write(target, b"abc")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_refuse_overwrite(tmp_path):
    target = tmp_path / "s.yaml"
    refuse_overwrite(target, False)
    target.write_text("x", encoding="utf-8")
    with pytest.raises(TratadoError, match="--force"):
        refuse_overwrite(target, False)
    refuse_overwrite(target, True)


def test_refuse_clashes(tmp_path):
    scenario = tmp_path / "mine.yaml"
    scenario.write_text("x", encoding="utf-8")
    with pytest.raises(TratadoError, match="overwrite the input"):
        refuse_clashes({"--log": scenario}, [scenario])
    with pytest.raises(TratadoError, match="same file"):
        refuse_clashes({"--log": tmp_path / "a.png", "--plot": tmp_path / "a.png"})
    with pytest.raises(TratadoError, match="overwrite the input"):
        refuse_clashes({"--log": tmp_path / "x.json"}, [tmp_path])
    refuse_clashes({"--log": tmp_path / "a.json", "--plot": None}, [scenario])


def test_read_input_refuses_what_it_should_not_read(tmp_path):
    from tratado.files import read_input
    from tratado.limits import override

    big = tmp_path / "big.json"
    big.write_bytes(b"x" * 100)
    assert read_input(big) == b"x" * 100
    with override(input_bytes=10), pytest.raises(TratadoError, match="100 bytes, more than the 10"):
        read_input(big)
    with pytest.raises(TratadoError, match="folder, not a bundle"):
        read_input(tmp_path, what="bundle")
    with pytest.raises(TratadoError, match="does not exist") as missing:
        read_input(tmp_path / "nope.json", fix="give the record.")
    assert missing.value.file == str(tmp_path / "nope.json") and missing.value.fix == "give the record."
