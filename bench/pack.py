"""Building the session pack of a session with 40 documents of 1-5 MB: time and peak memory.

    .venv/bin/python bench/pack.py [--documents 40] [--min-mb 1] [--max-mb 5]

A first process makes a SQLite database and file store in a temporary folder: a session
of three items with 40 PDF documents of 2-10 pages, each padded to 1-5 MB by an
incompressible image (generated once with pypdf). A second, fresh process then builds one
member's pack (``pack.services.build``: WeasyPrint front matter, documents appended with
pypdf from their files, written to disk) and prints its wall time, the peak of Python
allocations (tracemalloc) and the process's peak resident memory (ru_maxrss), so that the
generation of the inputs does not count.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_app(folder: Path):
    from committees import create_app

    return create_app(
        {
            "PROFILE": "testing",
            "UPLOAD_FOLDER": str(folder / "uploads"),
            "MAIL_FILE_DIR": str(folder / "mail"),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}",
        }
    )


def prepare(folder: Path, documents: int, min_mb: float, max_mb: float) -> int:
    """Create the session and its documents; return the total size of the documents."""
    from committees.common import filestore
    from committees.extensions import db
    from committees.meetings.agenda.services import add_document
    from tests.support.convocations import build_session
    from tests.support.pack import make_pdf

    app = make_app(folder)
    rng = random.Random(22)
    total = 0
    with app.app_context():
        db.create_all()
        s = build_session(db, members=3)
        for n in range(documents):
            size = int(rng.uniform(min_mb, max_mb) * 1024 * 1024)
            data = make_pdf(rng.randint(2, 10), pad_bytes=size)
            total += len(data)
            with filestore.staged_files():
                add_document(
                    s.items[n % 3], title=f"Document {n + 1}", data=data, filename=f"d{n}.pdf"
                )
            db.session.commit()
    return total


def build(folder: Path) -> None:
    """In a fresh process: build Bruno's pack and print the figures."""
    from sqlalchemy import select

    from committees.bodies.models import Mandate
    from committees.extensions import db
    from committees.meetings.models import Meeting
    from committees.meetings.pack.services import build as build_row
    from committees.meetings.pack.services import request_pack

    app = make_app(folder)
    with app.app_context(), app.test_request_context():
        meeting = db.session.scalars(select(Meeting)).one()
        mandate = db.session.scalars(select(Mandate).order_by(Mandate.id)).all()[1]
        row = request_pack(meeting, mandate)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        began = time.perf_counter()
        build_row(row)
        elapsed = time.perf_counter() - began
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        assert row.status == "ready", row.error
        # a second build under tracemalloc (slower: not timed) for the Python peak
        tracemalloc.start()
        build_row(row)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"pack: {row.page_count} pages, {row.size / 1024 / 1024:.1f} MiB")
        print(f"build time: {elapsed:.2f} s (first build, without tracemalloc)")
        print(f"peak Python allocations (tracemalloc): {peak / 1024 / 1024:.1f} MiB")
        print(
            f"peak RSS of the process: {rss_after / 1024:.0f} MiB "
            f"(before the build: {rss_before / 1024:.0f} MiB)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=40)
    parser.add_argument("--min-mb", type=float, default=1.0)
    parser.add_argument("--max-mb", type=float, default=5.0)
    parser.add_argument("--build", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        build(args.build)
        return
    with tempfile.TemporaryDirectory(prefix="bench-pack-") as tmp:
        folder = Path(tmp)
        total = prepare(folder, args.documents, args.min_mb, args.max_mb)
        print(f"{args.documents} documents, {total / 1024 / 1024:.0f} MiB in all")
        subprocess.run([sys.executable, __file__, "--build", str(folder)], check=True)


if __name__ == "__main__":
    main()
