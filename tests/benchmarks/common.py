# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What every benchmark measures and prints the same way."""

import time


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
