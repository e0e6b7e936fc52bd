"""Turn the openai SDK's exceptions into kenshu errors that say what to do."""

from __future__ import annotations

import openai

from kenshu import errors
from kenshu.gate.transport import GATE_ERROR_CODE
from kenshu.settings import Settings

_KEY_SETTING = {"azure": "AZURE_OPENAI_API_KEY"}
_URL_SETTING = {"azure": "AZURE_OPENAI_ENDPOINT"}


def _server_message(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict) and body.get("message"):
        return str(body["message"])
    return exc.message


def _gate_block(exc: openai.PermissionDeniedError) -> errors.GateBlockedError | None:
    """The gate's own 403 (kenshu.gate.transport): its body says what happened and what to do."""
    body = exc.body
    if not isinstance(body, dict) or body.get("code") != GATE_ERROR_CODE:
        return None
    what, todo = body.get("what"), body.get("todo")
    return errors.GateBlockedError(what if isinstance(what, str) and what else "送信ルール（ポリシー）により送信を止めました。",
                                   todo=todo if isinstance(todo, str) else "", setting="KENSHU_POLICY")


def explain(exc: openai.OpenAIError, settings: Settings, endpoint: str) -> errors.KenshuError:
    """The kenshu error for an SDK failure; ``endpoint`` is the URL that was called."""
    key_var = _KEY_SETTING.get(settings.backend, "OPENAI_API_KEY")
    url_var = _URL_SETTING.get(settings.backend, "OPENAI_BASE_URL")

    def where(status: int | None = None) -> str:
        return f"（{status}、接続先: {endpoint}）" if status else f"（接続先: {endpoint}）"

    if isinstance(exc, openai.APITimeoutError):
        return errors.RequestTimeoutError(
            f"接続先から {settings.timeout:g} 秒以内に応答がありませんでした{where()}。",
            todo="しばらく待って再実行してください。長い文章を扱うときは KENSHU_TIMEOUT（秒）を大きくしてください。",
            setting="KENSHU_TIMEOUT")
    if isinstance(exc, openai.APIConnectionError):
        return errors.ServerUnreachableError(
            f"接続先のサーバーにつながらないか、応答が途中で切れました{where()}。",
            todo=f"サーバーが起動しているか、{url_var}（または kenshu.toml）のアドレスとポート番号が正しいか確認してください。"
                 "ネットワークにつながらない端末では KENSHU_BACKEND=offline で練習できます。",
            setting=url_var)
    if isinstance(exc, openai.AuthenticationError):
        return errors.AuthenticationFailedError(
            f"APIキーが接続先に受け付けられませんでした{where(401)}。",
            todo=f"{key_var} に正しいキーを設定してください。キーの有効期限や、貼り付け時の余分な空白も確認してください。",
            setting=key_var)
    if isinstance(exc, openai.PermissionDeniedError):
        blocked = _gate_block(exc)
        if blocked:
            return blocked
        return errors.AccessDeniedError(
            f"このキーでは、この操作が許可されていません{where(403)}。接続先の説明: {_server_message(exc)}",
            todo=f"管理者に権限を確認するか、権限のある {key_var} を使ってください。",
            setting=key_var)
    if isinstance(exc, openai.NotFoundError):
        return errors.UnknownModelError(
            f"モデル「{settings.model}」が接続先に見つかりませんでした{where(404)}。",
            todo="KENSHU_MODEL（または kenshu.toml の model）を接続先で使えるモデル名にしてください。"
                 "使えるモデルは `python3 run.py doctor`（Windows は `py run.py doctor`）で確認できます。Azure では「デプロイ名」を指定します。",
            setting="KENSHU_MODEL")
    if isinstance(exc, openai.RateLimitError):
        return errors.RateLimitedError(
            f"利用回数または利用額の上限に達しました{where(429)}。接続先の説明: {_server_message(exc)}",
            todo="1 分ほど待ってから再実行してください。続く場合は契約の利用上限を管理者に確認してください。"
                 "研修を止めたくないときは KENSHU_BACKEND=offline に切り替えられます。",
            setting="KENSHU_BACKEND")
    if isinstance(exc, openai.InternalServerError):
        return errors.ServerError(
            f"接続先のサーバーで障害が起きています{where(exc.status_code)}。",
            todo="時間をおいて再実行してください。続く場合はサーバーの管理者に連絡するか、KENSHU_BACKEND=offline で練習を続けてください。",
            setting="KENSHU_BACKEND")
    if isinstance(exc, openai.APIStatusError):
        return errors.RequestRejectedError(
            f"接続先が依頼を受け付けませんでした{where(exc.status_code)}。接続先の説明: {_server_message(exc)}",
            todo="送った内容や指定した値（max_tokens など）を見直してください。")
    return errors.KenshuError(f"生成AIの呼び出しに失敗しました: {exc}",
                              todo="`python3 run.py doctor`（Windows は `py run.py doctor`）を実行して、設定と接続先を確認してください。")
