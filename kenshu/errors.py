"""Errors a person can act on: what happened and which setting to change, in Japanese.

Every kenshu error renders in a notebook as its message alone (IPython honours
``_render_traceback_``), so a learner sees what to do, not a traceback.
"""

from __future__ import annotations


class KenshuError(Exception):
    """Base class: ``what`` happened, ``todo`` says how to fix it, ``setting`` names the knob."""

    title = "kenshu のエラー"

    def __init__(self, what: str, *, todo: str = "", setting: str | None = None) -> None:
        super().__init__(what)
        self.what = what
        self.todo = todo
        self.setting = setting

    def __str__(self) -> str:
        return f"{self.what}\n対処: {self.todo}" if self.todo else self.what

    def _render_traceback_(self) -> list[str]:
        lines = [f"⚠ {self.title}", *f"{self}".splitlines()]
        return [f"\x1b[31m{lines[0]}\x1b[0m", *lines[1:]]


class SettingsError(KenshuError):
    title = "設定に誤りがあります"


class MissingAPIKeyError(SettingsError):
    title = "APIキーが設定されていません"


class ServerUnreachableError(KenshuError):
    title = "接続先につながりません"


class RequestTimeoutError(KenshuError):
    title = "応答が時間内に返りませんでした"


class AuthenticationFailedError(KenshuError):
    title = "APIキーが受け付けられませんでした"


class AccessDeniedError(KenshuError):
    title = "この操作は許可されていません"


class UnknownModelError(KenshuError):
    title = "モデルが見つかりません"


class RateLimitedError(KenshuError):
    title = "利用の上限に達しました"


class ServerError(KenshuError):
    title = "接続先のサーバーでエラーが起きました"


class RequestRejectedError(KenshuError):
    title = "依頼の内容が受け付けられませんでした"


class AuditLogError(KenshuError):
    title = "利用記録（監査ログ）を扱えませんでした"


class PolicyError(SettingsError):
    """The gate policy file cannot be read or has mistakes; ``problems`` lists each one."""

    title = "送信ルール（ポリシー）の設定に誤りがあります"

    def __init__(self, what: str, *, todo: str = "", setting: str | None = None,
                 problems: tuple[str, ...] = ()) -> None:
        super().__init__(what, todo=todo, setting=setting)
        self.problems = problems


class GateBlockedError(KenshuError):
    """The gate stopped a call before anything was sent: the policy forbids it."""

    title = "送信を止めました（情報の取り扱いルール）"


class ManualError(KenshuError):
    title = "手引きのファイルを読めません"


class GuidelineError(KenshuError):
    title = "ガイドラインの選択に誤りがあります"


class CatalogueError(KenshuError):
    title = "事例集のファイルに誤りがあります"


class ClassroomError(KenshuError):
    title = "研修の運営の操作ができませんでした"
