"""``flask backup create FILE`` and ``flask backup restore FILE [--force]``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from committees.operations import backup

backup_cli = AppGroup("backup", help="Back up and restore the database and the uploaded files.")


class _Bar:
    """A progress bar per phase, for a person at a terminal."""

    def __init__(self):
        self._bar = None

    def start(self, phase: str, total: int) -> None:
        self.finish()
        self._bar = click.progressbar(length=total, label=phase.ljust(8), show_pos=True)
        self._bar.__enter__()

    def advance(self, item: str) -> None:
        self._bar.update(1)

    def finish(self) -> None:
        # Also called after a failure, so that the error starts on a line of its own.
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


class _Lines:
    """One line per phase, for logs and pipes (no bar escape codes there)."""

    def __init__(self):
        self._phase = None

    def start(self, phase: str, total: int) -> None:
        self._phase = phase
        click.echo(f"{phase}: {total} items...")

    def advance(self, item: str) -> None:
        pass

    def finish(self) -> None:
        if self._phase is not None:
            click.echo(f"{self._phase}: done")
            self._phase = None


def _progress() -> backup.Progress:
    return _Bar() if sys.stdout.isatty() else _Lines()


def _abandon(progress: backup.Progress) -> None:
    if isinstance(progress, _Bar):
        progress.finish()


def _describe(summary: backup.BackupSummary) -> str:
    return (
        f"{summary.path}: {summary.tables} tables, {summary.rows} rows, {summary.files} files "
        f"(revision {summary.revision}; sealed with the key of {summary.key})"
    )


@backup_cli.command("create")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def create_command(file: Path) -> None:
    """Write one archive (ZIP) of the database and the upload folder to FILE, sealed with
    an HMAC-SHA-256 under BACKUP_KEY (else a key derived from SECRET_KEY)."""
    progress = _progress()
    try:
        summary = backup.create_backup(file, progress=progress)
    except (backup.BackupError, OSError) as exc:
        _abandon(progress)
        raise click.ClickException(str(exc)) from None
    click.echo(f"Backup written: {_describe(summary)}")


@backup_cli.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Empty a database that holds rows, then restore.")
def restore_command(file: Path, force: bool) -> None:
    """Restore an archive made by `flask backup create` (after `flask db upgrade`): its
    seal is checked first, under the same key as the installation that made it."""
    progress = _progress()
    try:
        summary = backup.restore_backup(file, force=force, progress=progress)
    except (backup.BackupError, OSError) as exc:
        _abandon(progress)
        raise click.ClickException(str(exc)) from None
    click.echo(f"Backup restored: {_describe(summary)}")
