# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Two transactions billing at the same time, on committed data."""

from contextlib import closing

from odoo import SUPERUSER_ID, api
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from .concurrency import DistConcurrencyCase


@tagged("post_install", "-at_install", "dist_concurrency")
class TestConcurrentBilling(DistConcurrencyCase):
    def setUp(self):
        super().setUp()
        self.ids = {}
        self.addCleanup(self._remove_data)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            # Concurrent billing happens when the validations bill themselves.
            self.in_request = env["ir.config_parameter"].get_param(
                "dist_order_sync.billing_in_request", ""
            )
            env["ir.config_parameter"].set_param("dist_order_sync.billing_in_request", "1")
            product = self._dist_stocked_product(env, "Concurrency Crate")
            partners = env["res.partner"].create(
                [
                    {"name": "Concurrent Delivery Customer", "is_company": True},
                    {"name": "Concurrent Consolidated Customer", "is_company": True},
                ]
            )
            partners[0].dist_billing_policy = "delivery"
            partners[1].dist_billing_policy = "consolidated"
            # Drafts: the data can be removed afterwards.
            partners.dist_invoice_post = "draft"
            orders = env["sale.order"].create(
                [
                    {
                        "partner_id": partner.id,
                        "order_line": [
                            Command.create({"product_id": product.id, "product_uom_qty": 10})
                        ],
                    }
                    for partner in partners
                ]
            )
            orders.action_confirm()
            # Split each delivery in two transfers of one order: 4 + 6.
            for picking in orders.picking_ids:
                picking.move_ids.quantity = 4
                picking.action_split_transfer()
            self.ids = {
                "product": product.id,
                "partners": partners.ids,
                "orders": orders.ids,
                "delivery_pickings": orders[0].picking_ids.sorted("id").ids,
                "consolidated_pickings": orders[1].picking_ids.sorted("id").ids,
            }
        self.assertEqual(len(self.ids["delivery_pickings"]), 2)

    def _remove_data(self):
        if not self.ids:
            return
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            orders = env["sale.order"].browse(self.ids["orders"])
            invoices = orders.order_line.invoice_lines.move_id
            invoices.filtered(lambda m: m.state != "draft").button_draft()
            invoices.unlink()
            pickings = orders.picking_ids
            env["dist.exception"].search([("picking_id", "in", pickings.ids)]).unlink()
            product_ids = (self.ids["product"],)
            for query in (
                "DELETE FROM stock_move_line WHERE product_id IN %s",
                "DELETE FROM stock_move WHERE product_id IN %s",
                "DELETE FROM stock_quant WHERE product_id IN %s",
            ):
                cr.execute(SQL(query, product_ids))
            cr.execute(SQL("DELETE FROM stock_picking WHERE id IN %s", tuple(pickings.ids)))
            cr.execute(SQL("DELETE FROM sale_order WHERE id IN %s", tuple(orders.ids)))
            env["product.product"].browse(self.ids["product"]).action_archive()
            env["ir.config_parameter"].set_param(
                "dist_order_sync.billing_in_request", self.in_request
            )
            env["res.partner"].browse(self.ids["partners"]).action_archive()

    @staticmethod
    def _validate(env, picking_id):
        picking = env["stock.picking"].browse(picking_id)
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking.button_validate()

    @mute_logger("odoo.sql_db", "odoo.service.model")
    def test_two_transfers_of_one_order_validated_concurrently(self):
        first, second = self.ids["delivery_pickings"]
        # The second transaction starts while the first one holds its locks.
        errors, attempts, __ = self._dist_race(self._validate, first, second)
        self.assertFalse(errors, errors)
        self.assertGreater(len(attempts), 1, "the second validation waited and was retried")

        with closing(self.registry.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            pickings = env["stock.picking"].browse(self.ids["delivery_pickings"])
            self.assertEqual(pickings.mapped("state"), ["done", "done"])
            self.assertEqual(pickings.mapped("dist_billing_state"), ["billed", "billed"])
            quantities = [
                sum(p.dist_invoice_ids.invoice_line_ids.mapped("quantity")) for p in pickings
            ]
            self.assertEqual(quantities, [4.0, 6.0])
            self.assertEqual([len(p.dist_invoice_ids) for p in pickings], [1, 1])
            line = env["sale.order"].browse(self.ids["orders"][0]).order_line
            self.assertEqual(line.qty_invoiced, 10.0)

    @mute_logger("odoo.sql_db")
    def test_what_is_locked_is_skipped_and_billed_once(self):
        first, second = self.ids["consolidated_pickings"]
        for picking_id in (first, second):
            self._dist_in_transaction(self._validate, picking_id)
        with (
            closing(self.registry.cursor()) as cr_a,
            closing(self.registry.cursor()) as cr_b,
        ):
            env_a = api.Environment(cr_a, SUPERUSER_ID, {})
            env_b = api.Environment(cr_b, SUPERUSER_ID, {})
            both_b = env_b["stock.picking"].browse([first, second])
            self.assertEqual(both_b.mapped("dist_billing_state"), ["to_bill", "to_bill"])

            # A bills the first transfer and holds it (and its sales line).
            invoices_a = env_a["dist.billing"]._dist_bill(env_a["stock.picking"].browse(first))
            self.assertEqual(len(invoices_a), 1)
            env_a.flush_all()
            # B, a retry or the cron, skips what A holds and bills nothing twice.
            self.assertFalse(env_b["dist.billing"]._dist_bill(both_b))
            env_b.flush_all()
            self.assertEqual(both_b.mapped("dist_billing_state"), ["to_bill", "to_bill"])
            self.assertFalse(any(both_b.mapped("dist_billing_error")))
            cr_b.commit()
            cr_a.commit()

            # Once A is done, a new transaction bills what is left, once.
            cr_b.rollback()
            env_b.invalidate_all()
            invoices_b = env_b["dist.billing"]._dist_bill(both_b)
            cr_b.commit()
            self.assertEqual(len(invoices_b), 1)
            self.assertEqual(invoices_b.dist_picking_ids.ids, [second])
            self.assertEqual(sum(invoices_b.invoice_line_ids.mapped("quantity")), 6.0)
            self.assertEqual(both_b.mapped("dist_billing_state"), ["billed", "billed"])
            line = env_b["sale.order"].browse(self.ids["orders"][1]).order_line
            self.assertEqual(line.qty_invoiced, 10.0)
