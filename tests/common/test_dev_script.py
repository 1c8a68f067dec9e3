"""``scripts/dev serve`` (issue 20, newcomer): ``PORT`` moves the links with the server,
and stopping the server stops the background mail sender, without an error.

The script runs for real, in a virtualenv of stand-ins: ``python`` is this one (for the
requirements digest), ``flask`` writes down what it was asked and how it was set up.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "dev"

FAKE_FLASK = """#!/usr/bin/env bash
case "$1" in
  send-mail) echo $$ > "$RECORD/sender.pid"; exec sleep 300 ;;
  run)
    # A server runs for a while: at least until the sender has started (else stopping it
    # could come before the sender wrote down who it is).
    for _ in $(seq 200); do [ -s "$RECORD/sender.pid" ] && break; sleep 0.05; done
    echo "$PUBLIC_BASE_URL $5" > "$RECORD/run.txt"
    [ -z "$KEEP_RUNNING" ] || { echo $$ > "$RECORD/server.pid"; exec sleep 300; } ;;
esac
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone for our purpose: it runs nothing any more.
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split()[2] == "Z")


@pytest.fixture
def venv(tmp_path):
    """A virtualenv of stand-ins, already "installed" for today's requirements."""
    bin_dir = tmp_path / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").symlink_to(sys.executable)
    for name, body in (("flask", FAKE_FLASK), ("pybabel", "#!/bin/sh\n")):
        (bin_dir / name).write_text(body)
        (bin_dir / name).chmod(0o755)
    requirements = b"".join(p.read_bytes() for p in sorted(ROOT.glob("requirements*.txt")))
    stamp = tmp_path / "venv" / ".installed-requirements.txt"
    stamp.write_text(hashlib.sha256(requirements).hexdigest() + "\n")
    record = tmp_path / "record"
    record.mkdir()
    return tmp_path / "venv", record


def _environment(venv, record, **extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PUBLIC_BASE_URL", "PORT")}
    env.update(VENV=str(venv), RECORD=str(record), **extra)
    return env


def _wait_for(path: Path) -> str:
    for _ in range(200):
        if path.exists() and path.read_text().strip():
            return path.read_text().strip()
        time.sleep(0.05)
    raise AssertionError(f"{path.name} never written")


def _wait_until_running(pid: int, command: str) -> None:
    comm = Path(f"/proc/{pid}/comm")
    for _ in range(200):
        if comm.exists() and comm.read_text().strip() == command:
            return
        time.sleep(0.05)
    raise AssertionError(f"process {pid} never ran {command}")


def test_the_script_parses():
    subprocess.run(["bash", "-n", str(SCRIPT)], check=True)


def test_port_moves_the_links_and_the_sender_stops_with_the_server(venv):
    venv_dir, record = venv

    done = subprocess.run(
        [str(SCRIPT), "serve"],
        env=_environment(venv_dir, record, PORT="5101"),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 0, done.stderr
    assert "unbound variable" not in done.stderr
    assert _wait_for(record / "run.txt") == "http://127.0.0.1:5101 5101"
    assert not _alive(int(_wait_for(record / "sender.pid")))


def test_a_public_base_url_set_by_hand_is_kept(venv):
    venv_dir, record = venv

    subprocess.run(
        [str(SCRIPT), "serve"],
        env=_environment(
            venv_dir, record, PORT="5101", PUBLIC_BASE_URL="https://comites.example.org"
        ),
        capture_output=True,
        timeout=60,
        check=True,
    )

    assert _wait_for(record / "run.txt") == "https://comites.example.org 5101"


def test_ctrl_c_stops_the_server_and_the_sender(venv):
    venv_dir, record = venv
    # Its own process group, as a terminal gives it: Ctrl+C signals the whole group.
    server = subprocess.Popen(
        [str(SCRIPT), "serve"],
        env=_environment(venv_dir, record, KEEP_RUNNING="1"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        # As a terminal would: Ctrl+C not ignored, even when this suite runs as a background
        # job (CI runs both passes at once), whose ignored SIGINT would pass on through exec.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert _wait_for(record / "run.txt") == "http://127.0.0.1:5000 5000"
        sender = int(_wait_for(record / "sender.pid"))
        # Ctrl+C once the stand-in server *is* the sleeping process: a SIGINT that reaches
        # its shell just before `exec` would be lost, and the "server" would sleep on.
        _wait_until_running(int(_wait_for(record / "server.pid")), "sleep")
        os.killpg(server.pid, signal.SIGINT)
        stderr = server.communicate(timeout=30)[1]
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
    assert server.returncode == 130
    assert "unbound variable" not in stderr
    assert not _alive(sender)
