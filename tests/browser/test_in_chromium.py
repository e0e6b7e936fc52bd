"""What learners and trainers see in the kit's JupyterLab, in headless Chromium."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from tests.support.browser import TOKEN, error_outputs, open_notebook, press_buttons, run_all


def test_lesson_00_runs_in_the_japanese_ui_with_its_widgets_and_no_error(learner_lab, page):
    _, base = learner_lab
    open_notebook(page, base, "course/00_orientation.ipynb")
    assert page.locator(".lm-MenuBar-itemLabel", has_text="ファイル").count() == 1  # the Japanese language pack
    assert run_all(page, wait=240), "Run All did not finish"
    assert error_outputs(page) == []
    assert press_buttons(page) >= 1
    assert error_outputs(page) == []
    assert page.locator(".jp-OutputArea-output").count() > 5


def test_self_check_in_an_exercise_shows_a_japanese_result(learner_lab, page):
    kit, base = learner_lab
    open_notebook(page, base, "exercises/demo/demo.ipynb")
    assert run_all(page, wait=180), "Run All did not finish"
    outputs = "\n".join(page.locator(".jp-OutputArea-output").all_inner_texts())
    assert "合計: 0 / " in outputs and "点" in outputs, outputs[-1500:]
    assert "Traceback" not in outputs


def _listing(base: str, path: str = "") -> tuple[int, list[str]]:
    try:
        with urllib.request.urlopen(f"{base}/api/contents/{path}?token={TOKEN}", timeout=10) as answer:
            return answer.status, [item["name"] for item in json.load(answer)["content"]]
    except urllib.error.HTTPError as error:
        return error.code, []


def _file_browser(page, base: str) -> list[str]:
    page.goto(f"{base}/lab/workspaces/files/tree/?reset&token={TOKEN}")
    page.wait_for_selector(".jp-DirListing-item", timeout=60_000)
    page.wait_for_timeout(1000)
    return page.locator(".jp-DirListing-item .jp-DirListing-itemText").all_inner_texts()


def test_the_learners_file_browser_has_no_solutions_nor_grader(learner_lab, page):
    kit, base = learner_lab
    shown = _file_browser(page, base)
    assert "course" in shown and "exercises" in shown
    assert "solutions" not in shown and "grader" not in shown
    assert _listing(base, "solutions")[0] == 404  # not served either, even when asked for by name
    assert (kit / "solutions").is_dir()


def test_the_trainers_view_shows_the_trainers_folders(trainer_lab, page):
    _, base = trainer_lab
    shown = _file_browser(page, base)
    assert "solutions" in shown and "grader" in shown


def _step(page, tab: str, fields: dict[str, str], button: str, done_text: str) -> None:
    page.locator(".lm-TabBar-tab", has_text=tab).first.click()
    for label, value in fields.items():
        page.locator(f".widget-text:visible:has(label:text-is('{label}')) input").fill(value)
    page.locator(f"button:visible:has-text('{button}')").click()
    page.wait_for_selector(f".jp-OutputArea-output :text('{done_text}')", timeout=180_000)


def test_a_trainer_runs_the_trainer_page_from_roster_to_report_and_opens_a_feedback(trainer_lab, page):
    kit, base = trainer_lab
    open_notebook(page, base, "grader/class_admin.ipynb")
    assert run_all(page, wait=120), "Run All did not finish"
    assert error_outputs(page) == []
    _step(page, "1 名簿", {"名簿のファイル": "名簿.csv"}, "名簿を読み込む", "2 人を読み込みました")
    _step(page, "3 取り込み", {"提出フォルダー": "提出"}, "提出を取り込む", "取り込んだ提出: 2 件")
    page.locator(".lm-TabBar-tab", has_text="4 採点").first.click()
    page.locator(".widget-dropdown:visible select").select_option("demo")
    page.locator("button:visible:has-text('採点する')").click()
    page.wait_for_selector(".jp-OutputArea-output :text('秒で採点しました')", timeout=180_000)
    assert page.locator(".widget-label:visible", has_text="2 / 2 人").count() == 1
    page.locator(".lm-TabBar-tab", has_text="5 結果").first.click()
    page.locator(".widget-dropdown:visible select").select_option("demo")
    page.locator("button:visible:has-text('結果を Excel に書き出す')").click()
    link = page.locator("a:visible", has_text="3001（demo）")
    link.wait_for(timeout=120_000)
    shown = "\n".join(page.locator(".jp-OutputArea-output").all_inner_texts())
    assert "山本 花子" in shown and "Traceback" not in shown
    assert (kit / "grader" / "研修結果.xlsx").is_file()
    assert "feedback/3001/demo/demo.html" in (link.get_attribute("href") or "")
    with urllib.request.urlopen(f"{base}/files/grader/feedback/3001/demo/demo.html?token={TOKEN}", timeout=10) as answer:
        feedback = answer.read().decode("utf-8")
    assert "問1 の確認" in feedback and "BEGIN HIDDEN TESTS" not in feedback
    link.click()  # JupyterLab opens it in a tab of its own
    page.wait_for_selector(".lm-TabBar-tab:has-text('demo.html')", timeout=30_000)


def test_a_learner_asks_the_inquiry_bot_in_lesson_09_and_opens_the_cited_section(learner_lab, page):
    _, base = learner_lab
    open_notebook(page, base, "course/09_accounting_inquiry_bot.ipynb")
    assert run_all(page, wait=240), "Run All did not finish"
    assert error_outputs(page) == []
    box = page.locator(".jp-OutputArea-output input[placeholder='質問を書くか、一覧から選びます']").last
    box.scroll_into_view_if_needed(timeout=10_000)
    box.fill("資金前渡の精算はいつまでにしますか")
    page.locator(".jp-OutputArea-output button:has-text('質問する')").last.click()
    page.wait_for_selector(".jp-OutputArea-output :text('根拠の節')", timeout=60_000)
    answer = page.locator(".jp-OutputArea-output .widget-html").filter(has_text="5月20日").first.inner_text()
    assert "ACC-12" in answer, answer
    page.locator(".jp-OutputArea-output .widget-accordion :text('ACC-12')").first.click()
    page.wait_for_timeout(800)
    shown = page.locator(".jp-OutputArea-output .widget-accordion").last.inner_text()
    assert "施行日" in shown and "5月20日" in shown, shown[-800:]

    box.fill("退職手当の支給日はいつ？")  # not in the manual
    page.locator(".jp-OutputArea-output button:has-text('質問する')").last.click()
    page.wait_for_selector(".jp-OutputArea-output :text('手引きに定めがありません')", timeout=60_000)
    assert error_outputs(page) == []


def test_lesson_10_runs_in_the_browser_with_no_error(learner_lab, page):
    _, base = learner_lab
    open_notebook(page, base, "course/10_handover_and_review_criteria.ipynb")
    assert run_all(page, wait=240), "Run All did not finish"
    assert error_outputs(page) == []
    outputs = "\n".join(page.locator(".jp-OutputArea-output").all_inner_texts())
    assert "同じ組か" in outputs
