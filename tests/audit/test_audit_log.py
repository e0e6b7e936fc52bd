"""The audit log as the pipeline, a notebook and a trainer use it: a real SQLite file,
real processes writing at once, a kernel killed mid-call, hostile text, the CSV export."""

import hashlib
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

import kenshu.audit
from kenshu.audit import AuditEntry, AuditLog, is_mynumber, open_log
from kenshu.audit.migrations import LATEST, MIGRATIONS
from kenshu.errors import AuditLogError, KenshuError
from kenshu.settings import ENV_VARS, resolve

VALID_MYNUMBER = "123456789018"


def entry(**changes) -> AuditEntry:
    fields = dict(backend="offline", model="kenshu-offline", endpoint="chat.completions",
                  prompt="こんにちは。議事録を要約してください。", response="要約：本日の議題は三件です。",
                  decision="allowed", reason="", confidentiality=1, prompt_tokens=12,
                  completion_tokens=8, latency_ms=3.25, status="ok", pii_kinds=())
    fields.update(changes)
    return AuditEntry(**fields)


def rows_in(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT count(*) FROM calls").fetchone()[0]


def integrity(path: Path) -> str:
    db = sqlite3.connect(path)
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def python(script: str, *args: str, **env: str) -> subprocess.Popen:
    environ = {k: v for k, v in os.environ.items() if k not in ENV_VARS.values()}
    environ.update(env)
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(script), *args], env=environ,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


# ---------------------------------------------------------------- record and read back

def test_a_call_recorded_with_japanese_text_reads_back_unchanged(tmp_path, monkeypatch):
    monkeypatch.setenv("KENSHU_USER", "市民課 山田")
    log = AuditLog(tmp_path / "audit.sqlite3")
    log.record(entry(decision="masked", reason="電話番号を伏せました", confidentiality=2,
                     pii_kinds=("phone", "email"), prompt="電話は［電話番号］です", model=None))

    row = log.frame().iloc[0]
    assert row["user"] == "市民課 山田"
    assert row["prompt"] == "電話は［電話番号］です"
    assert row["response"] == "要約：本日の議題は三件です。"
    assert row["decision"] == "masked" and row["reason"] == "電話番号を伏せました"
    assert row["pii_kinds"] == "phone,email"
    assert row["confidentiality"] == 2 and row["prompt_tokens"] == 12 and row["completion_tokens"] == 8
    assert row["latency_ms"] == 3.25 and row["status"] == "ok" and row["endpoint"] == "chat.completions"
    assert pd.isna(row["model"])
    assert abs(pd.Timestamp.now(tz="UTC") - row["time"]) < pd.Timedelta(minutes=1)


def test_entry_defaults_are_the_utc_time_with_milliseconds_and_the_login_name(monkeypatch):
    monkeypatch.setenv("KENSHU_USER", "trainer01")
    made = entry()
    assert made.user == "trainer01"
    assert len(made.time) == len("2026-04-01T00:00:00.000Z") and made.time.endswith("Z")
    monkeypatch.delenv("KENSHU_USER")
    assert entry().user  # the OS login name


def test_frame_has_typed_columns_and_lists_calls_oldest_first(tmp_path):
    log = AuditLog(tmp_path / "audit.sqlite3")
    log.record(entry(time="2026-04-02T10:00:00.000Z", prompt="二番目"))
    log.record(entry(time="2026-04-01T10:00:00.000+09:00", prompt="一番目", prompt_tokens=None,
                     confidentiality=None, latency_ms=None))
    log.record(entry(time="2026-04-03T00:00:00", prompt="三番目"))  # no offset: UTC by definition

    frame = log.frame()
    assert list(frame["prompt"]) == ["一番目", "二番目", "三番目"]
    assert isinstance(frame["time"].dtype, pd.DatetimeTZDtype) and str(frame["time"].dt.tz) == "UTC"
    assert frame["time"].iloc[0] == pd.Timestamp("2026-04-01T01:00:00Z")
    for column in ("confidentiality", "prompt_tokens", "completion_tokens"):
        assert frame[column].dtype == "Int64"
    assert frame["prompt_tokens"].isna().tolist() == [True, False, False]
    assert frame["latency_ms"].dtype == "float64"
    assert frame["id"].dtype == "int64"
    for column in ("user", "backend", "model", "endpoint", "decision", "status", "reason", "prompt", "response"):
        assert frame[column].dtype == "string", column


def test_a_new_log_gives_an_empty_frame_with_the_same_typed_columns(tmp_path):
    empty = AuditLog(tmp_path / "nested" / "folders" / "audit.sqlite3").frame()
    full = AuditLog(tmp_path / "other.sqlite3")
    full.record(entry())
    assert empty.empty
    assert list(empty.columns) == list(full.frame().columns)
    assert empty.dtypes.to_dict() == full.frame().dtypes.to_dict()


def test_since_keeps_calls_from_that_moment_on(tmp_path):
    log = AuditLog(tmp_path / "audit.sqlite3")
    for moment in ("2026-03-31T14:59:59.999Z", "2026-03-31T15:00:00.000Z", "2026-04-05T00:00:00.000Z"):
        log.record(entry(time=moment, prompt=moment))

    assert len(log.frame(since="2026-04-01T00:00:00+09:00")) == 2  # 4月1日 0:00 JST
    assert list(log.frame(since="2026-04-02")["prompt"]) == ["2026-04-05T00:00:00.000Z"]
    assert len(log.frame(since="2026/4/2")) == 1
    assert log.frame(since="2027-01-01").empty


def test_a_since_that_is_not_a_date_is_refused_in_japanese(tmp_path):
    with pytest.raises(AuditLogError) as caught:
        AuditLog(tmp_path / "audit.sqlite3").frame(since="先週")
    assert "先週" in caught.value.what and "2026-04-01" in caught.value.todo


# ---------------------------------------------------------------- schema and migrations

def test_a_new_file_is_created_at_the_latest_version_in_wal_mode(tmp_path):
    path = tmp_path / "audit.sqlite3"
    AuditLog(path).record(entry())
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA user_version").fetchone()[0] == LATEST >= 2
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        indexes = {row[1] for row in db.execute("PRAGMA index_list(calls)")}
        assert "calls_time" in indexes
        assert db.execute("SELECT pii_kinds FROM calls").fetchone()[0] == "[]"  # a real, queryable JSON array
    finally:
        db.close()


def test_an_empty_file_is_migrated_in_place(tmp_path):
    path = tmp_path / "audit.sqlite3"
    path.touch()
    log = AuditLog(path)
    assert log.version() == LATEST
    log.record(entry())
    assert rows_in(path) == 1


def test_a_version_1_file_is_upgraded_and_keeps_its_rows(tmp_path):
    path = tmp_path / "audit.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    MIGRATIONS[0](db)
    db.execute("PRAGMA user_version = 1")
    db.execute(
        "INSERT INTO calls (time, user, backend, model, endpoint, prompt, response, decision, reason,"
        " confidentiality, prompt_tokens, completion_tokens, latency_ms, status)"
        " VALUES ('2026-01-05T00:00:00.000Z', '旧版の職員', 'openai', 'gpt-4o-mini', 'chat.completions',"
        " '古い記録', '', 'blocked', '機密区分3', 3, NULL, NULL, NULL, 'blocked')")
    db.close()

    log = AuditLog(path)
    old = log.frame()
    assert log.version() == LATEST
    assert len(old) == 1 and old["user"].iloc[0] == "旧版の職員" and old["pii_kinds"].iloc[0] == ""
    log.record(entry(pii_kinds=("mynumber",)))
    assert log.frame()["pii_kinds"].tolist() == ["", "mynumber"]
    assert integrity(path) == "ok"


def test_a_file_from_a_newer_kenshu_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "audit.sqlite3"
    AuditLog(path).record(entry())
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {LATEST + 1}")
    db.commit()
    db.close()
    before = digest(path)

    for use in (lambda log: log.record(entry()), lambda log: log.frame()):
        with pytest.raises(AuditLogError) as caught:
            use(AuditLog(path))
        assert "新しい版" in caught.value.what and "変更していません" in caught.value.what
        assert "更新" in caught.value.todo
    assert digest(path) == before


def test_a_sqlite_file_that_is_not_an_audit_log_is_refused_untouched(tmp_path):
    path = tmp_path / "住民台帳.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE residents (name TEXT)")
    db.commit()
    db.close()
    before = digest(path)
    with pytest.raises(AuditLogError, match="利用記録ではない"):
        AuditLog(path).record(entry())
    assert digest(path) == before


def test_a_corrupt_file_gives_japanese_advice_and_is_left_alone(tmp_path):
    path = tmp_path / "audit.sqlite3"
    path.write_bytes(b"this is not sqlite at all\x00\xff" * 100)
    before = digest(path)
    with pytest.raises(AuditLogError) as caught:
        AuditLog(path).record(entry())
    assert "壊れている" in caught.value.what and "別の名前" in caught.value.todo
    assert caught.value.setting == "KENSHU_AUDIT_LOG"
    assert isinstance(caught.value, KenshuError)
    assert digest(path) == before


def test_an_unwritable_location_gives_japanese_advice(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(AuditLogError) as caught:
        AuditLog(blocker / "audit.sqlite3")
    assert "書き込めません" in caught.value.what and "KENSHU_AUDIT_LOG" in caught.value.todo


def test_a_folder_given_as_the_log_path_is_refused_with_an_example_file_name(tmp_path):
    with pytest.raises(AuditLogError) as caught:
        AuditLog(tmp_path)
    assert "フォルダー" in caught.value.what and "audit.sqlite3" in caught.value.todo


# ---------------------------------------------------------------- several kernels, killed kernels

WRITER = """
    import sys, time
    from pathlib import Path
    from kenshu.audit import AuditEntry, AuditLog
    path, worker, count, gate = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
    log = AuditLog(path)
    (gate / f"ready-{worker}").touch()
    while not (gate / "go").exists():  # start together, once every interpreter is up
        time.sleep(0.002)
    for i in range(count):
        log.record(AuditEntry(backend="offline", model=None, endpoint="chat.completions",
                              prompt=f"{worker}:{i}:" + "議事録" * 300, response=f"{worker}:{i}",
                              decision="allowed", reason="", confidentiality=None, prompt_tokens=i,
                              completion_tokens=None, latency_ms=None, status="ok", pii_kinds=()))
"""


def test_several_processes_writing_at_once_lose_no_row(tmp_path):
    path = tmp_path / "shared" / "audit.sqlite3"  # not created yet: the writers race to create it
    workers, count = 8, 40  # eight kernels of a class writing at once
    gate = tmp_path / "gate"
    gate.mkdir()
    procs = [python(WRITER, str(path), f"w{n}", str(count), str(gate)) for n in range(workers)]
    deadline = time.monotonic() + 60
    while len(list(gate.glob("ready-*"))) < workers:
        assert all(proc.poll() is None for proc in procs), [proc.stderr.read() for proc in procs]
        assert time.monotonic() < deadline
        time.sleep(0.01)
    (gate / "go").touch()
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err

    frame = AuditLog(path).frame()
    assert len(frame) == workers * count
    assert set(frame["response"]) == {f"w{n}:{i}" for n in range(workers) for i in range(count)}
    assert integrity(path) == "ok"


KILLED_WRITER = """
    import sys
    from kenshu.audit import AuditEntry, AuditLog
    log = AuditLog(sys.argv[1])
    i = 0
    while True:
        log.record(AuditEntry(backend="offline", model="m", endpoint="chat.completions",
                              prompt=f"<{i}>" + "住民" * 100_000 + f"</{i}>", response=f"reply {i}",
                              decision="allowed", reason="", confidentiality=1, prompt_tokens=i,
                              completion_tokens=i, latency_ms=1.0, status="ok", pii_kinds=("phone",)))
        i += 1
"""


def test_a_writer_killed_mid_call_leaves_a_valid_file_with_complete_rows(tmp_path):
    path = tmp_path / "audit.sqlite3"
    AuditLog(path)  # created, so the parent can count rows
    AuditLog(path).record(entry(prompt="殺される前の記録"))
    proc = python(KILLED_WRITER, str(path))
    deadline = time.monotonic() + 30
    while rows_in(path) < 1 + 15:
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    proc.kill()  # SIGKILL: no cleanup, most likely in the middle of a 600 KB row
    proc.wait(timeout=10)
    proc.stdout.close()
    proc.stderr.close()

    assert integrity(path) == "ok"
    log = AuditLog(path)
    frame = log.frame()
    assert frame["prompt"].iloc[0] == "殺される前の記録"
    written = frame.iloc[1:]
    assert len(written) >= 15
    for i, row in enumerate(written.itertuples()):
        assert row.prompt == f"<{i}>" + "住民" * 100_000 + f"</{i}>"
        assert (row.response, row.prompt_tokens, row.pii_kinds) == (f"reply {i}", i, "phone")
    log.record(entry(prompt="再開後の記録"))
    assert log.frame()["prompt"].iloc[-1] == "再開後の記録"
    assert integrity(path) == "ok"


COUNTING_WRITER = """
    import sys
    from kenshu.audit import AuditEntry, AuditLog
    log = AuditLog(sys.argv[1])
    i = 0
    while True:
        log.record(AuditEntry(backend="offline", model="m", endpoint="chat.completions",
                              prompt=f"{sys.argv[2]}:{i}:" + "議事録" * 20_000, response=f"{sys.argv[2]}:{i}",
                              decision="allowed", reason="", confidentiality=1, prompt_tokens=i,
                              completion_tokens=None, latency_ms=None, status="ok", pii_kinds=()))
        print(i, flush=True)  # record() returned: this row is committed
        i += 1
"""


def test_writers_killed_again_and_again_lose_no_committed_row(tmp_path):
    """Five rounds: four writers, one killed with SIGKILL at a random moment mid-write; every row a writer
    saw committed is in the file, whole, and the file stays valid."""
    import random

    path = tmp_path / "audit.sqlite3"
    AuditLog(path)
    committed: dict[str, int] = {}
    for round_number in range(5):
        procs = {f"r{round_number}w{n}": python(COUNTING_WRITER, str(path), f"r{round_number}w{n}") for n in range(4)}
        time.sleep(random.uniform(0.8, 1.5))
        victim = f"r{round_number}w{random.randrange(4)}"
        for name, proc in procs.items():
            if name == victim:
                proc.kill()  # SIGKILL, most likely in the middle of a 60 KB row
            else:
                proc.terminate()
            out, _ = proc.communicate(timeout=30)
            lines = out.split()
            committed[name] = int(lines[-1]) + 1 if lines else 0
        assert integrity(path) == "ok"
    frame = AuditLog(path).frame()
    assert frame["response"].is_unique
    found = set(frame["response"])
    lost = [f"{name}:{i}" for name, count in committed.items() for i in range(count) if f"{name}:{i}" not in found]
    assert lost == []
    assert sum(committed.values()) >= 20
    assert all(len(prompt) > 60_000 for prompt in frame["prompt"])  # no row cut short


def test_on_a_network_share_the_log_uses_a_rollback_journal(tmp_path, monkeypatch):
    from kenshu.audit import store

    monkeypatch.setattr(store, "on_network_share", lambda path: True)
    path = tmp_path / "share" / "audit.sqlite3"
    log = AuditLog(path)
    log.record(entry(prompt="共有フォルダーでの記録"))
    assert log.frame()["prompt"].tolist() == ["共有フォルダーでの記録"]
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert not path.with_name(path.name + "-wal").exists()


def test_network_shares_are_recognised_from_the_mount_table():
    from kenshu.audit.store import on_network_share

    mounts = ("/dev/vda1 / ext4 rw 0 0\n//fileserver/研修 /mnt/share cifs rw 0 0\n"
              "nas:/export /home/nfs nfs4 rw 0 0\n/dev/vdb /mnt/share/local ext4 rw 0 0\n")
    assert on_network_share(Path("/mnt/share/kenshu/audit.sqlite3"), mounts=mounts)
    assert on_network_share(Path("/home/nfs/user/audit.sqlite3"), mounts=mounts)
    assert not on_network_share(Path("/mnt/share/local/audit.sqlite3"), mounts=mounts)  # a local disk inside it
    assert not on_network_share(Path("/mnt/shared/audit.sqlite3"), mounts=mounts)
    assert not on_network_share(Path("/tmp/audit.sqlite3"), mounts=mounts)


# ---------------------------------------------------------------- never store raw personal data

def test_the_mynumber_check_digit_follows_the_published_rule():
    assert is_mynumber(VALID_MYNUMBER)
    assert is_mynumber("１２３４５６７８９０１８")
    assert not any(is_mynumber(VALID_MYNUMBER[:11] + str(d)) for d in range(10) if str(d) != "8")
    assert not is_mynumber("12345678901") and not is_mynumber("abcdefghijkl")


def test_a_valid_mynumber_left_in_the_text_is_replaced_before_storing(tmp_path):
    log = AuditLog(tmp_path / "audit.sqlite3")
    log.record(entry(prompt=f"個人番号は{VALID_MYNUMBER}です。", response="番号 1234 5678 9018 を確認",
                     reason="件名のみ確認", pii_kinds=("phone",)))
    log.record(entry(prompt="全角：１２３４－５６７８－９０１８"))

    first, second = log.frame().itertuples()
    assert first.prompt == "個人番号は［個人番号］です。"
    assert first.response == "番号 ［個人番号］ を確認"
    assert first.reason.startswith("件名のみ確認") and "個人番号" in first.reason and "置き換えました" in first.reason
    assert first.pii_kinds == "phone,mynumber"
    assert second.prompt == "全角：［個人番号］"
    with sqlite3.connect(log.path) as db:
        dump = "\n".join(db.iterdump())
    assert VALID_MYNUMBER not in dump and "１２３４－５６７８－９０１８" not in dump


def test_digit_runs_that_are_not_a_mynumber_are_stored_as_they_are(tmp_path):
    log = AuditLog(tmp_path / "audit.sqlite3")
    text = f"照会番号 123456789017、口座 1{VALID_MYNUMBER}、電話 03-1234-5678、法人 0123456789012"
    log.record(entry(prompt=text))
    row = log.frame().iloc[0]
    assert row["prompt"] == text and row["reason"] == "" and row["pii_kinds"] == ""


def test_hostile_content_is_stored_and_read_back_intact(tmp_path):
    log = AuditLog(tmp_path / "audit.sqlite3")
    texts = [
        "",
        "x" * 1_000_000 + "終",
        "".join(chr(c) for c in range(0, 32)) + "\x7f\x85\u2028\u2029",
        "😀👨‍👩‍👧‍👦🇯🇵 ｶﾀｶﾅ 𠮷野家 \u202eRTL\u202c",
        "'; DROP TABLE calls; --",
        '"quoted", comma\r\nCRLF',
    ]
    for text in texts:
        log.record(entry(prompt=text, response=text[::-1], model=text or None, reason=text))
    log.record(entry(prompt="壊れた文字 \ud800 の後"))  # a lone surrogate from a broken decode

    frame = log.frame()
    assert frame["prompt"].tolist()[:-1] == texts
    assert frame["response"].tolist()[:-1] == [t[::-1] for t in texts]
    assert frame["reason"].tolist()[:-1] == texts
    assert frame["prompt"].iloc[-1] == "壊れた文字 \ufffd の後"
    assert integrity(log.path) == "ok"


# ---------------------------------------------------------------- settings and helpers

def test_open_log_and_frame_use_the_settings_path(tmp_path, monkeypatch):
    path = tmp_path / "from-env.sqlite3"
    monkeypatch.setenv("KENSHU_AUDIT_LOG", str(path))
    assert open_log(resolve()).path == path
    open_log(resolve()).record(entry(prompt="環境変数の記録"))
    assert kenshu.audit.frame()["prompt"].tolist() == ["環境変数の記録"]
    assert kenshu.audit.frame(audit_log=str(tmp_path / "other.sqlite3")).empty  # an argument wins
    assert kenshu.audit.frame(since="2999-01-01").empty


def test_the_default_log_is_in_the_users_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    log = open_log(resolve())
    assert log.path.name == "audit.sqlite3" and log.path.parent.name == "kenshu"
    assert log.path.parent.is_dir()  # created on opening


def test_a_relative_audit_log_in_kenshu_toml_is_relative_to_that_file(isolated_settings, monkeypatch):
    (isolated_settings / "kenshu.toml").write_text('audit_log = "logs/audit.sqlite3"\n', encoding="utf-8")
    course = isolated_settings / "course"
    course.mkdir()
    monkeypatch.chdir(course)  # a notebook kernel runs in course/
    assert open_log(resolve()).path == isolated_settings / "logs" / "audit.sqlite3"


# ---------------------------------------------------------------- kenshu audit export

def export(*args: str, cwd: Path, log: Path) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ENV_VARS.values()}
    environ["KENSHU_AUDIT_LOG"] = str(log)
    return subprocess.run([sys.executable, "-m", "kenshu", "audit", "export", *args], cwd=cwd,
                          env=environ, capture_output=True, text=True, timeout=120)


def test_export_writes_a_csv_with_bom_that_excel_reads_japanese_from(tmp_path):
    log_file = tmp_path / "audit.sqlite3"
    log = AuditLog(log_file)
    log.record(entry(time="2026-03-01T00:00:00.000Z", prompt="古い"))
    log.record(entry(time="2026-04-02T00:00:00.000Z", prompt="改行を\n含む、カンマ入りの依頼"))
    log.record(entry(time="2026-04-03T00:00:00.000Z", prompt="=HYPERLINK(\"http://example.com\")"))

    result = export("--output", "出力/記録.csv", "--since", "2026-04-01", cwd=tmp_path, log=log_file)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "出力" / "記録.csv"
    assert "2 件" in result.stdout and str(out) in result.stdout
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    csv = pd.read_csv(out, encoding="utf-8-sig")
    assert csv["prompt"].tolist() == ["改行を\n含む、カンマ入りの依頼", "'=HYPERLINK(\"http://example.com\")"]
    assert csv["time"].tolist() == ["2026-04-02T00:00:00.000Z", "2026-04-03T00:00:00.000Z"]
    assert {"local_time", "user", "decision", "pii_kinds"} <= set(csv.columns)


def test_export_of_a_missing_log_writes_only_the_header_and_exits_0(tmp_path):
    log_file = tmp_path / "never-used.sqlite3"
    result = export(cwd=tmp_path, log=log_file)
    assert result.returncode == 0, result.stderr
    assert "まだありません" in result.stdout and "見出し行だけ" in result.stdout
    csv = pd.read_csv(tmp_path / "kenshu-audit.csv", encoding="utf-8-sig")
    assert csv.empty and "prompt" in csv.columns
    assert not log_file.exists()  # exporting does not create a log


def test_export_with_a_bad_since_says_so_in_japanese_and_exits_1(tmp_path):
    result = export("--since", "2026-13-45", cwd=tmp_path, log=tmp_path / "audit.sqlite3")
    assert result.returncode == 1
    assert "2026-13-45" in result.stderr and "年-月-日" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "kenshu-audit.csv").exists()
