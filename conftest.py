"""pytest hooks shared by every test of the repository.

A browser tour that Odoo skips because Chromium did not start would pass
silently; when DIST_REQUIRE_BROWSER is set (``make test`` sets it) such a
skip is reported as a failure instead.
"""

import os

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not os.environ.get("DIST_REQUIRE_BROWSER") or not report.skipped:
        return
    from odoo.tests.common import HttpCase

    instance = getattr(item, "instance", None)
    if isinstance(instance, HttpCase) and call.when in ("setup", "call"):
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"browser test skipped, which make test does not allow: {reason}"
