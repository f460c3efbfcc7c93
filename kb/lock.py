"""The index's write lock: one ingest at a time, released by the OS even when a process is killed."""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from kb.errors import KbIndexError

LOCK_FILE = "kb.lock"
_HELD: set = set()  # this process's open lock files


def _forget_in_child() -> None:
    # A forked worker closes its copies of the lock files without unlocking (an unlock would release the
    # parent's lock, which shares the open file): the lock then lasts exactly as long as its owner.
    # Its descriptor is pointed at /dev/null rather than closed, so the file object never closes a reused number.
    if not _HELD:
        return
    null = os.open(os.devnull, os.O_RDWR)
    try:
        for fh in _HELD:
            os.dup2(null, fh.fileno())
    finally:
        os.close(null)
    _HELD.clear()


os.register_at_fork(after_in_child=_forget_in_child)


class IndexLock:
    """An exclusive flock on index_dir/kb.lock holding the owner's PID; waits up to `wait` seconds."""

    def __init__(self, index_dir: Path, wait: float = 0.0, on_wait=None):
        self.path = Path(index_dir) / LOCK_FILE
        self.wait = wait
        self.on_wait = on_wait  # called once with the holder's PID when kb has to wait
        self._fh = None

    def holder(self) -> str:
        try:
            return self.path.read_text().strip() or "?"
        except OSError:
            return "?"

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+")
        deadline = time.monotonic() + self.wait
        told = False
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    fh.close()
                    raise KbIndexError(f"index is locked by PID {self.holder()} (another kb ingest is "
                                       f"writing {self.path.parent}); try again when it has finished") from None
                if self.on_wait and not told:
                    self.on_wait(self.holder())
                    told = True
                time.sleep(0.2)
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self._fh = fh
        _HELD.add(fh)
        return self

    def __exit__(self, *exc):
        if self._fh:
            self._fh.seek(0)
            self._fh.truncate()
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
            _HELD.discard(self._fh)
            self._fh.close()
            self._fh = None
        return False
