"""Shared test configuration: the series allows no skipped tests."""

import matplotlib

matplotlib.use("Agg")


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped and exitstatus == 0:
        reporter.write_line(f"{skipped} test(s) were skipped; every test must run.", red=True)
        session.exitstatus = 1
