"""`bash manage.sh audit`: the project's dependencies checked against published advisories, saying
how many packages each source really covered (an audit that checked nothing must not look clean).

Sources, each used when it can be reached:
  PyPI      the `vulnerabilities` of each project's JSON (pypi.org/pypi/NAME/json). PyPI lists them
            for the latest release only, so it audits the packages installed at their latest release;
            the others are counted as not covered by it. (pip-audit's default asks pypi.org for
            /pypi/NAME/VERSION/json, which some mirrors do not serve: it then reports nothing found
            after auditing nothing.)
  OSV files a copy of OSV advisories for PyPI (`--advisories DIR`: the PyPA advisory-database's
            vulns/ folder, YAML, or OSV's PyPI export, JSON), matched version by version: every
            installed package is covered, as of the copy's date.
  Debian    the installed Debian packages against the security archive apt knows
            (`apt-get -s upgrade`: any upgrade from a -security suite is an unpatched advisory).

Exit 0 when nothing known affects what is installed, 1 when something does, 2 when no source could
audit anything.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

from packaging.version import InvalidVersion, Version


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def installed() -> dict[str, str]:
    """Every distribution installed in this environment: canonical name -> version."""
    found = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            found[canonical(name)] = dist.version
    found.pop("membership-dashboard", None)  # the project itself
    return found


# ---------------------------------------------------------------- PyPI

def pypi_project(name: str) -> dict | None:
    try:
        with urllib.request.urlopen(f"https://pypi.org/pypi/{name}/json", timeout=30) as answer:
            return json.load(answer)
    except (urllib.error.URLError, OSError, ValueError):
        return None


def audit_pypi(packages: dict[str, str]) -> tuple[int, int, list[str]]:
    """(covered, unreachable, findings): a package is covered when it is at its latest release."""
    with ThreadPoolExecutor(8) as pool:
        answers = dict(zip(packages, pool.map(pypi_project, packages)))
    covered, unreachable, findings = 0, 0, []
    for name, version in sorted(packages.items()):
        project = answers[name]
        if project is None:
            unreachable += 1
            continue
        if project["info"]["version"] != version:
            continue
        covered += 1
        for vuln in project.get("vulnerabilities") or []:
            if not vuln.get("withdrawn"):
                findings.append(f"{name} {version}: {vuln.get('id')} {', '.join(vuln.get('aliases') or [])} "
                                f"(fixed in {', '.join(vuln.get('fixed_in') or []) or 'no release yet'})")
    return covered, unreachable, findings


# ---------------------------------------------------------------- OSV files

def read_advisory(path: Path) -> dict | None:
    try:
        if path.suffix == ".json":
            return json.loads(path.read_text("utf-8"))
        import yaml

        return yaml.safe_load(path.read_text("utf-8"))
    except (OSError, ValueError, ImportError) as exc:
        print(f"audit: skipped {path}: {exc}", file=sys.stderr)
        return None


def past_the_end(event: dict, version: Version) -> bool:
    """Whether `version` is at or after a `fixed` event, or after a `last_affected` one."""
    if "fixed" in event:
        return version >= Version(str(event["fixed"]))
    return "last_affected" in event and version > Version(str(event["last_affected"]))


def affects(affected: dict, version: Version, text: str) -> bool:
    """Whether one `affected` entry of an OSV record covers `version`."""
    if text in (affected.get("versions") or []):
        return True
    for span in affected.get("ranges") or []:
        if span.get("type") != "ECOSYSTEM":
            continue
        inside = False  # events in version order: inside from an introduced, out at a fixed
        for event in span.get("events") or []:
            try:
                if "introduced" in event and (event["introduced"] == "0" or version >= Version(str(event["introduced"]))):
                    inside = True
                elif past_the_end(event, version):
                    inside = False
            except InvalidVersion:
                continue
        if inside:
            return True
    return False


def audit_osv(packages: dict[str, str], folder: Path) -> tuple[int, int, list[str]]:
    """(covered, advisories read, findings) against OSV records under `folder`."""
    records: dict[str, list[dict]] = {}
    files = [p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml", ".json")]
    for path in files:
        record = read_advisory(path)
        if not isinstance(record, dict) or record.get("withdrawn"):
            continue
        for affected in record.get("affected") or []:
            package = affected.get("package") or {}
            if package.get("ecosystem") == "PyPI" and package.get("name"):
                records.setdefault(canonical(package["name"]), []).append({"id": record.get("id"), "affected": affected,
                                                                           "aliases": record.get("aliases") or []})
    findings = []
    for name, text in sorted(packages.items()):
        try:
            version = Version(text)
        except InvalidVersion:
            continue
        for entry in records.get(name, []):
            if affects(entry["affected"], version, text):
                findings.append(f"{name} {text}: {entry['id']} {', '.join(entry['aliases'])}".rstrip())
    return len(packages), len(files), findings


# ---------------------------------------------------------------- Debian

def audit_debian() -> tuple[int, list[str]] | None:
    """(installed Debian packages, those with an upgrade waiting in a -security suite), or None."""
    if not shutil.which("apt-get") or not shutil.which("dpkg-query"):
        return None
    subprocess.run(["apt-get", "update", "-qq"], capture_output=True, check=False)
    listed = subprocess.run(["dpkg-query", "-W", "-f", "${Status}\\n"], capture_output=True, text=True, check=False)
    count = sum(1 for line in listed.stdout.splitlines() if line.endswith(" installed"))
    plan = subprocess.run(["apt-get", "-s", "-o", "Debug::NoLocking=1", "upgrade"], capture_output=True, text=True,
                          check=False)
    if plan.returncode != 0:
        return None
    pending = [f"{m[1]} {m[2] or '?'} -> {m[3]}" for line in plan.stdout.splitlines()
               if "-security" in line.lower() and (m := re.match(r"Inst (\S+) (?:\[(\S+)\] )?\((\S+)", line))]
    return count, pending


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--advisories", type=Path, help="a folder of OSV advisories for PyPI (YAML or JSON)")
    parser.add_argument("--no-system", action="store_true", help="skip the Debian packages")
    args = parser.parse_args()
    packages = installed()
    print(f"Python: {len(packages)} packages installed in this environment.")
    findings: list[str] = []
    audited_any = False

    covered, unreachable, found = audit_pypi(packages)
    print(f"  PyPI advisories: {covered} of {len(packages)} audited (those at their latest release); "
          f"{len(packages) - covered - unreachable} older than their latest release are not covered by this source"
          + (f"; {unreachable} could not be looked up" if unreachable else "") + f"; {len(found)} found.")
    findings += found
    audited_any |= covered > 0

    if args.advisories:
        covered, read, found = audit_osv(packages, args.advisories)
        print(f"  OSV advisories in {args.advisories}: {read} files read; {covered} of {len(packages)} audited, "
              f"version by version; {len(found)} found.")
        findings += found
        audited_any |= read > 0
    else:
        print("  OSV advisories: not given (--advisories DIR): packages older than their latest release are "
              "audited only by a source that knows every version.")

    if not args.no_system:
        debian = audit_debian()
        if debian is None:
            print("Debian: not audited (no apt, or its package lists could not be read).")
        else:
            count, pending = debian
            print(f"Debian: {count} installed packages checked against the security archive apt knows; "
                  f"{len(pending)} with a security update waiting.")
            findings += [f"debian {line}" for line in pending]
            audited_any |= count > 0

    for line in sorted(set(findings)):
        print(f"  VULNERABLE {line}")
    if not audited_any:
        print("Nothing could be audited: no source was reachable.", file=sys.stderr)
        return 2
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
