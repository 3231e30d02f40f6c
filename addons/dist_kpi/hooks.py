# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields

# Days of snapshots taken in the background after install.
INSTALL_BACKFILL_DAYS = 90


def post_init_hook(env):
    """Stamp the fulfilment facts of the existing history, then let the
    snapshot cron backfill the last months in the background."""
    delivered = env["dist.kpi.fulfilment"].sudo()._dist_backfill()
    if delivered:
        today = fields.Date.context_today(env["dist.kpi"])
        env["dist.kpi.value"].sudo()._dist_request_backfill(
            today - timedelta(days=INSTALL_BACKFILL_DAYS), today - timedelta(days=1)
        )
