"""``[tool.storyloc]`` settings added with the document model: each mistake names its line."""
import pytest

from storyloc.config import Project
from storyloc.errors import ConfigError


def _project(tmp_path, extra: str) -> Project:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.storyloc]\nsource_language = "en"\nlanguages = ["uk"]\n' + extra, encoding="utf-8")
    return Project.load(tmp_path)


def test_embed_hosts_are_host_names(tmp_path):
    assert _project(tmp_path, 'embed_hosts = ["www.youtube.com", "datawrapper.dwcdn.net"]\n').embed_hosts == (
        "www.youtube.com", "datawrapper.dwcdn.net")
    assert _project(tmp_path, "").embed_hosts == ()


@pytest.mark.parametrize("value, message", [
    ('"youtube.com"', "embed_hosts must be a list"),
    ('["https://youtube.com/"]', "not a host name: 'https://youtube.com/'"),
    ('["youtube"]', "not a host name: 'youtube'"),
    ("[3]", "not a host name: 3"),
])
def test_a_bad_embed_host_names_its_line(tmp_path, value, message):
    with pytest.raises(ConfigError) as caught:
        _project(tmp_path, f"\nembed_hosts = {value}\n")
    assert caught.value.line == 5 and message in caught.value.message
