# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What every benchmark measures and prints the same way."""

import time
from contextlib import contextmanager

from odoo.tools import SQL


def timed(env, func, *args):
    """Seconds and queries of ``func(*args)``, caches cold and writes flushed."""
    env.flush_all()
    env.invalidate_all()
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    result = func(*args)
    env.flush_all()
    return time.perf_counter() - start, env.cr.sql_log_count - queries, result


def report(title, rows):
    """Print {label: (seconds, queries, [phase text])} under ``title``."""
    print(f"\n== {title}")
    for label, (seconds, queries, *phases) in rows.items():
        detail = f"  ({', '.join(phases[0])})" if phases and phases[0] else ""
        print(f"   {label:<52} {seconds:8.2f} s {queries:>8} queries{detail}")


def ratio(label, ours, odoo, target):
    """Print and return ours / odoo (seconds), against ``target``."""
    value = ours[0] / odoo[0]
    verdict = "ok" if value <= target else "ABOVE TARGET"
    print(f"   ratio {label:<52} {value:6.2f}x  (target <= {target}x: {verdict})")
    return value


@contextmanager
def rolled_back(env):
    """Whatever runs inside is undone afterwards (a savepoint), caches included."""
    savepoint = env.cr.savepoint()
    try:
        yield
    finally:
        savepoint.close(rollback=True)
        env.invalidate_all()


def table_columns(env, table):
    """The columns of ``table`` but ``id``, in their order."""
    return [
        name
        for (name,) in env.execute_query(
            SQL(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = %s AND column_name != 'id' ORDER BY ordinal_position",
                table,
            )
        )
    ]


def clone_sql(env, table, template_id, source, overrides):
    """SQL inserting a copy of row ``template_id`` of ``table`` per row of
    ``source`` (SQL of a set), with ``overrides`` ({column: SQL}): history is
    generated in the database, thousands of rows a statement."""
    columns = table_columns(env, table)
    return SQL(
        "INSERT INTO %s (%s) SELECT %s FROM %s t, %s WHERE t.id = %s",
        SQL.identifier(table),
        SQL(", ").join(map(SQL.identifier, columns)),
        SQL(", ").join(overrides.get(column, SQL.identifier("t", column)) for column in columns),
        SQL.identifier(table),
        source,
        template_id,
    )


def stocked_products(env, warehouse, name, count, on_hand, **values):
    """``count`` storable products invoiced on delivery, named ``name`` and a
    number, priced 10 + their number (``values`` adds or overrides fields),
    with ``on_hand`` units each in ``warehouse``."""
    products = env["product.product"].create(
        [
            {
                "name": f"{name} {i}",
                "type": "consu",
                "is_storable": True,
                "invoice_policy": "delivery",
                "list_price": 10.0 + i,
                **values,
            }
            for i in range(count)
        ]
    )
    for product in products:
        env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, on_hand)
    return products
