from kenshu.engine.prompt import parse
from kenshu.engine.tasks import answer
from tests.engine.samples import ACCOUNTING


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
