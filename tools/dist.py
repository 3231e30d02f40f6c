#!/usr/bin/env python3
"""Developer tooling for the Distribution Control addons.

Starts a throwaway PostgreSQL cluster owned by this checkout (under .run/,
ignored by git, reachable only through a Unix socket), then runs Odoo 19 from
whichever installation ``python3`` can import.

    python3 tools/dist.py run          demo database on http://127.0.0.1:8069
    python3 tools/dist.py test         fresh database, pytest-odoo + browser tours
    python3 tools/dist.py test-core    Odoo's own sale_stock/purchase_stock tests
    python3 tools/dist.py bench        benchmarks under tests/benchmarks/
    python3 tools/dist.py stop         stop every cluster this checkout started

Only the standard library is imported here so that a missing Odoo can be
reported in one sentence instead of a traceback.
"""

import argparse
import ast
import contextlib
import glob
import hashlib
import os
import pwd
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUN_DIR = Path(os.environ.get("DIST_RUN_DIR", ROOT / ".run"))
ADDONS_DIR = ROOT / "addons"
CORE_TEST_MODULES = ["sale_stock", "purchase_stock"]
# Tests that commit their data run apart, on a database of their own.
COMMITTING_TAG = "dist_concurrency"
DB_USER = "odoo"
CHROME_NAMES = ["google-chrome", "chromium", "chromium-browser", "google-chrome-stable"]


class ToolError(Exception):
    """A problem the user can fix; printed as one sentence."""


def suite_addons():
    """The suite's addons (folders of addons/), in dependency order.

    The one list of addons: the tooling and the install test read it from
    the manifests, so a new addon needs no edit here.
    """
    depends = {}
    for manifest in sorted(ADDONS_DIR.glob("*/__manifest__.py")):
        values = ast.literal_eval(manifest.read_text())
        if values.get("installable", True):
            depends[manifest.parent.name] = set(values.get("depends", []))
    ordered = []
    while len(ordered) < len(depends):
        ready = sorted(
            name
            for name, deps in depends.items()
            if name not in ordered and not (deps & set(depends)) - set(ordered)
        )
        if not ready:
            raise ToolError(f"The addons under {ADDONS_DIR} depend on each other in a cycle.")
        ordered += ready
    return ordered


ADDONS = suite_addons()


def say(msg):
    print(f"[dist] {msg}", flush=True)


# --------------------------------------------------------------------------
# Prerequisites
# --------------------------------------------------------------------------
def check_odoo():
    probe = "import odoo.release as r, sys; sys.stdout.write('%s.%s' % r.version_info[:2])"
    res = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd="/")
    if res.returncode != 0:
        raise ToolError(
            f"Odoo 19 is not importable by {sys.executable}: install Odoo 19 "
            "from source (git clone -b 19.0 https://github.com/odoo/odoo && "
            "pip install -r odoo/requirements.txt && pip install -e odoo) or "
            "use the Docker path (docker compose up)."
        )
    if res.stdout.strip() != "19.0":
        raise ToolError(
            f"{sys.executable} imports Odoo {res.stdout.strip()}, but these "
            "addons need Odoo 19.0: install Odoo 19 or use docker compose up."
        )


def pg_bindir():
    candidates = []
    if os.environ.get("PG_BINDIR"):
        candidates.append(Path(os.environ["PG_BINDIR"]))
    which = shutil.which("pg_ctl")
    if which:
        candidates.append(Path(which).resolve().parent)
    candidates += sorted(
        (Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin")),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    for path in candidates:
        if (path / "initdb").exists() and (path / "pg_ctl").exists():
            return path
    raise ToolError(
        "PostgreSQL server binaries (initdb, pg_ctl) were not found: install "
        "them (Debian: apt-get install postgresql) or set PG_BINDIR."
    )


def check_chrome():
    for name in CHROME_NAMES:
        if shutil.which(name):
            return shutil.which(name)
    raise ToolError(
        "Chromium is needed for the browser tours and was not found: install "
        "it (Debian: apt-get install chromium) and pip install websocket-client."
    )


def check_python_packages(*modules):
    missing = []
    for module in modules:
        probe = f"import importlib.util as u, sys; sys.exit(u.find_spec({module!r}) is None)"
        res = subprocess.run([sys.executable, "-c", probe], capture_output=True, cwd="/")
        if res.returncode:
            missing.append(module)
    if missing:
        raise ToolError(
            f"Python packages {', '.join(missing)} are missing: run "
            f"{sys.executable} -m pip install -r requirements.txt."
        )


# --------------------------------------------------------------------------
# Throwaway PostgreSQL cluster
# --------------------------------------------------------------------------
class Database:
    """Where the databases live; writes the Odoo configuration that uses it."""

    def __init__(self, name):
        self.name = name
        self.base = RUN_DIR / name

    def start(self):
        return self

    def stop(self):
        pass

    def _conninfo(self):
        raise NotImplementedError

    def psql(self, sql, db="postgres"):
        host, port, user, password = self._conninfo()
        env = dict(os.environ, PGPASSWORD=password or "")
        return subprocess.run(
            [self.psql_bin, "-h", host, "-p", port, "-U", user, "-d", db, "-tAc", sql],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        ).stdout.strip()

    def db_exists(self, db):
        return self.psql(f"SELECT 1 FROM pg_database WHERE datname = '{db}'") == "1"

    def db_initialized(self, db):
        if not self.db_exists(db):
            return False
        try:
            state = self.psql(
                f"SELECT state FROM ir_module_module WHERE name = '{ADDONS[-1]}'", db=db
            )
        except subprocess.CalledProcessError:
            return False
        return state == "installed"

    def drop_db(self, db):
        self.psql(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        shutil.rmtree(self.base / "data" / "filestore" / db, ignore_errors=True)

    def write_conf(self, db, http_port):
        """The repository's odoo.conf plus what this run needs."""
        host, port, user, password = self._conninfo()
        addons_path = [
            str(ADDONS_DIR),
            *filter(None, os.environ.get("DIST_ADDONS_PATH", "").split(",")),
        ]
        shared = (ROOT / "odoo.conf").read_text().split("[options]", 1)[1]
        shared = "\n".join(
            line for line in shared.splitlines() if line.split("=")[0].strip() not in RUN_OPTIONS
        )
        conf = self.base / f"odoo-{db}.conf"
        self.base.mkdir(parents=True, exist_ok=True)
        conf.write_text(
            "[options]\n"
            "; written by tools/dist.py from odoo.conf; edit odoo.conf instead\n"
            f"addons_path = {','.join(addons_path)}\n"
            f"data_dir = {self.base / 'data'}\n"
            f"db_host = {host}\n"
            f"db_port = {port}\n"
            f"db_user = {user}\n"
            + (f"db_password = {password}\n" if password else "")
            + f"db_name = {db}\n"
            f"dbfilter = ^{db}$\n"
            f"http_interface = {os.environ.get('DIST_HTTP_INTERFACE', '127.0.0.1')}\n"
            f"http_port = {http_port}\n"
            f"{shared.strip()}\n"
        )
        return conf


# Options of odoo.conf that each run sets itself.
RUN_OPTIONS = {
    "addons_path",
    "data_dir",
    "db_host",
    "db_port",
    "db_user",
    "db_password",
    "db_name",
    "dbfilter",
    "http_interface",
    "http_port",
}


class ExternalServer(Database):
    """A PostgreSQL server someone else runs (Docker's db service)."""

    def __init__(self, name):
        super().__init__(name)
        self.psql_bin = shutil.which("psql") or "psql"

    def _conninfo(self):
        return (
            os.environ["DIST_DB_HOST"],
            os.environ.get("DIST_DB_PORT", "5432"),
            os.environ.get("DIST_DB_USER", DB_USER),
            os.environ.get("DIST_DB_PASSWORD", ""),
        )


class Cluster(Database):
    """A throwaway cluster in .run/<name>/pg, listening on a socket only."""

    def __init__(self, name):
        super().__init__(name)
        self.data = self.base / "pg" / "data"
        self.log = self.base / "pg" / "postgres.log"
        sock = self.base / "pg" / "sock"
        # Unix socket paths are limited to 107 bytes.
        if len(str(sock)) > 80:
            digest = hashlib.sha1(str(sock).encode()).hexdigest()[:10]
            sock = Path("/tmp") / f"dist-pg-{digest}"
        self.sock = sock
        self.bindir = pg_bindir()
        self.psql_bin = str(self.bindir / "psql")
        self.os_user = None
        if os.geteuid() == 0:
            # PostgreSQL refuses to run as root: use the postgres account.
            try:
                self.os_user = pwd.getpwnam(os.environ.get("PG_OS_USER", "postgres"))
            except KeyError as exc:
                raise ToolError(
                    "Running as root, PostgreSQL needs an unprivileged account: "
                    "create user 'postgres' (apt-get install postgresql does) "
                    "or set PG_OS_USER."
                ) from exc

    def _conninfo(self):
        return str(self.sock), "5432", DB_USER, ""

    def _pg(self, binary, *args, check=True, quiet=False):
        cmd = [str(self.bindir / binary), *map(str, args)]
        if self.os_user:
            cmd = ["runuser", "-u", self.os_user.pw_name, "--", *cmd]
        kwargs = {"cwd": "/"}
        if quiet:
            kwargs.update(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return subprocess.run(cmd, check=check, **kwargs)

    def _own(self, *paths):
        if self.os_user:
            for path in paths:
                os.chown(path, self.os_user.pw_uid, self.os_user.pw_gid)

    def running(self):
        if not self.data.exists():
            return False
        status = self._pg("pg_ctl", "status", "-D", self.data, check=False, quiet=True)
        return status.returncode == 0

    def start(self):
        if self.running():
            return self
        self.data.parent.mkdir(parents=True, exist_ok=True)
        self.sock.mkdir(parents=True, exist_ok=True)
        self._own(self.data.parent, self.sock)
        if not (self.data / "PG_VERSION").exists():
            say(f"initdb {self.data}")
            self._pg(
                "initdb", "-D", self.data, "-U", DB_USER, "-A", "trust",
                "-E", "UTF8", "--locale=C.UTF-8", quiet=True,
            )  # fmt: skip
        options = " ".join(
            [
                "-c listen_addresses=''",
                f"-c unix_socket_directories={self.sock}",
                "-c fsync=off -c full_page_writes=off -c synchronous_commit=off",
                "-c max_connections=200",
            ]
        )
        say(f"starting PostgreSQL ({self.name}) on socket {self.sock}")
        self._pg("pg_ctl", "start", "-w", "-D", self.data, "-l", self.log, "-o", options,
                 quiet=True)  # fmt: skip
        return self

    def stop(self):
        if self.running():
            say(f"stopping PostgreSQL ({self.name})")
            self._pg("pg_ctl", "stop", "-m", "fast", "-w", "-D", self.data,
                     check=False, quiet=True)  # fmt: skip


@contextlib.contextmanager
def cluster(name, keep=False):
    """The throwaway cluster ``name``, or the server named by DIST_DB_HOST."""
    pg = (ExternalServer if os.environ.get("DIST_DB_HOST") else Cluster)(name).start()
    try:
        yield pg
    finally:
        if not keep:
            pg.stop()


def odoo(conf, *args, check=True):
    cmd = [sys.executable, "-m", "odoo", "-c", str(conf), *args]
    say(" ".join(["odoo", *args]))
    res = subprocess.run(cmd, cwd=ROOT, check=False)
    if check and res.returncode:
        raise ToolError(f"Odoo exited with status {res.returncode} ({' '.join(args)}).")
    return res.returncode


def addons_fingerprint():
    """A digest of every file under addons/: changes when the code does."""
    digest = hashlib.sha1()
    for path in sorted(ADDONS_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ADDONS_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def install(conf, db, modules, demo):
    args = ["-d", db, "-i", ",".join(modules), "--stop-after-init", "--log-level=warn"]
    if demo:
        args.append("--with-demo")
    odoo(conf, *args)


# --------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------
def cmd_run(opts):
    check_odoo()
    with cluster("dev") as pg:
        conf = pg.write_conf(opts.db, opts.port)
        if opts.reset:
            pg.drop_db(opts.db)
        stamp = pg.base / f"{opts.db}.addons"
        fingerprint = addons_fingerprint()
        if not pg.db_initialized(opts.db):
            pg.drop_db(opts.db)
            say(f"creating database {opts.db} with demo data and {', '.join(ADDONS)}")
            install(conf, opts.db, ADDONS, demo=True)
        else:
            # Code pulled or edited since the database was last built: its
            # views, rights and data are updated before serving.
            stale = not stamp.exists() or stamp.read_text() != fingerprint
            update = ",".join(ADDONS) if stale else opts.update
            if stale:
                say(f"addons/ changed since {opts.db} was built: updating {update}")
            if update:
                odoo(conf, "-d", opts.db, "-u", update, "--stop-after-init", "--log-level=warn")
        stamp.write_text(fingerprint)
        say(f"serving http://127.0.0.1:{opts.port} (login admin / password admin); Ctrl-C stops")
        serve(pg, conf, opts.db)
    return 0


def serve(pg, conf, db):
    """Run the server until Ctrl-C or ``make stop``, which reads its pid here."""
    pid_file = pg.base / "server.pid"
    cmd = [sys.executable, "-m", "odoo", "-c", str(conf), "-d", db]
    say(" ".join(["odoo", "-d", db]))
    proc = subprocess.Popen(cmd, cwd=ROOT)
    pid_file.write_text(str(proc.pid))
    try:
        with contextlib.suppress(KeyboardInterrupt):
            proc.wait()
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=30)
        pid_file.unlink(missing_ok=True)


def _pytest(conf, db, paths, extra, http=True, env=None):
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        f"--odoo-config={conf}",
        f"--odoo-database={db}",
        "--odoo-log-level=warn",
        *(["--odoo-http"] if http else []),
        *paths,
        *extra,
    ]
    say("pytest " + " ".join(map(str, cmd[5:])))
    env = dict(os.environ, DIST_REQUIRE_BROWSER="1" if http else "", **(env or {}))
    return subprocess.run(cmd, cwd=ROOT, env=env, check=False).returncode


def cmd_test(opts):
    """The test suite on a fresh database (or the kept one with --reuse).

    Without paths, it runs in two steps: every test on the test database,
    then the tests that commit their data (tag ``dist_concurrency``: two
    cursors, as two workers would) on a fresh database of their own, so that
    what they commit never meets the other tests.
    """
    check_odoo()
    check_python_packages("pytest_odoo", "websocket", "odoo.addons.helpdesk_mgmt")
    check_chrome()
    extra = ["--ignore", str(ROOT / "tests" / "benchmarks"), *opts.pytest_args]
    with cluster("test", keep=opts.keep) as pg:
        conf = _test_database(pg, opts.db, opts)
        if opts.paths:
            rc = _pytest(conf, opts.db, opts.paths, extra)
        else:
            paths = [str(ADDONS_DIR), str(ROOT / "tests")]
            rc = _pytest(conf, opts.db, paths, extra, env={"DIST_TEST_SKIP_TAGS": COMMITTING_TAG})
            say(f"tests that commit ({COMMITTING_TAG}), on a database of their own")
            committing_db = f"{opts.db}_{COMMITTING_TAG}"
            conf = _test_database(pg, committing_db, opts, fresh=True)
            rc = (
                _pytest(
                    conf, committing_db, paths, extra, env={"DIST_TEST_ONLY_TAGS": COMMITTING_TAG}
                )
                or rc
            )
    if rc:
        say(f"tests failed (pytest exit status {rc})")
    return rc


def _test_database(pg, db, opts, fresh=False):
    """The configuration of test database ``db``, built unless reused."""
    conf = pg.write_conf(db, opts.port)
    if opts.reuse and not fresh and pg.db_initialized(db):
        if opts.update:
            odoo(conf, "-d", db, "-u", opts.update, "--stop-after-init", "--log-level=warn")
    else:
        pg.drop_db(db)
        install(conf, db, ADDONS, demo=False)
    return conf


def cmd_test_core(opts):
    """Odoo's own tests, with and without the suite: the suite may break none.

    The tests run under pytest-odoo, on a registry where every module is
    loaded, so at_install tests also see our overrides (Odoo's own runner
    runs them before the modules that depend on theirs are loaded). A few of
    Odoo's tests fail under pytest-odoo whatever is installed, so the same
    tests first run on a database with Odoo's modules only; the suite fails
    the command only for tests that pass there and fail with it. Browser
    tours of Odoo's modules are not part of this check.
    """
    check_odoo()
    check_python_packages("pytest_odoo")
    modules = opts.modules.split(",")
    with cluster("core", keep=opts.keep) as pg:
        results = {}
        for db, installed in (("dist_core_base", modules), ("dist_core", ADDONS + modules)):
            conf = pg.write_conf(db, opts.port)
            pg.drop_db(db)
            install(conf, db, installed, demo=False)
            report = pg.base / f"{db}.xml"
            _pytest(conf, db, _module_test_paths(conf, modules),
                    ["-q", f"--junitxml={report}", *opts.pytest_args], http=False)  # fmt: skip
            results[db] = _junit_failures(report)
    base, suite = results["dist_core_base"], results["dist_core"]
    regressions = sorted(set(suite["failed"]) - set(base["failed"]))
    say(
        f"Odoo's tests without the suite: {base['total']} run, {len(base['failed'])} failing "
        f"whatever is installed; with the suite: {suite['total']} run, "
        f"{len(suite['failed'])} failing."
    )
    for test in sorted(base["failed"]):
        say(f"  fails without the suite too (not counted): {test}")
    if suite["total"] < base["total"] or regressions:
        for test in regressions:
            say(f"  REGRESSION with the suite installed: {test}")
        return 1
    say("no regression: the suite changes nothing these tests see")
    return 0


def _module_test_paths(conf, modules):
    probe = (
        "import sys; from odoo.tools import config; "
        "config.parse_config(['-c', sys.argv[1]]); "
        "from odoo.modules.module import get_module_path, initialize_sys_path; "
        "initialize_sys_path(); "
        "print('\\n'.join(get_module_path(m) for m in sys.argv[2:]))"
    )
    res = subprocess.run(
        [sys.executable, "-c", probe, str(conf), *modules],
        capture_output=True, text=True, check=True, cwd="/",
    )  # fmt: skip
    return [str(Path(p) / "tests") for p in res.stdout.split()]


def _junit_failures(report):
    failed, total = [], 0
    for case in ET.parse(report).iter("testcase"):
        if case.find("skipped") is not None:
            continue
        total += 1
        if case.find("failure") is not None or case.find("error") is not None:
            failed.append(f"{case.get('classname')}.{case.get('name')}")
    return {"failed": failed, "total": total}


def cmd_bench(opts):
    check_odoo()
    check_python_packages("pytest_odoo")
    db = "dist_bench"
    with cluster("bench", keep=opts.keep) as pg:
        conf = pg.write_conf(db, opts.port)
        pg.drop_db(db)
        install(conf, db, ADDONS, demo=False)
        paths = opts.paths or [str(ROOT / "tests" / "benchmarks")]
        rc = _pytest(conf, db, paths, ["-s", *opts.pytest_args], http=False)
    return rc


def cmd_stop(_opts):
    """Stop what this checkout started: the make run server, then the clusters."""
    if not RUN_DIR.exists():
        return 0
    for pid_file in RUN_DIR.glob("*/server.pid"):
        with contextlib.suppress(ValueError, ProcessLookupError, PermissionError):
            pid = int(pid_file.read_text())
            say(f"stopping the Odoo server (pid {pid})")
            os.kill(pid, signal.SIGTERM)
            for _ in range(60):
                os.kill(pid, 0)  # raises ProcessLookupError once it is gone
                time.sleep(0.5)
        pid_file.unlink(missing_ok=True)
    for base in sorted(p for p in RUN_DIR.iterdir() if (p / "pg" / "data").exists()):
        Cluster(base.name).stop()
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="serve the demo database on 127.0.0.1")
    run.add_argument("--db", default="dist_demo")
    run.add_argument("--port", type=int, default=8069)
    run.add_argument("--reset", action="store_true", help="recreate the demo database")
    run.add_argument("-u", "--update", help="modules to update before serving")
    run.set_defaults(func=cmd_run)

    test = sub.add_parser("test", help="run the test suite on a fresh database")
    test.add_argument("--db", default="dist_test")
    test.add_argument("--port", type=int, default=8169)
    test.add_argument("--keep", action="store_true", help="leave PostgreSQL running")
    test.add_argument(
        "--reuse", action="store_true", help="reuse the test database if it exists (fast loop)"
    )
    test.add_argument("-u", "--update", help="with --reuse: modules to update first")
    test.add_argument("paths", nargs="*", help="test files or folders (default: all)")
    test.set_defaults(func=cmd_test)

    core = sub.add_parser("test-core", help="Odoo's own tests with our addons installed")
    core.add_argument("--modules", default=",".join(CORE_TEST_MODULES))
    core.add_argument("--port", type=int, default=8269)
    core.add_argument("--keep", action="store_true")
    core.set_defaults(func=cmd_test_core)

    bench = sub.add_parser("bench", help="run the benchmarks")
    bench.add_argument("--port", type=int, default=8369)
    bench.add_argument("--keep", action="store_true")
    bench.add_argument("paths", nargs="*")
    bench.set_defaults(func=cmd_bench)

    stop = sub.add_parser("stop", help="stop the make run server and the clusters of this checkout")
    stop.set_defaults(func=cmd_stop)

    # Anything after "--" goes to pytest untouched.
    argv = list(sys.argv[1:] if argv is None else argv)
    pytest_args = []
    if "--" in argv:
        cut = argv.index("--")
        argv, pytest_args = argv[:cut], argv[cut + 1 :]
    opts = parser.parse_args(argv)
    opts.pytest_args = pytest_args
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        return opts.func(opts)
    except ToolError as exc:
        say(f"error: {exc}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
