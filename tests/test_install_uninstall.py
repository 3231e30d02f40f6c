"""Each addon installs on its own, on an empty database and on one with demo
data, and the suite uninstalls in reverse dependency order.

These tests drive separate Odoo processes on throwaway databases of the test
cluster, the way an administrator installs modules.
"""

import subprocess
import sys
import textwrap
from contextlib import closing

import pytest

import odoo
from odoo.tools import SQL, config

from tools.dist import suite_addons

ADDONS = suite_addons()


def _odoo(db, *args):
    cmd = [
        sys.executable,
        "-m",
        "odoo",
        "-c",
        config["config"],
        "-d",
        db,
        "--log-level=warn",
        *args,
    ]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=1200)
    assert res.returncode == 0, (
        f"{' '.join(cmd)} failed:\n{res.stdout[-3000:]}\n{res.stderr[-3000:]}"
    )
    errors = [line for line in res.stderr.splitlines() if " ERROR " in line or " CRITICAL " in line]
    assert not errors, "\n".join(errors)
    return res.stdout


def _uninstall(db, names):
    """Uninstall like the Apps menu does, one module after the other."""
    script = textwrap.dedent(f"""
        import odoo.api, odoo.modules.registry
        from odoo.tools import config
        config.parse_config(["-c", {config["config"]!r}, "-d", {db!r}, "--log-level=warn"])
        for name in {names!r}:
            registry = odoo.modules.registry.Registry(config["db_name"][0])
            with registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.api.SUPERUSER_ID, {{}})
                env["ir.module.module"].search([("name", "=", name)]).button_immediate_uninstall()
    """)
    res = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=1200
    )
    assert res.returncode == 0, res.stderr[-5000:]
    errors = [line for line in res.stderr.splitlines() if " ERROR " in line or " CRITICAL " in line]
    assert not errors, "\n".join(errors)


def _drop(db):
    odoo.sql_db.close_db(db)
    with closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute(SQL("DROP DATABASE IF EXISTS %s WITH (FORCE)", SQL.identifier(db)))


def _query(db, sql):
    with closing(odoo.sql_db.db_connect(db).cursor()) as cr:
        cr.execute(sql)
        return cr.fetchall()


def _module_states(db):
    return dict(
        _query(db, SQL("SELECT name, state FROM ir_module_module WHERE name IN %s", tuple(ADDONS)))
    )


def _table_exists(db, table):
    return bool(_query(db, SQL("SELECT 1 FROM pg_tables WHERE tablename = %s", table)))


def _own_tables(db, addon):
    """Tables of the models ``addon`` defines (not those it extends)."""
    models = _query(
        db,
        SQL(
            """SELECT m.model FROM ir_model m
                 JOIN ir_model_data d ON d.model = 'ir.model' AND d.res_id = m.id
                WHERE d.module = %s AND NOT m.transient
                  AND m.model NOT IN (
                      SELECT m2.model FROM ir_model m2
                        JOIN ir_model_data d2 ON d2.model = 'ir.model' AND d2.res_id = m2.id
                       WHERE d2.module != %s)""",
            addon,
            addon,
        ),
    )
    tables = [model.replace(".", "_") for (model,) in models]
    return [table for table in tables if _table_exists(db, table)]


@pytest.mark.parametrize("demo", [False, True], ids=["empty", "demo"])
def test_install_each_then_uninstall_in_reverse(demo):
    db = f"{config['db_name'][0]}_install_{'demo' if demo else 'empty'}"
    _drop(db)
    try:
        _odoo(db, "-i", "base", "--stop-after-init", *(["--with-demo"] if demo else []))
        tables = []
        for addon in ADDONS:
            _odoo(db, "-i", addon, "--stop-after-init")
            assert _module_states(db)[addon] == "installed", addon
            tables += _own_tables(db, addon)
            # Odoo installs a module whose demo data fails without it, with a
            # warning and a row here: the demo database would be half empty.
            failures = _query(
                db,
                SQL(
                    "SELECT m.name, f.error FROM ir_demo_failure f "
                    "JOIN ir_module_module m ON m.id = f.module_id"
                ),
            )
            assert not failures, failures
        menu = _query(
            db,
            SQL(
                "SELECT 1 FROM ir_model_data WHERE module = 'dist_approval_matrix' "
                "AND name = 'menu_dist_root'"
            ),
        )
        assert menu, "the Distribution menu is missing"
        if demo:
            # A newcomer can try every role alone (README: demo logins), and the
            # demo's requests were asked by their salesperson, not by OdooBot.
            logins = {login for (login,) in _query(db, SQL("SELECT login FROM res_users"))}
            roles = {"demo", "approver", "buyer", "warehouse", "finance", "service"}
            assert roles <= logins, logins
            requesters = _query(
                db,
                SQL(
                    """SELECT DISTINCT u.login FROM dist_approval_request r
                         JOIN res_users u ON u.id = r.requested_by"""
                ),
            )
            assert requesters == [("demo",)], requesters

        _uninstall(db, list(reversed(ADDONS)))
        states = _module_states(db)
        assert all(states[a] == "uninstalled" for a in ADDONS), states
        assert "dist_approval_rule" in tables and "dist_exception" in tables, tables
        for table in tables:
            assert not _table_exists(db, table), f"{table} survived the uninstall"
    finally:
        _drop(db)
