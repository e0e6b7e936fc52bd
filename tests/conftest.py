import pytest

from kenshu.settings import ENV_VARS


@pytest.fixture(autouse=True)
def isolated_settings(monkeypatch, tmp_path):
    """No environment variables and no kenshu.toml unless a test sets them."""
    for variable in (*ENV_VARS.values(), "KENSHU_DATASETS"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "user-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "user-data"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work
