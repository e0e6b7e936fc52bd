from kenshu.engine.prompt import parse
from kenshu.engine.tasks import summarise
from tests.engine.samples import MEETING


def run(request: str) -> str:
    return summarise.run(parse([{"role": "user", "content": f"{request}\n\n{MEETING}"}]))


def test_bullet_count_is_honoured_with_sentences_from_the_text():
    summary = run("以下の会議録を3点の箇条書きで要約してください。")
    lines = summary.splitlines()
    assert len(lines) == 3 and all(line.startswith("・") for line in lines)
    assert all(line[1:] in MEETING for line in lines)  # extractive: nothing invented


def test_decisions_are_kept_in_a_summary_of_a_meeting():
    assert "全庁で利用を開始することが決定した" in run("以下の会議録を3点で要約してください。")


def test_character_limit_is_honoured():
    for limit in (60, 100, 150):
        summary = run(f"以下の会議録を{limit}字以内で要約してください。")
        assert 0 < len(summary) <= limit


def test_kanji_numerals_and_full_width_digits_are_read_as_limits():
    assert len(run("以下の会議録を百字以内で要約してください。")) <= 100
    assert len(run("以下の会議録を８０字以内で要約してください。")) <= 80
    assert len(run("以下の会議録を三点で要約してください。").splitlines()) == 3


def test_a_limit_shorter_than_any_sentence_cuts_at_a_clause():
    summary = run("以下の会議録を20字以内で要約してください。")
    assert len(summary) <= 20 and summary.endswith("。")


def test_sentences_are_kept_in_their_original_order():
    lines = [line[1:] for line in run("以下の会議録を4点の箇条書きで要約してください。").splitlines()]
    assert lines == sorted(lines, key=MEETING.index)


def test_a_focus_topic_pulls_in_matching_sentences():
    summary = run("以下の会議録を、研修について1点で要約してください。")
    assert "研修" in summary


def test_no_text_gives_a_plain_instruction():
    reply = summarise.run(parse([{"role": "user", "content": "要約してください。"}]))
    assert "要約する文章が見当たりません" in reply
