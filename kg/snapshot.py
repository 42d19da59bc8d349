"""A store directory -> its writer's lock, and the snapshots that readers read (issue 9).

RocksDB lets one process open a store for writing, and pyoxigraph's
``Store.read_only`` says that reading a store while another process writes it
is undefined behaviour. So nobody reads the live store but its writer:

- A writer (``kg ingest``, ``kg actors merge|split``, the first query that
  needs the ontology graph) holds ``kg-writer.lock`` in the store directory
  exclusively (``fcntl.flock``) for as long as it has the store open, and
  writes who it is into it: a second writer fails with a message naming the
  first, or waits for it.
- The writer publishes a snapshot into ``kg-snapshots/`` when it starts and
  after each batch it commits: a RocksDB checkpoint (``Store.backup``), which
  hard-links the immutable SST files, so it is cheap, and which nobody writes.
  When it ends it names its last snapshot in ``kg-snapshots/CURRENT``; when
  it starts it removes that file.
- Readers (``kg query``, ``export``, ``serve``, the Python API) open a
  snapshot read-only: while a writer runs, the newest one; otherwise the one
  ``CURRENT`` names. They hold a shared flock on its ``N.lock`` while they use
  it; a writer removes an older snapshot only when it can lock it
  exclusively, and leaves the others to a later publish.
- ``kg-publish.lock`` covers the moment between a writer taking its lock and
  publishing its first snapshot: the writer holds it exclusively until then,
  and readers share it while they choose a snapshot.

No ``CURRENT`` and no writer means the last writer was killed, or the store
was written outside this protocol (``open_store`` for writing, an older kg):
the next reader takes the writer's lock for a moment and publishes a
snapshot of the store as RocksDB recovers it. A killed writer's lock goes
with its process; its leftover snapshots go at the next publish.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pyoxigraph as ox

from kg.errors import StoreError

__all__ = ["LOCK_FILE", "SNAPSHOTS", "Snapshot", "WriteSession", "newest_snapshot", "open_for_writing",
           "open_snapshot", "refuse_if_locked", "write_session", "writer_holding"]

logger = logging.getLogger(__name__)

LOCK_FILE = "kg-writer.lock"
PUBLISH_LOCK = "kg-publish.lock"
SNAPSHOTS = "kg-snapshots"
CURRENT = "CURRENT"
_READER = " (snapshot)"   # how a reader publishing a snapshot signs the writer lock it holds a moment
_ATTEMPTS = 400             # times 0.05 s: how long a reader waits for a writer's first snapshot


@dataclass
class Snapshot:
    """A published snapshot, pinned (shared flock) until ``release``."""

    name: str
    directory: Path
    fd: int = field(repr=False)

    def open(self) -> ox.Store:
        """The snapshot as a read-only pyoxigraph store."""
        try:
            return ox.Store.read_only(str(self.directory))
        except OSError as exc:
            raise StoreError(f"{self.directory}: cannot open the snapshot ({_first_line(exc)})") from exc

    def release(self) -> None:
        """Unpin the snapshot: a writer may remove it once it is no longer the newest."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


@dataclass
class WriteSession:
    """A writer's hold on a store: the store open for writing, and the snapshots it publishes."""

    path: Path
    store: ox.Store
    published: str | None = None

    def publish(self) -> None:
        """Publish a snapshot of the store as it is now, and remove the older ones nobody reads."""
        folder = self.path / SNAPSHOTS
        name = f"{_last_number(folder) + 1:06d}"
        os.close(os.open(folder / f"{name}.lock", os.O_WRONLY | os.O_CREAT, 0o644))
        try:
            self.store.backup(str(folder / name))  # RocksDB writes NAME.tmp, then renames it
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot publish a snapshot ({_first_line(exc)})") from exc
        self.published = name
        _prune(folder, keep=name)

    def finish(self) -> None:
        """Publish a last snapshot and name it in CURRENT: what readers see once the writer is gone."""
        self.publish()
        assert self.published is not None
        _name_current(self.path, self.published)


@contextlib.contextmanager
def write_session(path: str | Path, *, wait: bool = False, create: bool = True) -> Iterator[WriteSession]:
    """Hold the writer's lock of the store at *path*, open it for writing, publish a first snapshot.

    The session's last snapshot becomes CURRENT only if the block ends
    normally. Without *wait*, a store another process writes is a
    StoreError naming that process; with it, the call waits its turn.
    """
    path = Path(path)
    if not create and not path.exists():
        raise StoreError(f"{path}: no store here; run 'kg ingest' first or pass --store")
    (path / SNAPSHOTS).mkdir(parents=True, exist_ok=True)
    with _writer_lock(path, wait=wait):
        publish = _lock(path / PUBLISH_LOCK, fcntl.LOCK_EX)
        try:
            (path / SNAPSHOTS / CURRENT).unlink(missing_ok=True)
            session = WriteSession(path, open_for_writing(path))
            session.publish()
        finally:
            os.close(publish)
        try:
            yield session
            session.finish()
        finally:
            del session.store  # closed here, before the lock goes, if nothing else holds it


def refuse_if_locked(path: str | Path) -> None:
    """Raise the StoreError a writer gets if another process writes the store at *path* now."""
    holder = writer_holding(path)
    if holder is not None and not holder.endswith(_READER):
        raise _locked_error(Path(path), holder)


def _locked_error(path: Path, holder: str) -> StoreError:
    return StoreError(f"{path}: locked by {holder}; wait for it to end, or pass --wait")


def writer_holding(path: str | Path) -> str | None:
    """Who holds the writer's lock of the store at *path* ("pid 12 (kg ingest ..., since ...)"), or None."""
    path = Path(path)
    if not (path / LOCK_FILE).exists():
        return None
    with _shared_publish(path):
        return _holder(path)


def _holder(path: Path) -> str | None:
    """writer_holding's answer; call it under the shared publish lock (see _choose)."""
    try:
        fd = os.open(path / LOCK_FILE, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        if _try_lock(fd, fcntl.LOCK_SH):
            return None
        return os.read(fd, 1000).decode("utf-8", "replace").strip() or "another kg process"
    finally:
        os.close(fd)


def open_snapshot(path: str | Path) -> Snapshot:
    """Pin the snapshot a reader of the store at *path* should read, publishing one if there is none."""
    path = Path(path)
    if not path.exists():
        raise StoreError(f"{path}: no store here; run 'kg ingest' first or pass --store")
    for _ in range(_ATTEMPTS):
        with _shared_publish(path):
            name = _choose(path)
            snapshot = _pin(path, name) if name else None
        if snapshot is not None:
            return snapshot
        if name is None and not _refresh(path):
            time.sleep(0.05)  # a writer holds the lock and has not published yet
    raise StoreError(f"{path}: no snapshot of the store appeared; is a kg process stuck writing to it?")


def newest_snapshot(path: str | Path) -> str | None:
    """The name of the snapshot ``open_snapshot`` would pick now, or None if it would publish one."""
    path = Path(path)
    with _shared_publish(path):
        return _choose(path)


# Writer side.

@contextlib.contextmanager
def _writer_lock(path: Path, *, wait: bool) -> Iterator[None]:
    """Hold ``kg-writer.lock``, with who we are written in it."""
    fd = os.open(path / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        with _locked(path / PUBLISH_LOCK, fcntl.LOCK_EX):  # so a reader's test (_choose) cannot fail us
            taken = _try_lock(fd, fcntl.LOCK_EX)
        if not taken:
            holder = os.pread(fd, 1000, 0).decode("utf-8", "replace").strip() or "another kg process"
            if not wait and not holder.endswith(_READER):  # a reader's snapshot takes a moment
                raise _locked_error(path, holder)
            logger.info("%s: waiting for %s", path, holder)
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, _who_we_are().encode(), 0)
        yield
    finally:
        os.close(fd)


def _who_we_are(role: str = "") -> str:
    program = Path(sys.argv[0]).name if sys.argv else "python"
    command = " ".join(["kg" if program == "__main__.py" else program, *sys.argv[1:]])[:200]
    since = datetime.now().astimezone().isoformat(timespec="seconds")
    return f"pid {os.getpid()} ({command}, since {since}){role}\n"


def open_for_writing(path: Path) -> ox.Store:
    """The store at *path* opened for writing, once what an interrupted bulk load left is removed
    (kg.store.recover). The caller holds the writer's lock, or bypasses it knowingly."""
    from kg.store import recover  # kg.store builds on this module

    try:
        path.mkdir(parents=True, exist_ok=True)
        store = ox.Store(str(path))
    except OSError as exc:
        raise StoreError(f"{path}: cannot open the store ({_first_line(exc)}); "
                         "is another process writing to it?") from exc
    removed = recover(store)
    if removed:
        logger.warning("%s: removed %d half-written article graphs an interrupted ingest left; "
                       "ingest those articles again", path, removed)
    return store


def _prune(folder: Path, *, keep: str) -> None:
    """Remove every snapshot but *keep* that nobody reads, and leftovers of killed runs."""
    names = {entry.name.split(".")[0] for entry in folder.iterdir() if entry.name[:1].isdigit()}
    for name in sorted(names - {keep}):
        try:
            fd = os.open(folder / f"{name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            continue
        try:
            if _try_lock(fd, fcntl.LOCK_EX):
                shutil.rmtree(folder / name, ignore_errors=True)
                shutil.rmtree(folder / f"{name}.tmp", ignore_errors=True)
                (folder / f"{name}.lock").unlink(missing_ok=True)
        finally:
            os.close(fd)


def _name_current(path: Path, name: str) -> None:
    current = path / SNAPSHOTS / CURRENT
    temporary = current.with_suffix(".tmp")
    temporary.write_text(f"{name}\n", encoding="utf-8")
    os.replace(temporary, current)


def _last_number(folder: Path) -> int:
    numbers = [int(entry.name.split(".")[0]) for entry in folder.iterdir()
               if entry.name.split(".")[0].isdigit()]
    return max(numbers, default=0)


# Reader side.

def _choose(path: Path) -> str | None:
    """The snapshot to read: the newest while a writer runs, else CURRENT's; None if there is none.

    Called under the shared publish lock, so a writer is not between taking
    its lock and publishing, and our test of its lock cannot make it fail.
    """
    folder = path / SNAPSHOTS
    if _holder(path) is None:
        try:
            name = (folder / CURRENT).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return name if (folder / name).is_dir() else None
    return _newest(folder)


def _newest(folder: Path) -> str | None:
    """The newest whole snapshot in *folder* (RocksDB renames NAME.tmp to NAME when it is done)."""
    names = [e.name for e in folder.iterdir() if e.name.isdigit() and e.is_dir()] if folder.is_dir() else []
    return max(names, default=None)


def _pin(path: Path, name: str) -> Snapshot | None:
    """Hold a shared lock on snapshot *name*, or None if a writer removed it meanwhile."""
    folder = path / SNAPSHOTS
    try:
        fd = os.open(folder / f"{name}.lock", os.O_RDONLY)
    except FileNotFoundError:
        return None
    fcntl.flock(fd, fcntl.LOCK_SH)  # a writer holds it exclusively only while it removes the snapshot
    if os.fstat(fd).st_nlink == 0 or not (folder / name).is_dir():
        os.close(fd)
        return None
    return Snapshot(name, folder / name, fd)


def _refresh(path: Path) -> bool:
    """Publish a snapshot of the store as it is, if no writer holds it; False if one does.

    If the store is open for writing outside kg's lock (``open_store`` in a
    notebook), the newest snapshot there is becomes CURRENT: older, but whole.
    """
    try:
        fd = os.open(path / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StoreError(f"{path}: cannot publish a snapshot of the store ({exc.strerror}); "
                         "a kg store directory has to be writable") from exc
    try:
        with _locked(path / PUBLISH_LOCK, fcntl.LOCK_EX):
            if not _try_lock(fd, fcntl.LOCK_EX):
                return False
            os.ftruncate(fd, 0)
            os.pwrite(fd, _who_we_are(_READER).encode(), 0)
            (path / SNAPSHOTS).mkdir(exist_ok=True)
            try:
                session = WriteSession(path, open_for_writing(path))
            except StoreError:
                newest = _newest(path / SNAPSHOTS)
                if newest is None:
                    raise
                _name_current(path, newest)
                return True
            session.finish()
            del session.store
        return True
    finally:
        os.close(fd)


@contextlib.contextmanager
def _shared_publish(path: Path) -> Iterator[None]:
    try:
        fd = _lock(path / PUBLISH_LOCK, fcntl.LOCK_SH)
    except OSError as exc:  # a store directory we may not write: nobody writes it then
        if exc.errno not in (errno.EACCES, errno.EROFS, errno.EPERM):
            raise
        raise StoreError(f"{path}: cannot read the store's locks ({exc.strerror}); "
                         "a kg store directory has to be writable") from exc
    try:
        yield
    finally:
        os.close(fd)


# flock helpers.

def _lock(file: Path, operation: int) -> int:
    fd = os.open(file, os.O_RDONLY | os.O_CREAT, 0o644)
    fcntl.flock(fd, operation)
    return fd


@contextlib.contextmanager
def _locked(file: Path, operation: int) -> Iterator[None]:
    fd = _lock(file, operation)
    try:
        yield
    finally:
        os.close(fd)


def _try_lock(fd: int, operation: int) -> bool:
    try:
        fcntl.flock(fd, operation | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
