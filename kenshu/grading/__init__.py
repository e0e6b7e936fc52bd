"""Helpers for nbgrader test cells: failures that read as plain Japanese."""

from kenshu.grading.expect import expect_equal, expect_true, expect_type

__all__ = ["expect_equal", "expect_true", "expect_type"]
