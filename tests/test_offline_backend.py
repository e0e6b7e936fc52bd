import json
import subprocess
import sys

import openai
import pytest
from openai.types.chat import ChatCompletion

import kenshu
from kenshu import llm
from kenshu.engine.japanese.length import reader_length
from kenshu.engine.notes import body_of
from kenshu.errors import UnknownModelError
from tests.engine.samples import MEETING

CHAT = [{"role": "user", "content": f"以下の会議録を要約してください。\n\n{MEETING}"}]


def test_plain_sdk_code_gets_a_chat_completion_offline():
    client = llm.client()
    assert isinstance(client, openai.OpenAI)
    completion = client.chat.completions.create(model=llm.model(), messages=CHAT)
    assert isinstance(completion, ChatCompletion)
    assert completion.choices[0].finish_reason == "stop"
    assert completion.model == "kenshu-offline"
    assert all(sentence in MEETING for sentence in completion.choices[0].message.content.split("。") if sentence)
    assert completion.usage.total_tokens == completion.usage.prompt_tokens + completion.usage.completion_tokens


def test_a_request_without_material_says_what_is_missing():
    assert "要約する文章が見当たりません" in kenshu.ask("会議の議事録を要約してください。")


def test_offline_answers_are_identical_across_processes():
    script = (
        "import json, kenshu.llm as l; c = l.client().chat.completions.create("
        f"model=l.model(), messages={CHAT!r}); print(json.dumps(c.model_dump(), ensure_ascii=False))"
    )
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
            for _ in range(2)]
    assert runs[0] == runs[1]
    assert json.loads(runs[0])["id"].startswith("chatcmpl-")


def test_offline_engine_does_not_pretend_to_know_facts():
    reply = kenshu.ask("日本の首都はどこですか？")
    assert "東京" not in reply
    assert "事実の知識を持たない" in reply


def test_offline_coach_names_the_next_improvement_for_a_bare_prompt():
    reply = kenshu.ask("いい感じにして")
    assert "✗ 役割" in reply and "次の改善" in reply


def test_offline_coach_flags_personal_data_first():
    reply = kenshu.ask("あなたは市の職員です。連絡先 090-1234-5678 に電話する前の準備をしたい。")
    assert "✗ 個人情報を含まない" in reply
    assert reply.splitlines()[-1].startswith("次の改善: 電話番号")


def test_system_message_counts_as_a_role():
    assert "✓ 役割" in kenshu.ask("以下を要約", system="あなたは会計課の職員です。")


def test_offline_streaming_reassembles_to_the_full_answer():
    client = llm.client()
    full = client.chat.completions.create(model=llm.model(), messages=CHAT).choices[0].message.content
    stream = client.chat.completions.create(model=llm.model(), messages=CHAT, stream=True,
                                            stream_options={"include_usage": True})
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == full
    assert len(chunks) > 3
    assert chunks[-1].usage is not None


def test_max_tokens_truncates_with_finish_reason_length():
    completion = llm.client().chat.completions.create(model=llm.model(), messages=CHAT, max_tokens=10)
    choice = completion.choices[0]
    assert choice.finish_reason == "length"
    assert completion.usage.completion_tokens <= 10


def test_unknown_model_is_a_404_for_sdk_code_and_a_kenshu_error_for_ask():
    with pytest.raises(openai.NotFoundError):
        llm.client().chat.completions.create(model="gpt-4o", messages=CHAT)
    with pytest.raises(UnknownModelError) as caught:
        kenshu.ask("こんにちは", model="gpt-4o")
    assert "KENSHU_MODEL" in str(caught.value)


def test_models_endpoint_lists_the_offline_model():
    assert [m.id for m in llm.client().models.list()] == ["kenshu-offline"]


def test_review_prompt_finds_personal_data_with_the_kits_detector():
    prompt = ("あなたは市民課の職員です。山田太郎様（昭和45年3月2日生、若葉市緑町1丁目2番3号）への"
              "回答文を作るため、以下を要約してください。")
    review = kenshu.review_prompt(prompt)
    assert "✗ 個人情報を含まない" in review
    assert review.splitlines()[-1].startswith("次の改善: 氏名・生年月日・住所が含まれています")


def test_review_prompt_does_not_take_a_management_number_for_personal_data():
    review = kenshu.review_prompt("管理番号 1234-5678-9012 の備品について、台帳に載せるため3点で要約してください。")
    assert "✓ 個人情報を含まない" in review


def test_review_prompt_leaves_a_public_corporate_number_alone():
    assert "✓ 個人情報を含まない" in kenshu.review_prompt("法人番号 7000012050002 の事業者に送る案内です。")


def test_a_length_limit_and_a_line_count_hold_for_what_the_learner_receives():
    notice = kenshu.ask("あなたは若葉市総務課の職員です。庁内の職員に研修の開始を知らせるため、以下の内容を"
                        "お知らせ文にしてください。200字以内、です・ます調で。\n\n内容: 生成AI研修を来月から始めます。")
    assert reader_length(body_of(notice)) <= 200 and "来月から" in notice
    assert len(kenshu.ask("防災訓練（10月3日 10時、本庁舎）のお知らせを3行で書いてください。").splitlines()) == 3
