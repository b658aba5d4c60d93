"""The GitHub Pages workflow the README tells users to copy: its build command is one this CLI
accepts, and it builds a site whose links point at the Pages address."""
from __future__ import annotations

import shlex
from pathlib import Path

import yaml

from dashboard.cli.main import main

WORKFLOW = Path(__file__).resolve().parents[2] / "docs" / "github-pages-workflow.yml"
PAGES_URL = "https://someone.github.io/membership"


def build_step() -> dict:
    steps = yaml.safe_load(WORKFLOW.read_text())["jobs"]["build"]["steps"]
    return next(step for step in steps if "membership build-site" in step.get("run", ""))


def test_workflow_can_deploy_to_pages():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build = workflow["jobs"]["build"]["steps"]
    upload = next(step for step in build if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == shlex.split(build_step()["run"])[2]  # what build-site wrote
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_workflow_build_command_builds_a_site_for_the_pages_address(tmp_path, monkeypatch):
    monkeypatch.setattr("dashboard.export.site.export_image", lambda *a, **k: b"\x89PNG test image")
    command = build_step()["run"].replace("${{ steps.pages.outputs.base_url }}", PAGES_URL)
    args = shlex.split(command)
    assert args[:2] == ["membership", "build-site"]
    args[2] = str(tmp_path / args[2])
    assert main(args[1:]) == 0
    embed = (tmp_path / "_site" / "embed.html").read_text()
    assert embed.startswith(f'<iframe src="{PAGES_URL}/index.html"')
