"""The ``kenshu`` command: start, serve, audit, policy, exercises, class, faq, guideline, cases, doctor, config."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kenshu.errors import KenshuError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kenshu", description="生成AI研修キット kenshu のコマンド")
    commands = parser.add_subparsers(dest="command", metavar="コマンド")

    start = commands.add_parser("start", help="研修を JupyterLab で開く")
    start.add_argument("--trainer", action="store_true", help="講師用の表示（nbgrader の講師用ツールを表示）")
    start.add_argument("--no-browser", action="store_true", help="ブラウザーを自動で開かない")
    start.add_argument("--port", type=int, default=None, help="使うポート番号（既定: 8888 から空きを探す）")
    start.add_argument("--dir", type=Path, default=None, help="キットのフォルダー（既定: 現在のフォルダーから探す）")

    serve = commands.add_parser("serve", help="オフライン練習エンジンを研修室用の OpenAI 互換サーバーとして起動する")
    serve.add_argument("--host", default="127.0.0.1", help="待ち受けるアドレス（既定: 127.0.0.1。研修室の他の PC から使うときは 0.0.0.0）")
    serve.add_argument("--port", type=int, default=8000, help="ポート番号（既定: 8000）")
    serve.add_argument("--api-key", default=None,
                       help="受講者の PC が送る必要のあるキー。コマンドに書いたキーは PC の他の利用者からも見えるので、"
                            "環境変数 KENSHU_SERVE_API_KEY か --api-key-file を使ってください（どれもなければキー不要）")
    serve.add_argument("--api-key-file", type=Path, default=None, metavar="FILE",
                       help="キーを 1 行目に書いたファイル（環境変数 KENSHU_SERVE_API_KEY でも指定できます）")
    serve.add_argument("--max-body-kb", type=int, default=1024, help="受け付けるリクエスト本文の上限（KB、既定: 1024）")

    audit = commands.add_parser("audit", help="利用記録（監査ログ）を扱う")
    audit_commands = audit.add_subparsers(dest="audit_command", metavar="操作")
    export = audit_commands.add_parser("export", help="利用記録を CSV に書き出す")
    export.add_argument("--output", "-o", type=Path, default=Path("kenshu-audit.csv"), help="書き出す CSV ファイル（既定: kenshu-audit.csv）")
    export.add_argument("--since", default=None, help="この日以降の記録だけを書き出す（例: 2026-04-01）")

    policy = commands.add_parser("policy", help="送信ルール（ポリシー）を扱う")
    policy_commands = policy.add_subparsers(dest="policy_command", metavar="操作")
    check = policy_commands.add_parser("check", help="ポリシーファイルの書式と内容を点検する")
    check.add_argument("path", type=Path, nargs="?", default=None, help="ポリシーファイル（省略時: いま有効なもの）")

    exercises = commands.add_parser("exercises", help="受講者用の課題（exercises/）を扱う（講師用）")
    exercises_commands = exercises.add_subparsers(dest="exercises_command", metavar="操作")
    build = exercises_commands.add_parser("build", help="solutions/ から受講者用の exercises/ を作り直す（nbgrader を使用）")
    build.add_argument("--assignment", default=None, metavar="課題名", help="この課題だけを作り直す（既定: すべて）")
    build.add_argument("--force", action="store_true",
                       help="exercises/ に保存された解答など、作り直すと消えるものがあっても作り直す")
    grading = exercises_commands.add_parser("report", help="採点結果と、確かめるべき点（不正の疑いなど）を表示する")
    grading.add_argument("assignment", metavar="課題名")
    grading.add_argument("--csv", type=Path, default=None, help="結果を CSV にも書き出す")

    klass = commands.add_parser("class", help="研修の運営（講師用）")
    class_commands = klass.add_subparsers(dest="class_command", metavar="操作")
    pack = class_commands.add_parser(
        "pack", help="受講者用の一式（解答なし）を zip にまとめる",
        description="受講者に配る一式を zip にまとめます。solutions/（解答と非公開テスト）、grader/、kenshu.toml は入りません。")
    pack.add_argument("assignments", nargs="*", metavar="課題名", help="入れる課題（省略時: exercises/ のすべて）")
    pack.add_argument("--out", type=Path, default=None, help="作る zip ファイル（既定: 現在のフォルダーに kenshu-learner-….zip）")

    roster = class_commands.add_parser("roster", help="受講者の名簿を扱う")
    roster_commands = roster.add_subparsers(dest="roster_command", metavar="操作")
    roster_import = roster_commands.add_parser("import", help="名簿（CSV・Excel。受講者ID・氏名・所属課）を採点記録に読み込む")
    roster_import.add_argument("path", type=Path, metavar="名簿.csv|名簿.xlsx")
    collect = class_commands.add_parser("collect", help="共有フォルダーの提出を、受講者ごと・課題ごとに取り込む",
                                        description="ファイル名かフォルダー名の受講者IDと、ノートブックの中身（採点するセル）で、"
                                                    "受講者と課題を見分けて取り込みます。新しい提出を古いもので置き換えることはありません。")
    collect.add_argument("folder", type=Path, metavar="提出フォルダー")
    collect.add_argument("--csv", type=Path, default=None, help="取り込みの記録を CSV にも書き出す")
    grade = class_commands.add_parser(
        "grade", help="取り込んだ提出を並行して採点する",
        description="grader/submitted/ の提出を、いくつかの採点係（ジョブ）で同時に採点します。受講者のコードは提出ごとに"
                    "別のプロセスで、制限付きで実行します。まだ採点していない提出と、採点の後に取り込み直した提出だけを採点します。")
    grade.add_argument("assignment", metavar="課題名")
    grade.add_argument("--jobs", type=int, default=None, help="同時に採点する数（既定: CPU のコア数）")
    grade.add_argument("--force", action="store_true", help="採点済みの提出も、すべて採点し直す")
    grade.add_argument("--feedback", action="store_true",
                       help="受講者に返す結果（日本語の HTML。非公開のテストは含まない）も grader/feedback/ に作る")
    records = {"report": "受講者・所属課・問ごとの結果を Excel（と CSV）に書き出す",
               "certificates": "修了した受講者の修了証（Word）と、人事向けの研修記録 CSV を作る"}
    for action, text in records.items():
        command = class_commands.add_parser(action, help=text, description=text + "。")
        command.add_argument("assignments", nargs="*", metavar="課題名", help="対象の課題（省略時: 採点したすべての課題）")
        command.add_argument("--pass", dest="pass_percent", type=float, default=60,
                             help="修了の基準: すべての課題で基本の点が満点のこの％以上（既定: 60）")
        if action == "report":
            command.add_argument("--out", type=Path, default=Path("研修結果.xlsx"), help="書き出す Excel（既定: 研修結果.xlsx）")
        else:
            command.add_argument("--out", type=Path, default=Path("修了証"), help="作るフォルダー（既定: 修了証）")
            command.add_argument("--course", default="生成AI研修", help="研修名（既定: 生成AI研修）")
            command.add_argument("--date", default=None, help="実施日（例: 2027-04-15。既定: 今日）")
            command.add_argument("--hours", type=float, default=6, help="研修の時間（既定: 6）")
            command.add_argument("--issuer", default="若葉市長", help="修了証の発行者（既定: 若葉市長）")

    faq = commands.add_parser("faq", help="会計事務の手引きから質問に答える（問合せボット）",
                              description="手引きの節を探し、根拠の節の番号 [ACC-xx] を付けて答えます。"
                                          "手引きにないことは「手引きに定めがありません」と答えます。")
    faq.add_argument("question", nargs="?", default=None, metavar="質問")
    faq.add_argument("--manual", type=Path, default=None,
                     help="使う手引き（.md・.docx・.pdf。既定: キットの若葉市 会計事務の手引き）")
    faq.add_argument("--evaluate", nargs="?", const=True, default=None, metavar="CSV",
                     help="質問の CSV（既定: datasets/accounting/faq.csv）で、検索の正しさと断る判断を測る")

    guideline = commands.add_parser("guideline", help="自団体の生成AI利用ガイドライン（Word）と送信ルールを作る")
    guideline_commands = guideline.add_subparsers(dest="guideline_command", metavar="操作")
    for action, target, text in (
            ("write", "FILE.docx", "ガイドラインを Word のファイルに書く"),
            ("policy", "FILE.toml", "ガイドラインと同じ選択の送信ルール（ポリシー）を書く"),
            ("choices", "FILE.toml", "既定の選択を、書き換えられる TOML のファイルに書く")):
        command = guideline_commands.add_parser(action, help=text, description=text + "。選択を省くと既定の選択（そのまま使える内容）です。")
        command.add_argument("path", type=Path, metavar=target)
        if action != "choices":
            command.add_argument("--choices", type=Path, default=None, metavar="選択.toml",
                                 help="選択のファイル（kenshu guideline choices で作る。省略時: 既定の選択）")
        command.add_argument("--force", action="store_true", help="同じ名前のファイルがあれば上書きする")

    cases = commands.add_parser("cases", help="活用事例集を点検・一覧・書き出し・取り込みする")
    cases_commands = cases.add_subparsers(dest="cases_command", metavar="操作")
    for action, text in (("validate", "事例集のすべての事例を、形式と送信ルールに照らして点検する"),
                         ("list", "事例の一覧を表示する"),
                         ("export", "事例集を Excel（.xlsx）か Word（.docx）に書き出す"),
                         ("merge", "ほかの団体の事例（ファイルかフォルダー）を番号で突き合わせて取り込む")):
        command = cases_commands.add_parser(action, help=text, description=text + "。")
        if action == "export":
            command.add_argument("target", type=Path, metavar="FILE.xlsx|FILE.docx")
        if action == "merge":
            command.add_argument("target", type=Path, metavar="取り込む事例")
        command.add_argument("--catalogue", type=Path, default=None, metavar="フォルダー",
                             help="事例集のフォルダー（既定: キットの datasets/cases）")

    record = commands.add_parser(
        "record", help="実際のモデルの応答を録画する（record check で配る前に確かめる）",
        description="ノートブックを実際のモデルで上から実行し、応答を録画します。"
                    "`record check 録画.jsonl --out 配布用.jsonl` で個人情報がないか確かめ、配布用のファイルを作ります。")
    record.add_argument("items", nargs="+", metavar="ノートブック", help="録画するノートブック（または check と録画ファイル）")
    record.add_argument("--out", type=Path, default=None, help="録画の保存先（check では配布用のファイル）")
    commands.add_parser("doctor", help="動作環境と接続先を点検する")
    commands.add_parser("config", help="いま有効な設定と、その設定元を表示する")
    return parser


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")  # a cp932 console must not crash on ✓
    args = _parser().parse_args(argv)
    try:
        if args.command == "start":
            from kenshu.cli.start import start
            return start(trainer=args.trainer, open_browser=not args.no_browser, port=args.port, folder=args.dir)
        if args.command == "serve":
            from kenshu.cli.serve import serve
            return serve(host=args.host, port=args.port, api_key=args.api_key, max_body_bytes=args.max_body_kb * 1024,
                         key_file=args.api_key_file)
        if args.command == "audit" and args.audit_command == "export":
            from kenshu.cli.audit_export import export_audit
            return export_audit(output=args.output, since=args.since)
        if args.command == "faq":
            from kenshu.cli.faq import ask_faq
            return ask_faq(args.question, manual=args.manual, evaluate=args.evaluate)
        if args.command == "policy" and args.policy_command == "check":
            from kenshu.cli.policy_check import check_policy
            return check_policy(args.path)
        if args.command == "exercises" and args.exercises_command == "build":
            from kenshu.cli.exercises import build_exercises
            return build_exercises(assignment=args.assignment, force=args.force)
        if args.command == "exercises" and args.exercises_command == "report":
            from kenshu.cli.grading_report import report
            return report(args.assignment, csv_path=args.csv)
        if args.command == "class" and args.class_command == "pack":
            from kenshu.cli.class_pack import run_pack
            return run_pack(args.assignments, args.out)
        if args.command == "guideline" and args.guideline_command:
            from kenshu.cli.guideline import run_guideline
            return run_guideline(args.guideline_command, args.path, choices=getattr(args, "choices", None),
                                 force=args.force)
        if args.command == "cases" and args.cases_command:
            from kenshu.cli.cases import run_cases
            return run_cases(args.cases_command, catalogue=args.catalogue, target=getattr(args, "target", None))
        if args.command == "class" and args.class_command == "roster" and args.roster_command == "import":
            from kenshu.cli.class_run import roster_import
            return roster_import(args.path)
        if args.command == "class" and args.class_command == "collect":
            from kenshu.cli.class_run import collect_submissions
            return collect_submissions(args.folder, args.csv)
        if args.command == "class" and args.class_command == "grade":
            from kenshu.cli.class_run import class_grade
            return class_grade(args.assignment, jobs=args.jobs, force=args.force, feedback=args.feedback)
        if args.command == "class" and args.class_command == "report":
            from kenshu.cli.class_run import class_report
            return class_report(args.assignments, args.out, args.pass_percent)
        if args.command == "class" and args.class_command == "certificates":
            from kenshu.cli.class_run import class_certificates
            return class_certificates(args.assignments, args.out, course=args.course, day=args.date, hours=args.hours,
                                      issuer=args.issuer, pass_percent=args.pass_percent)
        if args.command == "record":
            from kenshu.cli.record import run_record
            return run_record(args.items, args.out)
        if args.command == "doctor":
            from kenshu.cli.doctor import doctor
            return doctor()
        if args.command == "config":
            from kenshu.cli.show_config import show_config
            return show_config()
    except KenshuError as exc:
        print(f"[kenshu] {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    _parser().print_help()
    return 2
