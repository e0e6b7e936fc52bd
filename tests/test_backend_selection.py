import openai
import pytest

from kenshu import llm
from kenshu.errors import MissingAPIKeyError, SettingsError


def test_openai_backend_without_a_key_says_which_variable_to_set(monkeypatch):
    monkeypatch.setenv("KENSHU_BACKEND", "openai")
    monkeypatch.setenv("KENSHU_MODEL", "gpt-4.1-mini")
    with pytest.raises(MissingAPIKeyError) as caught:
        llm.client()
    assert "OPENAI_API_KEY" in str(caught.value)


def test_openai_backend_builds_an_openai_client(monkeypatch):
    monkeypatch.setenv("KENSHU_BACKEND", "openai")
    monkeypatch.setenv("KENSHU_MODEL", "gpt-4.1-mini")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-key")
    client = llm.client()
    assert type(client) is openai.OpenAI
    assert str(client.base_url).startswith("https://api.openai.com")


def test_azure_backend_builds_an_azure_client(monkeypatch):
    monkeypatch.setenv("KENSHU_BACKEND", "azure")
    monkeypatch.setenv("KENSHU_MODEL", "my-deployment")
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", "https://example.openai.azure.com/")
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "azure-key")
    monkeypatch.setenv("OPENAI_API_VERSION", "2024-10-21")
    client = llm.client()
    assert isinstance(client, openai.AzureOpenAI)
    assert "example.openai.azure.com" in str(client.base_url)


@pytest.mark.parametrize("missing", ["AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY", "OPENAI_API_VERSION"])
def test_azure_backend_names_each_missing_setting(monkeypatch, missing):
    values = {"AZURE_OPENAI_ENDPOINT": "https://example.openai.azure.com/",
              "AZURE_OPENAI_API_KEY": "azure-key", "OPENAI_API_VERSION": "2024-10-21"}
    monkeypatch.setenv("KENSHU_BACKEND", "azure")
    monkeypatch.setenv("KENSHU_MODEL", "my-deployment")
    for name, value in values.items():
        if name != missing:
            monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        llm.client()
    assert caught.value.setting == missing


def test_compatible_backend_needs_a_base_url():
    with pytest.raises(SettingsError) as caught:
        llm.client(backend="compatible", model="llama3.1")
    assert caught.value.setting == "OPENAI_BASE_URL"


def test_compatible_backend_needs_a_model_name():
    with pytest.raises(SettingsError) as caught:
        llm.client(backend="compatible", base_url="http://127.0.0.1:11434/v1")
    assert caught.value.setting == "KENSHU_MODEL"


def test_compatible_backend_works_without_a_key():
    client = llm.client(backend="compatible", base_url="http://127.0.0.1:11434/v1", model="llama3.1")
    assert type(client) is openai.OpenAI
    assert str(client.base_url) == "http://127.0.0.1:11434/v1/"
