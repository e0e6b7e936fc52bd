"""The offline engine through the real openai SDK: every API feature the lessons use."""

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import openai
import pytest

from kenshu import llm
from tests.engine.samples import ACCOUNTING, MEETING, NOTICE

SUMMARY = f"あなたは総務課の職員です。以下の会議録を3点の箇条書きで要約してください。\n\n{MEETING}"
TASKS = {
    "summarise": SUMMARY,
    "classify": "次の問い合わせを、カテゴリ: 支払、契約、旅費、その他 のいずれかに分類してください。\n\n旅費の精算方法を教えてください。",
    "answer": f"以下の資料をもとに質問に答えてください。\n\n{ACCOUNTING}\n\n質問: 日当はいくらですか？",
    "extract": f"以下の文書から日付、金額、電話番号を抽出してください。\n\n{NOTICE}",
    "rewrite": "以下の文をやさしい日本語に書き換えてください。\n\n申請書は速やかに所定の窓口へ提出してください。",
    "draft": "市民向けの説明会のお知らせを作ってください。日時: 令和7年6月14日 14時から。場所: 市民会館。",
    "translate": "以下の案内を英語に翻訳してください。\n\n避難所は市民会館です。",
    "coach": "いい感じにしてください。",
}


@pytest.fixture(scope="module")
def client():
    return llm.client()


def chat(client, content, **options):
    return client.chat.completions.create(model="kenshu-offline", messages=[{"role": "user", "content": content}],
                                          **options)


def test_every_response_names_the_engine_as_its_model(client):
    for content in TASKS.values():
        completion = chat(client, content)
        assert completion.model == "kenshu-offline"
        assert completion.choices[0].message.content


@pytest.mark.parametrize("task", sorted(TASKS))
def test_streamed_answer_joins_to_the_non_streamed_one(client, task):
    full = chat(client, TASKS[task]).choices[0].message.content
    pieces = [c.choices[0].delta.content or "" for c in chat(client, TASKS[task], stream=True) if c.choices]
    assert "".join(pieces) == full


def test_answers_are_identical_across_two_processes():
    script = ("import json, kenshu.llm as l, tests.test_engine_api as t; c = l.client(); "
              "print(json.dumps({k: c.chat.completions.create(model='kenshu-offline', messages=[{'role': 'user', "
              "'content': v}], temperature=0.7, seed=3).model_dump() for k, v in t.TASKS.items()}, ensure_ascii=False))")
    root = Path(__file__).resolve().parent.parent
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=root).stdout
            for _ in range(2)]
    assert runs[0] == runs[1] and len(json.loads(runs[0])) == len(TASKS)


def test_temperature_zero_ignores_the_seed_and_above_zero_varies_only_with_it(client):
    cold = {chat(client, SUMMARY, temperature=0, seed=s).choices[0].message.content for s in range(6)}
    assert len(cold) == 1
    warm = [chat(client, SUMMARY, temperature=1.2, seed=s).choices[0].message.content for s in range(12)]
    assert len(set(warm)) > 1
    assert warm[5] == chat(client, SUMMARY, temperature=1.2, seed=5).choices[0].message.content


def test_n_returns_that_many_choices(client):
    completion = chat(client, SUMMARY, n=3, temperature=1.0, seed=1)
    assert [c.index for c in completion.choices] == [0, 1, 2]


def test_stop_sequence_cuts_the_answer(client):
    full = chat(client, SUMMARY).choices[0].message.content
    cut = chat(client, SUMMARY, stop=["\n"]).choices[0].message.content
    assert cut == full.split("\n")[0]


@pytest.mark.parametrize("option", ["max_tokens", "max_completion_tokens"])
def test_token_limits_truncate_with_finish_reason_length(client, option):
    completion = chat(client, SUMMARY, **{option: 15})
    assert completion.choices[0].finish_reason == "length"
    assert 0 < completion.usage.completion_tokens <= 15


def test_usage_counts_japanese_as_about_one_token_per_character(client):
    completion = chat(client, "あいうえお")
    assert completion.usage.prompt_tokens == 5 + 4  # five characters plus per-message overhead


def test_json_object_format_returns_parseable_json(client):
    content = chat(client, f"以下の文書から項目を JSON で抽出してください。\n\n{NOTICE}",
                   response_format={"type": "json_object"}).choices[0].message.content
    data = json.loads(content)
    assert data["amount"] == [12000] and "2025-05-31" in data["date"]


def test_json_object_for_named_keys(client):
    content = chat(client, f'以下から {{"deadline": ..., "phone": ..., "department": ...}} の JSON を作ってください。\n\n{NOTICE}',
                   response_format={"type": "json_object"}).choices[0].message.content
    assert json.loads(content) == {"deadline": "2025-05-31", "phone": "0120123456", "department": "会計課"}


def test_listed_keys_ignore_notes_in_brackets_and_the_closing_phrase(client):
    content = chat(client, f"以下から JSON を作ってください。キーは department, deadline, amount（amount は円単位の整数）"
                           f"としてください。\n\n{NOTICE}", response_format={"type": "json_object"}).choices[0].message.content
    assert list(json.loads(content)) == ["department", "deadline", "amount"]


SCHEMA = {
    "type": "object",
    "properties": {
        "applicant_name": {"type": "string"},
        "deadline": {"type": "string", "description": "納付期限（ISO 形式）"},
        "amount_yen": {"type": "integer"},
        "contact_phone": {"type": ["string", "null"]},
        "category": {"type": "string", "enum": ["納付", "還付", "照会"]},
        "urgent": {"type": "boolean"},
        "departments": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["applicant_name", "deadline", "amount_yen", "contact_phone", "category", "urgent", "departments"],
    "additionalProperties": False,
}


def test_json_schema_output_validates_and_holds_the_extracted_values(client):
    content = chat(client, f"以下の文書から必要な項目を抽出してください。\n\n{NOTICE}",
                   response_format={"type": "json_schema",
                                    "json_schema": {"name": "notice", "schema": SCHEMA, "strict": True}}
                   ).choices[0].message.content
    data = json.loads(content)
    jsonschema.validate(data, SCHEMA)
    assert data["applicant_name"] == "山田 太郎" and data["deadline"] == "2025-05-31"
    assert data["amount_yen"] == 12000 and data["contact_phone"] == "0120123456"
    assert data["category"] == "納付" and data["departments"] == ["会計課"]


def test_tool_calling_calls_the_function_with_arguments_from_the_prompt(client):
    tools = [{"type": "function", "function": {
        "name": "book_meeting_room", "description": "会議室を予約する",
        "parameters": {"type": "object", "properties": {
            "date": {"type": "string", "description": "利用日"}, "department": {"type": "string"}},
            "required": ["date", "department"]}}}]
    messages = [{"role": "user", "content": "令和7年6月3日に総務課で会議室を予約してください。"}]
    completion = client.chat.completions.create(model="kenshu-offline", messages=messages, tools=tools)
    choice = completion.choices[0]
    assert choice.finish_reason == "tool_calls"
    call = choice.message.tool_calls[0]
    assert call.function.name == "book_meeting_room"
    assert json.loads(call.function.arguments) == {"date": "2025-06-03", "department": "総務課"}
    messages += [choice.message.model_dump(exclude_none=True),
                 {"role": "tool", "tool_call_id": call.id, "content": "予約番号 A-102 で予約しました。"}]
    follow_up = client.chat.completions.create(model="kenshu-offline", messages=messages, tools=tools)
    assert "A-102" in follow_up.choices[0].message.content


def test_tool_choice_none_answers_in_text(client):
    tools = [{"type": "function", "function": {"name": "f", "parameters": {"type": "object", "properties": {}}}}]
    completion = chat(client, SUMMARY, tools=tools, tool_choice="none")
    assert completion.choices[0].message.tool_calls is None


def test_embeddings_are_unit_length_and_related_texts_score_higher(client):
    texts = ["出張旅費の日当について", "旅費の日当と宿泊費の精算", "図書館の開館時間のお知らせ"]
    vectors = [d.embedding for d in client.embeddings.create(model="kenshu-offline", input=texts).data]
    assert all(len(v) == 256 for v in vectors)
    assert all(abs(sum(x * x for x in v) - 1) < 1e-3 for v in vectors)
    dot = lambda a, b: sum(x * y for x, y in zip(a, b, strict=True))  # noqa: E731
    assert dot(vectors[0], vectors[1]) > dot(vectors[0], vectors[2]) + 0.2


def test_embeddings_honour_dimensions_and_are_deterministic(client):
    one = client.embeddings.create(model="kenshu-offline", input="会計事務の手引き", dimensions=64).data[0].embedding
    two = client.embeddings.create(model="kenshu-offline", input="会計事務の手引き", dimensions=64).data[0].embedding
    assert len(one) == 64 and one == two


@pytest.mark.parametrize("options, param", [
    ({"temperature": 3}, "temperature"), ({"n": 0}, "n"), ({"stop": ["a", "b", "c", "d", "e"]}, "stop"),
    ({"response_format": {"type": "yaml"}}, "response_format"), ({"seed": "x"}, "seed"),
])
def test_invalid_options_get_a_400_with_a_japanese_message(client, options, param):
    with pytest.raises(openai.BadRequestError) as caught:
        chat(client, "テスト", **options)
    assert caught.value.body["param"] == param
    assert any("\u3040" <= ch <= "\u30ff" for ch in caught.value.body["message"])


def test_empty_embedding_input_is_rejected(client):
    with pytest.raises(openai.BadRequestError):
        client.embeddings.create(model="kenshu-offline", input="")


@pytest.mark.parametrize("response_format", [
    {"type": "json_schema", "json_schema": "not an object"},
    {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object", "properties": ["a"]}}},
    {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "no-such-type"}}},
])
def test_broken_json_schemas_get_a_400_not_a_crash(client, response_format):
    with pytest.raises(openai.BadRequestError) as caught:
        chat(client, "テスト", response_format=response_format)
    assert caught.value.body["param"] == "response_format"
