import pytest

from kenshu.cli.show_config import render_config
from kenshu.errors import SettingsError
from kenshu.settings import OFFLINE_MODEL, resolve, user_config_path


def write_user_config(text: str) -> None:
    path = user_config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_with_no_settings_the_backend_is_offline_with_its_own_model():
    settings = resolve()
    assert (settings.backend, settings.model) == ("offline", OFFLINE_MODEL)
    assert settings.source_of("backend") == "既定値"


def test_asking_the_offline_engine_on_a_pc_set_up_for_a_real_model_uses_the_engines_model(isolated_settings,
                                                                                           monkeypatch):
    # lesson 03 sends a 機密性3 text with backend="offline" while the PC is set up for a real model
    monkeypatch.setenv("KENSHU_BACKEND", "compatible")
    monkeypatch.setenv("KENSHU_MODEL", "llama3.1")
    assert resolve().model == "llama3.1"
    assert (resolve(backend="offline").backend, resolve(backend="offline").model) == ("offline", OFFLINE_MODEL)
    assert resolve(backend="offline", model="chosen").model == "chosen"  # named with it: the learner's choice
    monkeypatch.setenv("KENSHU_BACKEND", "offline")
    assert resolve().model == "llama3.1"  # both set together: the engine's 404 message says what to change


def test_working_directory_toml_wins_over_user_toml(isolated_settings):
    write_user_config('backend = "openai"\nmodel = "user-model"\n')
    (isolated_settings / "kenshu.toml").write_text('model = "project-model"\n', encoding="utf-8")
    settings = resolve()
    assert settings.backend == "openai"
    assert settings.model == "project-model"
    assert settings.source_of("model").endswith("kenshu.toml")
    assert "user-config" in settings.source_of("backend")


def test_toml_in_a_parent_folder_applies_to_notebooks_in_course(isolated_settings, monkeypatch):
    (isolated_settings / "kenshu.toml").write_text('backend = "compatible"\n', encoding="utf-8")
    course = isolated_settings / "course"
    course.mkdir()
    monkeypatch.chdir(course)
    assert resolve().backend == "compatible"


def test_environment_wins_over_toml(isolated_settings, monkeypatch):
    (isolated_settings / "kenshu.toml").write_text('backend = "compatible"\nmodel = "from-file"\n')
    monkeypatch.setenv("KENSHU_MODEL", "from-env")
    settings = resolve()
    assert settings.model == "from-env"
    assert settings.source_of("model") == "環境変数 KENSHU_MODEL"
    assert settings.backend == "compatible"


def test_explicit_arguments_win_over_environment(monkeypatch):
    monkeypatch.setenv("KENSHU_BACKEND", "openai")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://env.example/v1")
    settings = resolve(backend="compatible", base_url="http://127.0.0.1:1/v1")
    assert (settings.backend, settings.base_url) == ("compatible", "http://127.0.0.1:1/v1")
    assert settings.source_of("backend") == "引数"


def test_environment_variables_map_to_every_setting(monkeypatch):
    monkeypatch.setenv("KENSHU_BACKEND", "AZURE")
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", "https://example.openai.azure.com/")
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "azure-secret")
    monkeypatch.setenv("OPENAI_API_VERSION", "2024-10-21")
    monkeypatch.setenv("KENSHU_TIMEOUT", "12.5")
    monkeypatch.setenv("KENSHU_MAX_RETRIES", "0")
    settings = resolve()
    assert settings.backend == "azure"
    assert settings.azure_api_key == "azure-secret"
    assert settings.api_version == "2024-10-21"
    assert (settings.timeout, settings.max_retries) == (12.5, 0)


def test_unknown_backend_name_says_which_values_are_allowed(monkeypatch):
    monkeypatch.setenv("KENSHU_BACKEND", "chatgpt")
    with pytest.raises(SettingsError) as caught:
        resolve()
    message = str(caught.value)
    assert "chatgpt" in message and "KENSHU_BACKEND" in message and "offline" in message


def test_broken_toml_names_the_file_and_how_to_fix_it(isolated_settings):
    (isolated_settings / "kenshu.toml").write_text('backend = offline\n', encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        resolve()
    assert "kenshu.toml" in str(caught.value)
    assert "対処" in str(caught.value)


def test_misspelt_key_in_toml_is_reported(isolated_settings):
    (isolated_settings / "kenshu.toml").write_text('bakend = "openai"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match="bakend"):
        resolve()


@pytest.mark.parametrize("value", ["0", "-3", "soon"])
def test_timeout_must_be_a_positive_number(monkeypatch, value):
    monkeypatch.setenv("KENSHU_TIMEOUT", value)
    with pytest.raises(SettingsError, match="KENSHU_TIMEOUT"):
        resolve()


def test_config_shows_sources_and_masks_keys(monkeypatch):
    secret = "sk-proj-THIS-IS-A-SECRET-KEY-1234"
    monkeypatch.setenv("KENSHU_BACKEND", "openai")
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    text = render_config()
    assert secret not in text
    assert "THIS-IS-A-SECRET" not in text
    assert "環境変数 OPENAI_API_KEY" in text
    assert "openai" in text


def test_config_notes_keys_that_the_offline_backend_ignores(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-some-key-value-long-enough")
    text = render_config()
    assert "使われません" in text and "api_key" in text
