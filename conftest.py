"""Run every test and notebook on the offline default, whatever the developer's own settings."""

import os
import tempfile

from kenshu.settings import ENV_VARS


def pytest_configure(config):
    for variable in (*ENV_VARS.values(), "KENSHU_DATASETS"):
        os.environ.pop(variable, None)
    # a user's own ~/.config/kenshu/kenshu.toml must not change the results
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="kenshu-test-config-")
    # nor may the tests write into the user's own audit log
    os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="kenshu-test-data-")
    os.environ["KENSHU_BACKEND"] = "offline"
