"""The Kubernetes manifests (``kubectl kustomize deploy/k8s``) and the compose file run the
process layout the nginx test starts for real: the same ``manage.py`` commands, ports and
health routes, and the objects that keep it up (probes, disruption budgets, autoscaler)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.support import need

ROOT = Path(__file__).resolve().parent.parent
APP_PORT = 8000
WORKER_METRICS_PORT = 9100


def _manage_commands() -> tuple[str, ...]:
    spec = importlib.util.spec_from_file_location("manage_for_test", ROOT / "manage.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.COMMANDS


def _api_paths() -> set[str]:
    from smarterchat.backend.api.ops import router

    return {route.path for route in router.routes}


@pytest.fixture(scope="module")
def rendered(request):
    kubectl = shutil.which("kubectl")
    need(request, bool(kubectl), "kubectl (apt-get install kubernetes-client)")
    out = subprocess.run([kubectl, "kustomize", str(ROOT / "deploy" / "k8s")],
                         capture_output=True, text=True, check=False, timeout=60)
    assert out.returncode == 0, out.stderr
    objects = [doc for doc in yaml.safe_load_all(out.stdout) if doc]
    return {(doc["kind"], doc["metadata"]["name"]): doc for doc in objects}


def _container(rendered, kind: str, name: str) -> dict:
    pod = rendered[(kind, name)]["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    return container


def test_every_python_container_runs_a_manage_py_command(rendered):
    commands = _manage_commands()
    seen = {}
    for (kind, name), doc in rendered.items():
        if kind not in ("Deployment", "Job"):
            continue
        for container in doc["spec"]["template"]["spec"]["containers"]:
            if "smarterchat-app" in container["image"]:
                assert container["command"][:2] == ["python3", "manage.py"], name
                assert container["command"][2] in commands, container["command"]
                seen[name] = container["command"][2]
    assert seen == {"app": "app", "worker": "worker", "scheduler": "scheduler",
                    "smarterchat-migrate": "migrate"}
    assert rendered[("Namespace", "smarterchat")]
    assert all(doc["metadata"].get("namespace") == "smarterchat"
               for (kind, _), doc in rendered.items() if kind != "Namespace")


def test_the_app_listens_where_its_probes_and_service_look(rendered):
    app = _container(rendered, "Deployment", "app")
    config = rendered[("ConfigMap", "smarterchat-config")]["data"]
    assert int(config["SMARTERCHAT_PORT"]) == APP_PORT
    assert app["ports"] == [{"name": "http", "containerPort": APP_PORT}]
    assert app["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert app["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert app["startupProbe"]["httpGet"]["path"] == "/healthz"
    assert {"/readyz", "/healthz"} <= _api_paths()  # the routes the nginx test calls
    assert app["resources"]["requests"] and app["resources"]["limits"]["memory"]

    service = rendered[("Service", "app")]["spec"]
    assert service["ports"][0]["targetPort"] == "http"
    assert service["selector"] == rendered[("Deployment", "app")]["spec"]["selector"][
        "matchLabels"]
    upstream = rendered[("ConfigMap", "web-upstream")]["data"]["upstream.conf"]
    assert f"server app:{service['ports'][0]['port']};" in upstream
    assert "upstream smarterchat_app" in upstream  # the name deploy/nginx proxies to


def test_workers_stop_gracefully_scale_and_the_scheduler_is_alone(rendered):
    worker = _container(rendered, "Deployment", "worker")
    assert "-n" not in worker["command"]  # manage.py adds it; a second one is harmless but noise
    assert worker["livenessProbe"]["exec"]["command"][:3] == ["python3", "manage.py",
                                                              "check-worker"]
    assert rendered[("Deployment", "worker")]["spec"]["template"]["spec"][
        "terminationGracePeriodSeconds"] >= 60
    env = {item["name"]: item["value"] for item in worker["env"]}
    assert int(env["SMARTERCHAT_WORKER_METRICS_PORT"]) == WORKER_METRICS_PORT
    assert worker["ports"][0]["containerPort"] == WORKER_METRICS_PORT

    hpa = rendered[("HorizontalPodAutoscaler", "worker")]["spec"]
    assert hpa["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment",
                                     "name": "worker"}
    assert hpa["minReplicas"] >= 2

    scheduler = rendered[("Deployment", "scheduler")]["spec"]
    assert scheduler["replicas"] == 1
    assert scheduler["strategy"] == {"type": "Recreate"}


def test_disruption_budgets_cover_what_serves(rendered):
    budgets = {doc["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"]
               for (kind, _), doc in rendered.items() if kind == "PodDisruptionBudget"}
    assert budgets == {"smarterchat-app", "smarterchat-web", "smarterchat-worker"}
    for name in ("app", "web", "worker"):
        assert rendered[("Deployment", name)]["spec"]["replicas"] >= 2


def test_the_ingress_keeps_websockets_open_and_sends_all_to_the_web_nginx(rendered):
    ingress = rendered[("Ingress", "smarterchat")]
    annotations = ingress["metadata"]["annotations"]
    assert int(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600
    (rule,) = ingress["spec"]["rules"]
    (path,) = rule["http"]["paths"]
    assert path["backend"]["service"]["name"] == "web"
    assert ingress["spec"]["tls"][0]["hosts"] == [rule["host"]]
    web = _container(rendered, "Deployment", "web")
    assert web["ports"][0]["containerPort"] == 8080  # deploy/nginx/smarterchat.conf listens here
    assert "listen 8080;" in (ROOT / "deploy" / "nginx" / "smarterchat.conf").read_text()


def test_the_secret_template_holds_what_production_refuses_to_start_without(rendered):
    secret = rendered[("Secret", "smarterchat-secrets")]["stringData"]
    for name in ("SMARTERCHAT_SECRET_KEY", "SMARTERCHAT_ENCRYPTION_KEY",
                 "SMARTERCHAT_DATABASE_URL", "SMARTERCHAT_REDIS_URL"):
        assert name in secret
    assert all("REPLACE" in value for value in secret.values())


def test_the_compose_file_runs_the_same_commands():
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
    commands = _manage_commands()
    run = {name: service["command"][2] for name, service in compose["services"].items()
           if service.get("command", [None])[0:2] == ["python3", "manage.py"]}
    assert run == {"migrate": "migrate", "app1": "app", "app2": "app", "worker": "worker",
                   "scheduler": "scheduler"}
    assert set(run.values()) <= set(commands)
    assert compose["services"]["app1"]["depends_on"]["migrate"]["condition"] == \
        "service_completed_successfully"
    upstream = (ROOT / "deploy" / "nginx" / "upstream.conf").read_text()
    for name in ("app1", "app2"):
        assert f"server {name}:{APP_PORT} " in upstream
