#!/usr/bin/python3
"""Execute the reference notebook for real and write an article-style run folder.

    /usr/bin/python3 run_reference.py --supabase supabase.json [--out RUN_DIR] [--run-id ID] [--timeout S]

The notebook runs in a throw-away working directory next to a copy of supabase.json, on a Jupyter
kernel pinned to this interpreter. The run folder (default runs/ab-test-analysis/reference/<run-id>/)
receives the executed analysis.ipynb, summary.json, the three charts and metadata.json — never
supabase.json, and the API key is redacted from every file written.
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

HERE = Path(__file__).resolve().parent
NOTEBOOK = HERE / "ab-test-analysis.ipynb"
BENCHMARK = {"id": "ab-test-analysis", "title": "A/B Test Production Analysis"}
MODEL = {"id": "reference-solution", "slug": "reference"}
CHARTS = ["chart-distribution.png", "chart-treatment-effect.png", "chart-completion-rates.png"]
REDACTED = "[REDACTED]"

# import name -> Debian package that provides it for /usr/bin/python3
REQUIRED_MODULES = {
    "pandas": "python3-pandas",
    "scipy": "python3-scipy",
    "matplotlib": "python3-matplotlib",
    "requests": "python3-requests",
    "nbformat": "python3-nbformat",
    "nbclient": "python3-nbclient",
    "ipykernel": "python3-ipykernel",
}


class RunError(Exception):
    """A failure with a message meant for the user (printed without a traceback)."""


def check_modules() -> dict[str, str]:
    """Import every module the run needs; name the interpreter and the missing packages otherwise."""
    versions, missing = {}, []
    for module, package in REQUIRED_MODULES.items():
        try:
            versions[module] = getattr(importlib.import_module(module), "__version__", "unknown")
        except ImportError:
            missing.append(f"{module} (Debian package {package})")
    if missing:
        raise RunError(
            f"{sys.executable} (Python {platform.python_version()}) cannot import: {', '.join(missing)}. "
            "Install them with scripts/install-system-deps.sh (apt-get install "
            + " ".join(REQUIRED_MODULES[m.split(' ')[0]] for m in missing)
            + ")."
        )
    return versions


def load_supabase_config(path: Path) -> tuple[dict, list[str]]:
    """Validate supabase.json and return it with the secrets it holds (for redaction)."""
    try:
        config = json.loads(path.read_text("utf8"))
    except FileNotFoundError:
        raise RunError(f"supabase.json not found: {path}") from None
    except json.JSONDecodeError as error:
        raise RunError(f"{path} is not valid JSON: {error}") from None
    url, headers = config.get("url") if isinstance(config, dict) else None, None
    if isinstance(config, dict):
        headers = config.get("headers")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise RunError(f"{path}: 'url' must be the table endpoint (an http(s) URL)")
    if not isinstance(headers, dict) or not isinstance(headers.get("apikey"), str) or not headers["apikey"]:
        raise RunError(f"{path}: 'headers' must be an object with a non-empty 'apikey'")
    secrets = {headers["apikey"]}
    for name, value in headers.items():
        if name.lower() == "authorization" and isinstance(value, str):
            secrets.add(value.removeprefix("Bearer ").strip())
    secrets.update(parse_qs(urlsplit(url).query).get("apikey", []))
    return config, sorted((s for s in secrets if s), key=len, reverse=True)


def redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return text


def pinned_kernel_manager(kernel_root: Path):
    """A kernel manager whose only kernel runs on this very interpreter (not whatever 'python3' resolves to)."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    spec_dir = kernel_root / "localds-reference"
    spec_dir.mkdir(parents=True)
    spec = {
        # -Xfrozen_modules=off: keeps ipykernel's debugger from warning on stderr at every start.
        "argv": [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": f"Python {platform.python_version()} ({sys.executable})",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    specs = KernelSpecManager(kernel_dirs=[str(kernel_root)], ensure_native_kernel=False)
    return KernelManager(kernel_name="localds-reference", kernel_spec_manager=specs)


def execute_notebook(workdir: Path, kernel_root: Path, timeout: int):
    """Run every cell in workdir; return (executed notebook, error or None, seconds)."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = nbformat.read(workdir / "analysis.ipynb", as_version=4)
    kernel = pinned_kernel_manager(kernel_root)
    client = NotebookClient(notebook, km=kernel, timeout=timeout, resources={"metadata": {"path": str(workdir)}})
    started = time.perf_counter()
    error = None
    try:
        client.execute()
    except CellExecutionError as failure:
        error = failure
    finally:
        # nbclient leaves a kernel it did not create running; this one is ours to stop.
        if kernel.has_kernel:
            kernel.shutdown_kernel(now=True)
    return notebook, error, time.perf_counter() - started


def run_id_now(now: datetime) -> str:
    # The article's run ids: an ISO timestamp with ':' and '.' made path-safe.
    return now.strftime("%Y-%m-%dT%H-%M-%S-") + f"{now.microsecond // 1000:03d}Z"


def iso(now: datetime) -> str:
    return now.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def write_text(path: Path, text: str, secrets: list[str]) -> None:
    path.write_text(redact(text, secrets), "utf8")


def assert_no_secret(run_dir: Path, secrets: list[str]) -> None:
    """Last line of defence: no file of the run folder may contain the key, in any encoding we wrote."""
    for file in run_dir.iterdir():
        data = file.read_bytes()
        for secret in secrets:
            if secret.encode() in data:
                raise RunError(f"refusing to leave the API key in {file}; the run folder was removed")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--supabase", required=True, type=Path, help="supabase.json with url and headers")
    parser.add_argument("--out", type=Path, help="run folder (default runs/ab-test-analysis/reference/<run-id>)")
    parser.add_argument("--run-id", help="run id (default: the start time, as the article names runs)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell (default 600)")
    args = parser.parse_args(argv)

    versions = check_modules()
    config, secrets = load_supabase_config(args.supabase)
    created = datetime.now(timezone.utc)
    run_id = args.run_id or run_id_now(created)
    run_dir = args.out or Path("runs") / BENCHMARK["id"] / MODEL["slug"] / run_id
    if run_dir.exists() and any(run_dir.iterdir()):
        raise RunError(f"run folder {run_dir} already exists and is not empty")

    with tempfile.TemporaryDirectory(prefix="localds-reference-") as tmp:
        workdir, kernel_root = Path(tmp) / "work", Path(tmp) / "kernels"
        workdir.mkdir()
        shutil.copyfile(NOTEBOOK, workdir / "analysis.ipynb")
        (workdir / "supabase.json").write_text(json.dumps(config))
        notebook, error, seconds = execute_notebook(workdir, kernel_root, args.timeout)

        import nbformat

        run_dir.mkdir(parents=True, exist_ok=True)
        write_text(run_dir / "analysis.ipynb", nbformat.writes(notebook), secrets)
        produced = [name for name in ["summary.json", *CHARTS] if (workdir / name).is_file()]
        for name in produced:
            if name.endswith(".json"):
                write_text(run_dir / name, (workdir / name).read_text("utf8"), secrets)
            else:
                shutil.copyfile(workdir / name, run_dir / name)

    finished = datetime.now(timezone.utc)
    ds_assets = {
        "notebook": "analysis.ipynb",
        "summary": "summary.json",
        "chartDistribution": CHARTS[0],
        "chartTreatmentEffect": CHARTS[1],
        "chartCompletionRates": CHARTS[2],
    }
    metadata = {
        "schemaVersion": 1,
        "kind": "data-science",
        "runId": run_id,
        "benchmark": BENCHMARK,
        "model": MODEL,
        "status": "failed" if error else "completed",
        "createdAt": iso(created),
        "updatedAt": iso(finished),
        "completedAt": iso(finished),
        "runDirectory": str(run_dir),
        "assets": {"metadata": "metadata.json", "ds": ds_assets},
        "runner": {
            "mode": "reference",
            "intendedRunner": "nbclient",
            "python": {"executable": sys.executable, "version": platform.python_version()},
            "packages": versions,
            "retries": 0,
        },
        "timings": {"notebookSeconds": round(seconds, 3)},
        "outputs": produced,
    }
    if error:
        metadata["error"] = f"{error.ename}: {error.evalue}"
    write_text(run_dir / "metadata.json", json.dumps(metadata, indent=2) + "\n", secrets)
    try:
        assert_no_secret(run_dir, secrets)
    except RunError:
        shutil.rmtree(run_dir)
        raise

    if error:
        raise RunError(
            f"the notebook failed after {seconds:.1f} s with {redact(metadata['error'], secrets)} "
            f"(the traceback is in {run_dir / 'analysis.ipynb'})"
        )
    print(json.dumps({"runDirectory": str(run_dir), "notebookSeconds": round(seconds, 3), "outputs": produced}))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except RunError as failure:
        print(f"run_reference: {failure}", file=sys.stderr)
        sys.exit(1)
