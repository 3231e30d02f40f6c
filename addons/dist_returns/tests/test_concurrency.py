# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Two people authorizing the last units of an order line at the same moment."""

from contextlib import closing

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from odoo.addons.dist_order_sync.tests.concurrency import DistConcurrencyCase


@tagged("post_install", "-at_install", "dist_concurrency")
class TestConcurrentAuthorization(DistConcurrencyCase):
    def setUp(self):
        super().setUp()
        self.ids = {}
        self.addCleanup(self._remove_data)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            product = self._dist_stocked_product(env, "Concurrency Return Crate")
            partner = env["res.partner"].create({"name": "Concurrent Returner", "is_company": True})
            order = env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": 10})
                    ],
                }
            )
            order.action_confirm()
            picking = order.picking_ids
            picking.move_ids.quantity = 10
            picking.move_ids.picked = True
            picking.button_validate()
            reason = env["dist.return.reason"].create({"name": "Concurrency reason"})
            # Two drafts may each ask for 6 of the 10 delivered units.
            returns = env["dist.return"].create(
                [
                    {
                        "sale_order_id": order.id,
                        "line_ids": [
                            Command.create(
                                {"product_id": product.id, "quantity": 6, "reason_id": reason.id}
                            )
                        ],
                    }
                    for _ in range(2)
                ]
            )
            self.ids = {
                "product": product.id,
                "partner": partner.id,
                "order": order.id,
                "returns": returns.ids,
                "reason": reason.id,
            }

    def _remove_data(self):
        if not self.ids:
            return
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            order = env["sale.order"].browse(self.ids["order"])
            pickings = order.picking_ids | env["stock.picking"].search(
                [("dist_return_id", "in", self.ids["returns"])]
            )
            for query in (
                "DELETE FROM dist_return WHERE id IN %s",
                "DELETE FROM stock_move_line WHERE product_id IN %s",
                "DELETE FROM stock_move WHERE product_id IN %s",
                "DELETE FROM stock_quant WHERE product_id IN %s",
            ):
                ids = self.ids["returns"] if "dist_return" in query else [self.ids["product"]]
                cr.execute(SQL(query, tuple(ids)))
            if pickings:
                cr.execute(SQL("DELETE FROM stock_picking WHERE id IN %s", tuple(pickings.ids)))
            cr.execute(SQL("DELETE FROM sale_order WHERE id = %s", self.ids["order"]))
            env["dist.return.reason"].browse(self.ids["reason"]).unlink()
            env["product.product"].browse(self.ids["product"]).action_archive()
            env["res.partner"].browse(self.ids["partner"]).action_archive()

    @staticmethod
    def _submit(env, return_id):
        env["dist.return"].browse(return_id).action_submit()

    @mute_logger("odoo.sql_db", "odoo.service.model")
    def test_the_last_units_are_authorized_once(self):
        first, second = self.ids["returns"]
        # The second submission starts while the first holds the order line.
        errors, attempts, waited = self._dist_race(self._submit, first, second)
        self.assertTrue(waited, "the second submission waits for the first")

        self.assertEqual(len(errors), 1, errors)
        self.assertIsInstance(errors[0], UserError)
        self.assertIn("only 4", str(errors[0]))
        self.assertGreater(len(attempts), 1, "the second submission was retried on fresh data")
        with closing(self.registry.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            returns = env["dist.return"].browse(self.ids["returns"])
            self.assertEqual(returns.mapped("state"), ["approved", "draft"])
            line = env["sale.order"].browse(self.ids["order"]).order_line
            self.assertEqual(line.dist_qty_return_authorized, 6.0)
