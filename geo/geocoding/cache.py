"""The answers of online geocoders, kept in one SQLite file that several processes share.

Why SQLite: two servers (or a server and the command line) may geocode at once, and SQLite's own
locking makes their writes safe without a lock file of ours. Every answer is written as soon as
it arrives (write-through), so a batch interrupted halfway (a Streamlit rerun stops the script
from the progress callback) keeps everything it fetched. The default rollback journal is used,
not WAL, so that no side file outlives a write, failed or not.

Answers are keyed by provider, endpoint (scheme://domain: another server may answer
differently) and query. A file that is not a database, or whose pages are damaged (found when
it opens, or later by a read or a write: sqlite3.DatabaseError, not OperationalError), is set
aside with a warning and a new one started: a damaged cache never costs a row nor crashes a run.
A read or write that fails otherwise (disk full, database locked too long) is said once and the
batch goes on.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
import warnings
from pathlib import Path

CACHE_FILE_NAME = "answers.sqlite3"
BUSY_TIMEOUT_SECONDS = 10.0  # how long a write waits for another process's transaction
SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    provider TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    query TEXT NOT NULL,
    answer TEXT,            -- JSON object, or NULL for "no such place"
    saved_at REAL NOT NULL, -- Unix time
    PRIMARY KEY (provider, endpoint, query)
)
"""

logger = logging.getLogger(__name__)


class AnswerCache:
    """One provider endpoint's answers in the shared SQLite file; safe to use from many threads."""

    def __init__(
        self,
        path: Path,
        provider: str,
        endpoint: str,
        *,
        busy_timeout: float = BUSY_TIMEOUT_SECONDS,
    ):
        self.path = path
        self.provider = provider
        self.endpoint = endpoint
        self.busy_timeout = busy_timeout
        self.failed = False  # a read or write failed; said once
        self._lock = threading.Lock()
        self._identity: tuple[int, int] | None = None  # (device, inode) of the file opened
        self._db = self._connect()

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return self._open()
        except sqlite3.OperationalError as err:  # locked, read-only, no such folder...
            return self._in_memory(f"cannot be opened ({err})")
        except OSError as err:
            return self._in_memory(f"cannot be created ({err.strerror or err})")
        except sqlite3.DatabaseError as err:  # the file is not a SQLite database
            return self._set_aside(err)

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(
            self.path, timeout=self.busy_timeout, isolation_level=None, check_same_thread=False
        )
        try:
            db.execute(SCHEMA)
            self._identity = _identity(self.path)
        except (sqlite3.Error, OSError):
            db.close()
            raise
        return db

    def _set_aside(self, err: sqlite3.DatabaseError) -> sqlite3.Connection:
        """Move the damaged file aside (kept for a look, never deleted) and start a new one.

        Another process may have set the same file aside and started the new one already: the
        file at `path` is then not the one this cache opened, and is left alone.
        """
        seen = self._identity
        aside = self.path.with_name(f"{self.path.name}.corrupt-{int(time.time())}")
        try:
            if seen is None or _identity(self.path) == seen:
                self.path.replace(aside)
            warnings.warn(
                f"Geocoding cache {self.path} was unreadable ({err}); set aside as {aside.name}.",
                stacklevel=4,
            )
            return self._open()
        except (sqlite3.Error, OSError) as again:
            return self._in_memory(f"cannot be replaced ({again})")

    def _in_memory(self, problem: str) -> sqlite3.Connection:
        """A cache for this process only, when the file cannot be used: said once, not fatal."""
        logger.warning(
            "Geocoding cache %s %s; answers are kept in memory only.", self.path, problem
        )
        db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        db.execute(SCHEMA)
        return db

    def get(self, query: str) -> tuple[bool, dict | None]:
        """(True, answer) when `query` was answered before (answer None: no such place), else
        (False, None)."""
        try:
            with self._lock:
                row = self._db.execute(
                    "SELECT answer FROM answers WHERE provider = ? AND endpoint = ? AND query = ?",
                    (self.provider, self.endpoint, query),
                ).fetchone()
        except sqlite3.OperationalError as err:  # locked by another process for too long
            self._failed("an answer could not be read", err)
            return False, None
        except sqlite3.DatabaseError as err:  # damaged pages
            self._damaged(err)
            return False, None
        if row is None:
            return False, None
        if row[0] is None:
            return True, None
        try:
            answer = json.loads(row[0])
        except ValueError:  # a damaged value: asked again, not trusted
            return False, None
        return (True, answer) if _usable(answer) else (False, None)

    def __contains__(self, query: str) -> bool:
        return self.get(query)[0]

    def put(self, query: str, answer: dict | None) -> bool:
        """Store one answer now; False when the write failed (reported once per cache)."""
        value = json.dumps(answer, ensure_ascii=False) if answer is not None else None
        row = (self.provider, self.endpoint, query, value, time.time())
        for _ in range(2):  # once more in a new file when this one turns out damaged
            try:
                with self._lock:
                    self._db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?)", row)
            except sqlite3.OperationalError as err:  # locked too long, disk full, read-only
                self._failed("an answer could not be saved", err)
                return False
            except sqlite3.DatabaseError as err:  # damaged pages
                self._damaged(err)
            else:
                return True
        return False

    def _damaged(self, err: sqlite3.DatabaseError) -> None:
        """A read or write met damaged pages: the file is set aside as if it had not opened."""
        with self._lock:
            self._db.close()
            self._db = self._set_aside(err)

    def _failed(self, what: str, err: sqlite3.Error) -> None:
        """Say the first failure in one line; the batch goes on without the cache."""
        if not self.failed:
            logger.warning("Geocoding cache %s: %s (%s); going on without.", self.path, what, err)
        self.failed = True

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _usable(answer: object) -> bool:
    """Whether a stored answer has the shape geo.geocoding.online writes (a point and a label):
    a damaged or foreign value is asked again rather than placing a row nowhere."""
    if not isinstance(answer, dict):
        return False
    point = [answer.get("lat"), answer.get("lon")]
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in point)
    return numbers and isinstance(answer.get("label"), str)


def _identity(path: Path) -> tuple[int, int]:
    """(device, inode): which file a path names now."""
    status = os.stat(path)
    return status.st_dev, status.st_ino
