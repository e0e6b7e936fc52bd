"""Each kind of personal data: found where it is, not found where it only looks alike."""

import pytest

from kenshu.safety import find_pii, mask
from kenshu.safety.checksums import corporate_number_is_valid, luhn_is_valid, mynumber_is_valid


def kinds(text: str) -> list[tuple[str, str]]:
    return [(span.kind, span.text) for span in find_pii(text)]


def test_offsets_point_into_the_original_text():
    text = "相談者：山田　太郎様（電話０９０－１２３４－５６７８）"
    for span in find_pii(text):
        assert text[span.start:span.end] == span.text
    assert ("phone", "０９０－１２３４－５６７８") in kinds(text)


@pytest.mark.parametrize("number", ["123456789018", "1234 5678 9018", "1234-5678-9018", "１２３４５６７８９０１８"])
def test_mynumber_with_a_valid_check_digit_is_found(number):
    assert kinds(f"個人番号は{number}です。") == [("mynumber", number)]


def test_mynumber_with_wrong_check_digit_is_not_masked():
    assert mynumber_is_valid("123456789018") and not mynumber_is_valid("123456789012")
    assert kinds("個人番号は123456789012です。") == []
    assert mask("番号 123456789012").text == "番号 123456789012"


def test_a_valid_twelve_digit_reservation_number_is_not_a_mynumber():
    assert kinds("予約番号 123456789018 でご予約を承りました。") == []


def test_corporate_number_is_reported_but_not_masked_by_default():
    assert corporate_number_is_valid("7000012050002")
    assert kinds("法人番号 7000012050002") == [("corporate_number", "7000012050002")]
    assert mask("法人番号 7000012050002").text == "法人番号 7000012050002"
    assert mask("法人番号 7000012050002", kinds=["corporate_number"]).text == "法人番号 ［法人番号1］"


@pytest.mark.parametrize("phone", ["03-1234-5678", "(03)1234-5678", "090-1234-5678", "09012345678", "050-1234-5678",
                                   "0120-123-456", "0800-123-4567", "0570-012-345", "０３－１２３４－５６７８",
                                   "090 1234 5678", "+81-90-1234-5678", "090ー1234ー5678"])
def test_phone_numbers_in_every_common_form(phone):
    assert kinds(f"連絡先:{phone}まで") == [("phone", phone)]


@pytest.mark.parametrize("text", ["内線 2345 にお電話ください", "令和7年4月1日", "金額は12,000円です", "条例第12号",
                                  "若葉総第1234号", "受付番号 20250401-0012"])
def test_look_alikes_are_not_personal_data(text):
    assert kinds(text) == []


def test_email_and_postal_code():
    assert kinds("メールtaro.y@example.lg.jp へ") == [("email", "taro.y@example.lg.jp")]
    assert ("postal_code", "123-4567") in kinds("〒123-4567 東京都若葉市本町1-2-3")
    assert kinds("郵便番号 1234567") == [("postal_code", "1234567")]
    assert kinds("金額 1234567 円") == []


@pytest.mark.parametrize("address", ["東京都若葉市中央三丁目5番12号", "若葉市本町2-3-4", "北海道みどり町大字山田1234番地",
                                     "大阪府若葉市北区梅田一丁目2番3号 若葉ビル5階"])
def test_addresses_down_to_the_block_number(address):
    assert ("address", address) in kinds(f"住所：{address}")


def test_a_place_name_alone_is_not_an_address():
    assert kinds("会場は若葉市の市民会館です。") == []


@pytest.mark.parametrize("text, date", [("昭和55年7月21日生まれ", "昭和55年7月21日"), ("生年月日：S55.7.21", "S55.7.21"),
                                        ("生年月日 1980/07/21", "1980/07/21"), ("平成2年3月4日生", "平成2年3月4日")])
def test_birthdates_in_a_birth_context(text, date):
    assert kinds(text) == [("birthdate", date)]


def test_a_date_without_a_birth_word_is_not_a_birthdate():
    assert kinds("申請日 令和7年4月1日") == []


def test_bank_account_card_and_resident_code():
    assert kinds("振込先 みどり銀行 普通 1234567") == [("bank_account", "1234567")]
    assert luhn_is_valid("4111111111111111")
    assert kinds("カード番号 4111 1111 1111 1111") == [("credit_card", "4111 1111 1111 1111")]
    assert kinds("カード番号 4111 1111 1111 1112") == []
    assert kinds("住民票コード：12345678901") == [("resident_code", "12345678901")]


@pytest.mark.parametrize("text, name", [("山田太郎様", "山田太郎"), ("担当：鈴木 一郎", "鈴木 一郎"), ("佐藤課長が出席", "佐藤"),
                                        ("氏名: 高橋 花子", "高橋 花子"), ("ジョンソンさんから電話", "ジョンソン"),
                                        ("ヤマダ・ハナコ主任", "ヤマダ・ハナコ")])
def test_person_names_in_context(text, name):
    assert ("person_name", name) in kinds(text)


def test_a_title_without_a_name_is_not_a_person():
    assert kinds("総務課長が説明した。各位にお知らせします。") == []


def test_mask_and_unmask_round_trip_with_consistent_placeholders():
    text = "山田太郎様（090-1234-5678）へ。再度、山田太郎様に確認。"
    masked = mask(text)
    assert "山田" not in masked.text and "090" not in masked.text
    assert masked.text.count("［氏名1］") == 2
    reply = "［氏名1］様には［電話番号1］で連絡済みです。[氏名1]様の件は完了。"
    assert masked.unmask(reply) == "山田太郎様には090-1234-5678で連絡済みです。山田太郎様の件は完了。"


def test_amounts_and_dates_survive_masking():
    masked = mask("山田太郎様の申請（令和7年4月1日受付、12,000円）")
    assert "令和7年4月1日" in masked.text and "12,000円" in masked.text


@pytest.mark.parametrize("text", ["", None, 12, "\x00\x01\x1b[31m", "😀" * 1000, "Ｍｉｘｅｄ 文字 ｶﾀｶﾅ 한국어 ✓",
                                  "1" * 100_000, "様" * 5000, "山田" * 10_000])
def test_hostile_input_never_raises(text):
    spans = find_pii(text)
    assert isinstance(spans, list)
    if isinstance(text, str):
        mask(text)


def test_ten_megabytes_of_text_is_handled():
    text = ("総務課の山田さんに 090-1234-5678 で連絡した。" * 200_000)[:10_000_000]
    assert len(find_pii(text)) > 100_000


def test_detection_is_safe_from_many_threads_at_once():
    from concurrent.futures import ThreadPoolExecutor

    text = "担当の山田です。佐藤花子様（090-1234-5678）と鈴木課長に連絡した。ヤマダ・ハナコ主任も同席。" * 20
    expected = find_pii(text)
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(find_pii, [text] * 64))
    assert all(result == expected for result in results)
