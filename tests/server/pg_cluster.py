"""A throwaway PostgreSQL 15 cluster for the server tests: one per test process, started on
first need, listening only on a unix socket in its own short temp dir, stopped and removed
at exit (normal exit, failure, SIGTERM or SIGINT). Standard library plus the psql binary.

    from pg_cluster import shared_cluster, run_psql
    uri = shared_cluster().create_database()   # postgresql://postgres@/t1?host=/tmp/sbpg-...
    run_psql(uri, "SELECT 1")

initdb refuses root, so as root every initdb/pg_ctl runs as the `postgres` user the Debian
package creates (runuser). psql, initdb and pg_ctl get the environment without LD_PRELOAD,
FAKETIME or PG* variables: only the booking server runs on the tests' fake clock."""

import atexit
import json
import os
import shutil
import signal
import sys
import subprocess
import tempfile
import threading

PGBIN = "/usr/lib/postgresql/15/bin"
PSQL = "/usr/bin/psql"
PORT = 5432  # only names the socket file (.s.PGSQL.5432): the cluster has no TCP port
PREFIX = "sbpg-"
SETTINGS = {  # speed and headroom; nothing here survives the test process anyway
    "listen_addresses": "''",
    "port": str(PORT),
    "fsync": "off",
    "synchronous_commit": "on",
    "full_page_writes": "off",
    "max_connections": "300",
    "shared_buffers": "32MB",
}


def clean_env():
    """os.environ without the fake clock and without libpq's PG* variables."""
    return {k: v for k, v in os.environ.items()
            if k != "LD_PRELOAD" and not k.startswith("FAKETIME") and not k.startswith("PG")}


def is_uri(db):
    return isinstance(db, str) and db.startswith(("postgresql://", "postgres://"))


def run_psql(db, sql, check=True, timeout=30, verbose_errors=False):
    """Runs `sql` (any number of statements, fed on stdin) against the database at URI
    `db` as psql -X -q -At with ON_ERROR_STOP. Returns the CompletedProcess (text); with
    `check`, a failure raises RuntimeError carrying psql's stderr. `verbose_errors` makes
    psql print each error's SQLSTATE and constraint."""
    if verbose_errors:
        sql = "\\set VERBOSITY verbose\n" + sql
    cmd = [PSQL, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", db]
    done = subprocess.run(cmd, input=sql, capture_output=True, text=True, timeout=timeout,
                          env=clean_env(), cwd="/")
    if check and done.returncode != 0:
        raise RuntimeError(f"psql failed ({done.returncode}): {done.stderr.strip()}\nSQL: {sql}")
    return done


def quote(value):
    """A literal for `value` (None, bool, int, float, str) in PostgreSQL syntax
    (standard_conforming_strings is on, the default since 9.1)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        if "\0" in value:
            raise ValueError("PostgreSQL text cannot hold NUL")
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no literal for {type(value).__name__}")


def query(db, sql, params=(), timeout=30):
    """Rows of the query `sql` (one statement, `?` placeholders for `params`) against URI
    `db`, as a list of tuples with JSON types (BIGINT -> int, text -> str, NULL -> None)."""
    pieces = sql.strip().rstrip(";").split("?")
    if len(pieces) != len(params) + 1:
        raise ValueError(f"{len(pieces) - 1} placeholders for {len(params)} parameters: {sql}")
    text = pieces[0] + "".join(quote(p) + piece for p, piece in zip(params, pieces[1:]))
    # One JSON object per row, its keys in column order (duplicates kept as pairs).
    done = run_psql(db, f"SELECT row_to_json(q) FROM ({text}) q;\n", timeout=timeout)
    return [tuple(value for _, value in json.loads(line, object_pairs_hook=list))
            for line in done.stdout.splitlines() if line]


def _start_time(pid):
    """The kernel's start time of process `pid` (field 22 of /proc/PID/stat), or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


class Cluster:
    """One PostgreSQL cluster in a temp dir of its own: DIR/data, DIR/pg.log, the socket
    DIR/.s.PGSQL.5432, and DIR/owner (the test process, so a later run can remove it if
    that process was killed before it could)."""

    def __init__(self):
        self.dir = None
        self.running = False
        self._lock = threading.Lock()
        self._databases = 0

    @property
    def data(self):
        return os.path.join(self.dir, "data")

    @property
    def log_path(self):
        return os.path.join(self.dir, "pg.log")

    def uri(self, database="postgres"):
        return f"postgresql://postgres@/{database}?host={self.dir}"

    def _as_postgres(self, cmd, timeout=60, check=True):
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--"] + cmd
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              env=clean_env(), cwd=self.dir)
        if check and done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n"
                               f"{done.stdout}{done.stderr}\n{self.log_tail()}")
        return done

    def _pg_ctl(self, *args, timeout=60, check=True):
        return self._as_postgres([os.path.join(PGBIN, "pg_ctl"), "-D", self.data, "-l",
                                  self.log_path, *args], timeout=timeout, check=check)

    def init(self):
        if not os.path.exists(os.path.join(PGBIN, "initdb")) or not os.path.exists(PSQL):
            raise RuntimeError(f"PostgreSQL 15 is missing ({PGBIN}/initdb, {PSQL}): install the "
                               "Debian packages postgresql-15 and postgresql-client-15")
        remove_orphans()
        self.dir = tempfile.mkdtemp(prefix=PREFIX, dir="/tmp")
        with open(os.path.join(self.dir, "owner"), "w") as f:
            f.write(f"{os.getpid()} {_start_time(os.getpid())}\n")
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self._as_postgres([os.path.join(PGBIN, "initdb"), "-D", self.data, "-U", "postgres",
                           "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"])
        # In postgresql.conf rather than on pg_ctl's command line: the same on every
        # (re)start, and no shell quoting of listen_addresses=''.
        with open(os.path.join(self.data, "postgresql.conf"), "a") as f:
            f.write("\n# slotbook tests\n")
            f.write(f"unix_socket_directories = '{self.dir}'\n")
            for key, value in SETTINGS.items():
                f.write(f"{key} = {value}\n")
        return self

    def start(self, timeout=60):
        """Starts the cluster (initialising it on first use) and waits until it accepts
        connections."""
        if self.dir is None:
            self.init()
        self._pg_ctl("-w", "-t", str(timeout), "start", timeout=timeout + 10)
        self.running = True
        return self

    def stop(self, timeout=60):
        """`pg_ctl -m immediate stop`: every backend dies at once, as in a crash (what is
        committed stays: its WAL is written, only not fsynced)."""
        self.running = False
        return self._pg_ctl("-m", "immediate", "-w", "-t", str(timeout), "stop",
                            timeout=timeout + 10, check=False).returncode == 0

    def restart(self, timeout=60):
        self.running = False
        self._pg_ctl("-m", "immediate", "-w", "-t", str(timeout), "restart",
                     timeout=timeout + 10)
        self.running = True

    def destroy(self):
        """Stops the cluster and removes its dir; safe to call more than once."""
        if self.dir is None:
            return
        try:
            if os.path.exists(os.path.join(self.data, "postmaster.pid")):
                self.stop(timeout=20)
        except (OSError, subprocess.SubprocessError):
            pass
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None
        self.running = False

    def psql(self, sql, database="postgres", **kwargs):
        return run_psql(self.uri(database), sql, **kwargs)

    def create_database(self):
        """CREATE DATABASE t<N>; returns its URI."""
        with self._lock:
            self._databases += 1
            name = f"t{self._databases}"
        self.psql(f"CREATE DATABASE {name};")
        return self.uri(name)

    def log_tail(self, lines=40):
        try:
            with open(self.log_path, errors="replace") as f:
                tail = f.readlines()[-lines:]
        except (OSError, TypeError):
            return "(no PostgreSQL log)"
        return "--- PostgreSQL log, last lines ---\n" + "".join(tail)


def remove_orphans():
    """Stops and removes clusters of earlier test processes that were killed before they
    could (SIGKILL, e.g. a CTest timeout): only /tmp/sbpg-* dirs with an owner file whose
    process is gone."""
    for name in os.listdir("/tmp"):
        path = os.path.join("/tmp", name)
        if not name.startswith(PREFIX):
            continue
        try:
            with open(os.path.join(path, "owner")) as f:
                pid, started = f.read().split()
        except (OSError, ValueError):
            continue
        if _start_time(int(pid)) == started:
            continue  # its process still runs
        orphan = Cluster()
        orphan.dir = path
        orphan.destroy()


_shared = None
_shared_lock = threading.Lock()


def shared_cluster():
    """This process's cluster, started on the first call; stopped and removed at exit."""
    global _shared
    with _shared_lock:
        if _shared is None:
            cluster = Cluster()
            atexit.register(cluster.destroy)
            _install_signal_handlers(cluster)
            try:
                cluster.start()
            except BaseException:
                cluster.destroy()
                raise
            _shared = cluster
        return _shared


def current_cluster():
    """This process's cluster if it was started, else None (never starts one)."""
    return _shared


def _install_signal_handlers(cluster):
    def handler(signum, frame):
        cluster.destroy()
        previous = originals.get(signum)
        if callable(previous):
            previous(signum, frame)  # SIGINT: KeyboardInterrupt, as without us
        else:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)

    originals = {}
    for signum in (signal.SIGTERM, signal.SIGINT):
        if signal.getsignal(signum) == signal.SIG_IGN:
            continue  # ignored by whoever started us: stays ignored
        try:
            originals[signum] = signal.signal(signum, handler)
        except ValueError:  # not the main thread: atexit still stops it
            pass


def main(argv):
    """`pg_cluster.py run -- COMMAND...`: runs COMMAND with a throwaway cluster, whose
    socket directory it finds in SLOTBOOK_TEST_POSTGRES_HOST (it connects as `postgres`,
    trust authentication, and may create databases); exits with COMMAND's status, after
    the cluster is stopped and removed. The C++ server unit tests run this way."""
    if len(argv) < 3 or argv[0] != "run" or argv[1] != "--":
        print("usage: pg_cluster.py run -- COMMAND [ARG...]", file=sys.stderr)
        return 2
    cluster = shared_cluster()
    env = dict(os.environ, SLOTBOOK_TEST_POSTGRES_HOST=cluster.dir)
    try:
        return subprocess.run(argv[2:], env=env).returncode
    except BaseException:
        print(cluster.log_tail(), file=sys.stderr)
        raise


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
