from kenshu.engine.prompt import parse
from kenshu.engine.tasks import classify


def run(content: str, history: list[dict] | None = None) -> str:
    return classify.run(parse([*(history or []), {"role": "user", "content": content}]))


def test_labels_listed_inline_are_used():
    prompt = "次の問い合わせを、カテゴリ: 支払、契約、旅費、その他 のいずれかに分類してください。\n\n旅費の精算について教えてください。"
    labels = [label.name for label in classify.parse_labels(parse([{"role": "user", "content": prompt}]))]
    assert labels == ["支払", "契約", "旅費", "その他"]
    assert run(prompt) == "旅費"


def test_label_descriptions_decide_when_the_name_is_not_in_the_text():
    prompt = ("次の問い合わせを分類してください。ラベルは以下から選びます。\n"
              "- 旅費: 出張の日当、交通費、宿泊費\n- 支払: 請求書、支払期限、口座振込\n- 契約: 入札、見積書、随意契約\n"
              "---\n出張の日当はいくらですか。")
    assert run(prompt) == "旅費"


def test_few_shot_examples_in_the_prompt_teach_the_labels():
    prompt = ("意見を「賛成」「反対」のいずれかに分類してください。\n"
              "例: 図書館の開館時間が延びるのはありがたい → 賛成\n"
              "例: 税金の無駄遣いなのでやめてほしい → 反対\n"
              "---\n開館時間の延長はとてもありがたいです。")
    assert run(prompt) == "賛成"


def test_earlier_turns_are_few_shot_examples():
    history = [{"role": "system", "content": "問い合わせを「支払」「契約」のいずれかに分類し、ラベルだけを答えてください。"},
               {"role": "user", "content": "請求書の支払期限はいつですか。"}, {"role": "assistant", "content": "支払"},
               {"role": "user", "content": "随意契約の上限額を知りたい。"}, {"role": "assistant", "content": "契約"}]
    reply = classify.run(parse([*history, {"role": "user", "content": "業者から届いた請求書の支払期限を確認したい。"}]))
    assert reply == "支払"


def test_numbered_items_are_classified_one_by_one():
    prompt = ("次の意見を「苦情」「要望」のいずれかに分類してください。\n---\n"
              "1. 窓口の対応が遅くて苦情を言いたい。\n2. 土曜日も窓口を開けてほしいという要望です。")
    assert run(prompt) == "1. 苦情\n2. 要望"


def test_without_labels_the_reply_says_how_to_name_them():
    assert "分類先（ラベル）が読み取れませんでした" in run("次の文を分類してください。\n---\n窓口が混んでいる。")


def _labels(content: str) -> list[str]:
    return [label.name for label in classify.parse_labels(parse([{"role": "user", "content": content}]))]


def test_labels_separated_by_slashes_are_read():
    assert _labels("意見を分類してください。分類: 賛成／反対/その他\n---\n賛成です。") == ["賛成", "反対", "その他"]


def test_labels_separated_by_nakaguro_are_read():
    assert _labels("意見を分類してください。分類: 賛成・反対・その他\n---\n賛成です。") == ["賛成", "反対", "その他"]


def test_a_nakaguro_inside_a_label_stays_when_commas_separate():
    content = "次の問い合わせを、カテゴリ: 支出、決算・年度末、その他 のいずれかに分類し、カテゴリ名だけを答えてください。\n---\n繰越の締切は？"
    assert _labels(content) == ["支出", "決算・年度末", "その他"]


def test_labels_one_a_line_are_read():
    content = "次の問い合わせを分類してください。カテゴリ:\n支出\n決算・年度末\n旅費\n\n---\n出張の旅費はいつ精算しますか。"
    assert _labels(content) == ["支出", "決算・年度末", "旅費"]
    assert run(content) == "旅費"


def test_bulleted_labels_one_a_line_are_read():
    content = "次の問い合わせを分類してください。カテゴリ:\n- 支出\n- 旅費\n\n---\n出張の旅費はいつ精算しますか。"
    assert _labels(content) == ["支出", "旅費"]


def test_the_words_after_the_label_list_are_not_a_label():
    content = "次の問い合わせを、カテゴリ: 支出、旅費 のいずれかに分類し、カテゴリ名だけを答えてください。\n---\n出張の旅費。"
    assert _labels(content) == ["支出", "旅費"]


def test_the_undecided_answer_when_no_label_matches():
    content = ("次の問い合わせを、カテゴリ: 支出、旅費 のいずれかに分類してください。"
               "決められないときは「判定不能」と答えてください。\n---\n金庫の鍵はどこですか。")
    assert run(content) == "判定不能"
    assert run(content.replace("金庫の鍵はどこですか。", "出張の旅費を精算したい。")) == "旅費"
