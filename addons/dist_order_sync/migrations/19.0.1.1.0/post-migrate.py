# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""19.0.1.1.0: billing, scanning and the digest moved to models of their own.

The crons are ``noupdate`` data: point the existing ones at their new model.
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

CRON_MODELS = {
    "dist_order_sync.ir_cron_dist_bill_due": "dist.billing",
    "dist_order_sync.ir_cron_dist_exception_scan": "dist.exception.scanner",
    "dist_order_sync.ir_cron_dist_exception_digest": "dist.exception.digest",
}


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid, model in CRON_MODELS.items():
        cron = env.ref(xmlid, raise_if_not_found=False)
        if cron and cron.model_id.model != model:
            _logger.info("Cron %s now runs on %s (was %s).", xmlid, model, cron.model_id.model)
            cron.model_id = env["ir.model"]._get(model)
