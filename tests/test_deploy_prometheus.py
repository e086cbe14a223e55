"""The alert rules in deploy/prometheus: valid for Prometheus (``promtool check rules``),
firing and staying quiet as their unit tests say (``promtool test rules``), and watching
only metrics that something in this repository really exports."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.support import need

ROOT = Path(__file__).resolve().parent.parent
PROMETHEUS = ROOT / "deploy" / "prometheus"


@pytest.fixture
def promtool(request):
    path = shutil.which("promtool")
    need(request, bool(path), "promtool (apt-get install prometheus)")
    return path


def test_the_rules_are_valid(promtool):
    checked = subprocess.run([promtool, "check", "rules", str(PROMETHEUS / "alerts.yml")],
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "SUCCESS" in checked.stdout


def test_the_rules_pass_their_unit_tests(promtool):
    tested = subprocess.run([promtool, "test", "rules", "alerts_test.yml"], cwd=PROMETHEUS,
                            capture_output=True, text=True, check=False)
    assert tested.returncode == 0, tested.stdout + tested.stderr


def test_every_alert_has_a_unit_test_that_fires_it():
    rules = yaml.safe_load((PROMETHEUS / "alerts.yml").read_text())
    alerts = {rule["alert"] for group in rules["groups"] for rule in group["rules"]}
    tests = yaml.safe_load((PROMETHEUS / "alerts_test.yml").read_text())["tests"]
    fired = {case["alertname"] for test in tests for case in test.get("alert_rule_test", [])
             if case.get("exp_alerts")}
    assert alerts - fired == set(), f"alerts no test sees firing: {sorted(alerts - fired)}"


def _exported_names() -> set[str]:
    """Series names the code exports: prometheus_client's metrics in observability, the
    scrape-time gauges, and what the backup script writes for the textfile collector."""
    from prometheus_client.metrics import MetricWrapperBase

    from smarterchat.backend import observability

    names = set()
    for metric in vars(observability).values():
        if isinstance(metric, MetricWrapperBase):
            for family in metric.describe():
                names.update(family.name + suffix
                             for suffix in ("", "_total", "_bucket", "_count", "_sum"))
    source = (ROOT / "smarterchat" / "backend" / "observability.py").read_text()
    names.update(re.findall(r'gauge\("(smarterchat_[a-z_]+)"', source))
    backup = (ROOT / "deploy" / "backup" / "backup.sh").read_text()
    names.update(re.findall(r"\b(smarterchat_backup_[a-z_]+)", backup))
    return names


def test_the_rules_watch_only_metrics_that_exist():
    used = set(re.findall(r"\b(smarterchat_[a-z_]+)", (PROMETHEUS / "alerts.yml").read_text()))
    missing = used - _exported_names()
    assert not missing, f"alerts.yml watches metrics nothing exports: {sorted(missing)}"


def test_the_dashboard_shows_what_the_alerts_watch():
    dashboard = json.loads((ROOT / "deploy" / "grafana" / "smarterchat.json").read_text())
    queries = " ".join(target["expr"] for panel in dashboard["panels"]
                       for target in panel.get("targets", []))
    rules = (PROMETHEUS / "alerts.yml").read_text()
    for name in set(re.findall(r"\b(smarterchat_[a-z_]+)", rules)) - {
            "smarterchat_ai_budget_exhausted_total"}:
        base = re.sub(r"_(bucket|count|sum)$", "", name)
        assert base in queries, f"the dashboard has no panel for {name}"
