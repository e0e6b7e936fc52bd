from kenshu.engine.fields import find_amounts
from kenshu.engine.prompt import parse
from kenshu.engine.tasks import answer
from tests.engine.samples import ACCOUNTING, LIMITS


def ask(question: str, context: str = ACCOUNTING) -> str:
    content = f"以下の資料だけをもとに、質問に答えてください。\n\n{context}\n\n質問: {question}"
    return answer.run(parse([{"role": "user", "content": content}]))


def test_answer_quotes_the_supporting_sentence_with_its_source_id():
    reply = ask("日当はいくらですか？")
    assert "2,200円" in reply and "（出典: 3-2）" in reply


def test_a_question_the_context_does_not_answer_is_said_plainly():
    assert ask("公用車の予約方法は？") == answer.NOT_FOUND


def test_context_in_the_system_message_is_used():
    messages = [{"role": "system", "content": f"次の資料だけを根拠に答えてください。\n{ACCOUNTING}"},
                {"role": "user", "content": "請求書は何日以内に支払いますか？"}]
    reply = answer.run(parse(messages))
    assert "30日以内" in reply and "5-1" in reply


def test_bracketed_and_heading_ids_are_recognised():
    context = "【FAQ-7】 会議室の予約は、総務課の予約システムで行う。\n## 12 公用車\n公用車は管財課に申し込む。"
    found = answer.passages(context)
    assert [p.source_id for p in found] == ["FAQ-7", "12"]
    assert "管財課" in ask("公用車はどこに申し込みますか？", context)


# ---------------------------------------------------------------- amounts and dates

def test_an_amount_question_is_answered_with_the_amount_line_and_its_section():
    reply = ask("物品を随意契約で購入できる上限額（税込）はいくらですか。", LIMITS)
    assert reply == ("規則を改正し、随意契約によることができる予定価格（税込）の上限を次のとおり引き上げた。"
                     "物品の購入：120万円（改正前 60万円）。（出典: KY-5a）")


def test_an_amount_answer_holds_only_amounts_from_the_source():
    for question in ("業務の委託の上限額は何円ですか。", "物品の購入の金額はいくらですか。", "日当はいくらですか？"):
        for context in (LIMITS, ACCOUNTING):
            reply = ask(question, context)
            assert all(amount.text in context for amount in find_amounts(reply))


def test_an_amount_qualified_by_tadashi_is_given_with_the_sentence_it_qualifies():
    reply = ask("半日の日当は何円ですか？")
    assert "1,100円" in reply and "2,200円" in reply and reply.endswith("（出典: 3-2）")


def test_each_section_with_an_amount_is_cited_on_its_own():
    context = LIMITS + "\n[KY-5b] 随意契約の上限額（税込）は、物品の購入で100万円とする。"
    reply = ask("物品を随意契約で購入できる上限額（税込）はいくらですか。", context)
    assert "120万円" in reply and "100万円" in reply
    assert "（出典: KY-5a）" in reply and reply.endswith("（出典: KY-5b）")


def test_a_when_question_is_answered_with_the_date_sentence():
    reply = ask("改正後の額は、いつ以後に契約するものに適用しますか。", LIMITS)
    assert reply == "改正後の額は、2025年10月1日以後に契約するものに適用する。（出典: KY-5a）"


def test_an_amount_question_the_source_does_not_support_is_not_found():
    assert ask("公用車の燃料費はいくらですか？") == answer.NOT_FOUND
