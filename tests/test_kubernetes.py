"""The Kubernetes manifests in deploy/kubernetes: valid against the API's schemas (offline, with
kubernetes-validate, strict: no unknown field), and saying what the app needs (its health path
and port, cookie affinity and websocket timeouts at the ingress, the upload limit, memory from
the measured figures)."""

from __future__ import annotations

import math
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from deploy.cluster import FORM_OVERHEAD_BYTES
from geo.geocoding.readers import MAX_UPLOAD_BYTES

MANIFESTS = Path(__file__).resolve().parent.parent / "deploy" / "kubernetes"
KUBERNETES_VERSION = "1.30.0"  # a version still served by every major cloud in 2026
HEALTH = "/_stcore/health"  # Streamlit's health endpoint
MEASURED_MB_PER_REPLICA = 474  # README "Deploying": one server saturated by 300 visitors


def documents() -> dict[str, dict]:
    found = {}
    for path in sorted(MANIFESTS.glob("*.yaml")):
        for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            found[document["kind"]] = document
    return found


@pytest.mark.parametrize("kind", ["Deployment", "Service", "Ingress"])
def test_each_manifest_is_valid_for_the_api(kind):
    document = documents()[kind]
    kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


def test_a_broken_manifest_is_refused():  # the validator does reject what it should
    deployment = documents()["Deployment"]
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    container["livenessProbe"]["httpGet"]["pathh"] = HEALTH  # a typo of a field
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)


def mebibytes(quantity: str) -> float:
    units = {"Mi": 1, "Gi": 1024}
    return float(quantity[:-2]) * units[quantity[-2:]]


def test_the_pods_are_probed_on_streamlits_health_and_sized_from_the_measures():
    pod = documents()["Deployment"]["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    (port,) = container["ports"]
    assert port["containerPort"] == 8501  # deploy/Dockerfile's PORT
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"] == {"path": HEALTH, "port": port["name"]}
    resources = container["resources"]
    megabytes = MEASURED_MB_PER_REPLICA * 1e6 / 2**20
    assert mebibytes(resources["requests"]["memory"]) >= megabytes
    assert mebibytes(resources["limits"]["memory"]) >= 2 * megabytes  # room for uploads
    assert resources["limits"]["cpu"] == "1"  # one Streamlit process uses one core at most


def test_the_ingress_sticks_browsers_to_a_pod_and_keeps_websockets_open():
    ingress = documents()["Ingress"]
    notes = ingress["metadata"]["annotations"]
    assert notes["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert notes["nginx.ingress.kubernetes.io/session-cookie-name"] == "carte_ess_route"
    assert int(notes["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600
    body = math.ceil((MAX_UPLOAD_BYTES + FORM_OVERHEAD_BYTES) / 2**20)
    assert notes["nginx.ingress.kubernetes.io/proxy-body-size"] == f"{body}m"
    service = documents()["Service"]
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend == {"name": service["metadata"]["name"], "port": {"name": "http"}}
    deployment = documents()["Deployment"]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= labels.items()
