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


def pytest_collection_modifyitems(config, items):
    """Select tests by their Odoo tags (``@tagged``), as ``--test-tags`` does.

    DIST_TEST_ONLY_TAGS: keep only the tests carrying one of these tags;
    DIST_TEST_SKIP_TAGS: drop the tests carrying one of them (comma lists).
    ``make test`` runs the tests that commit (``dist_concurrency``) apart,
    on a database of their own.
    """
    only = {tag for tag in os.environ.get("DIST_TEST_ONLY_TAGS", "").split(",") if tag}
    skip = {tag for tag in os.environ.get("DIST_TEST_SKIP_TAGS", "").split(",") if tag}
    if not only and not skip:
        return
    kept, dropped = [], []
    for item in items:
        tags = set(getattr(getattr(item, "cls", None), "test_tags", ()) or ())
        if (only and not tags & only) or tags & skip:
            dropped.append(item)
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
