"""storyloc.files: atomic, change-aware writes, to a path given as a str or a Path."""
from pathlib import Path

import pytest

from storyloc.files import write_if_changed


@pytest.mark.parametrize("kind", [str, Path])
def test_a_write_makes_its_folders_and_skips_unchanged_bytes(tmp_path, kind):
    target = tmp_path / "new" / "deeper" / "out.po"
    assert write_if_changed(kind(target), b"one") is True
    assert target.read_bytes() == b"one"
    assert write_if_changed(kind(target), b"one") is False
    assert write_if_changed(kind(target), b"two") is True and target.read_bytes() == b"two"
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.po"]      # no temp file left


@pytest.mark.parametrize("kind", [str, Path])
def test_a_file_where_a_folder_should_be_is_named(tmp_path, kind):
    """Not the target, which cannot be opened for the comparison, but the file in the way."""
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    with pytest.raises(FileExistsError) as e:
        write_if_changed(kind(blocker / "out.po"), b"data")
    assert e.value.filename == str(blocker)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"] and blocker.read_text() == "x"


def test_a_str_path_ending_in_a_slash_is_refused_before_anything_is_made(tmp_path):
    """"out/" names a folder: the write says so, and makes neither it nor its parents."""
    for name in ("out/", "sub/out/"):
        with pytest.raises(IsADirectoryError) as e:
            write_if_changed(str(tmp_path / "x")[:-1] + name, b"data")
        assert e.value.filename.endswith(name) and "names a folder" in str(e.value)
    assert list(tmp_path.iterdir()) == []
