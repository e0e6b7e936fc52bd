"""If the kit's safe grading cannot be loaded, stock nbgrader refuses to grade rather than grade unsafely."""

from __future__ import annotations

import subprocess
import sys

from tests.support.grading_kit import environment, make_kit, nbgrader, scores, submit, tampered

BLOCK_PLUGIN = '''
import sys
class _Block:
    def find_spec(self, name, path=None, target=None):
        if name == "kenshu.grading.nbgrader_plugin":
            raise ImportError("simulated: the kit's grading plugin is missing")
        return None
sys.meta_path.insert(0, _Block())
'''


def test_a_tampered_submission_is_not_graded_when_the_safe_grading_cannot_load(tmp_path):
    kit = make_kit(tmp_path / "kit")
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(BLOCK_PLUGIN, encoding="utf-8")
    nbgrader(kit, "generate_assignment", "demo", "--force")
    submit(kit, "cheat", "demo", tampered("demo", kit))
    env = environment(PYTHONPATH=str(site))
    done = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", "demo"], cwd=kit / "grader", env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=600)
    log = done.stdout + done.stderr
    assert "simulated" in log and "採点しません" in log
    got = scores(kit, "demo")
    assert got.get("cheat", (0, 0))[0] == 0
