# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.fields import Command
from odoo.tests import Form

from odoo.addons.dist_order_sync.tests.common import DistOrderSyncCommon, invoice_with_wizard


class DistReturnsCommon(DistOrderSyncCommon):
    """Delivered and invoiced orders, return reasons, a Helpdesk team, and one
    user per role of a return: helpdesk user (takes it), approver (authorizes
    it), warehouse user (receives, inspects, resolves), invoicing user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.helpdesk_user = cls._dist_user(
            "dist_helpdesk_user", "helpdesk_mgmt.group_helpdesk_user"
        )
        cls.approver = cls._dist_user(
            "dist_return_approver",
            "dist_approval_matrix.group_dist_approver,sales_team.group_sale_manager",
        )
        cls.returns_location = cls.warehouse.dist_return_location_id
        Reason = cls.env["dist.return.reason"].sudo()
        cls.reason_damaged = Reason.create(
            {
                "name": "Test: damaged",
                "default_disposition": "scrap",
                "requires_evidence": True,
                "evidence_label": "a photo of the damage",
            }
        )
        cls.reason_unwanted = Reason.create(
            {"name": "Test: not wanted", "default_disposition": "restock"}
        )
        cls.reason_fee = Reason.create(
            {
                "name": "Test: changed mind",
                "default_disposition": "restock",
                "restocking_fee_percent": 10.0,
            }
        )
        cls.reason_defect = Reason.create(
            {"name": "Test: defective", "default_disposition": "vendor"}
        )
        cls.stage_done = (
            cls.env["helpdesk.ticket.stage"]
            .sudo()
            .create({"name": "Test: return settled", "sequence": 50, "closed": True})
        )
        cls.team = (
            cls.env["helpdesk.ticket.team"]
            .sudo()
            .create(
                {
                    "name": "Test: after-sales",
                    "user_ids": [Command.set(cls.helpdesk_user.ids)],
                    "dist_return_done_stage_id": cls.stage_done.id,
                }
            )
        )
        cls.company.sudo().dist_return_notify_customer = True
        (cls.customer_manual | cls.customer_delivery | cls.customer_consolidated).write(
            {"email": "customer@example.com"}
        )

    # ------------------------------------------------------------------
    # Business steps, each done by the role that does it
    # ------------------------------------------------------------------
    def _delivered_order(self, partner=None, lines=None, invoice=True, **values):
        """A confirmed, delivered and (manual customers: by Odoo's wizard) invoiced order."""
        partner = partner or self.customer_manual
        order = self._create_order(partner, lines, **values)
        self._deliver(order.picking_ids)
        if invoice and partner.dist_billing_policy == "manual":
            invoice_with_wizard(order, self.salesman)
            order.invoice_ids.filtered(lambda m: m.state == "draft").with_user(
                self.billing_user
            ).action_post()
        return order

    def _new_return(self, order, quantities, reason=None, user=None, picking=None, **values):
        """A draft return of ``quantities`` ({product: qty}) created by ``user``."""
        user = user or self.helpdesk_user
        reason = reason or self.reason_unwanted
        Return = self.env["dist.return"].with_user(user)
        record = Return.create(
            {
                "sale_order_id": order.id,
                "picking_id": picking.id if picking else False,
                "line_ids": [
                    Command.create(
                        {"product_id": product.id, "quantity": qty, "reason_id": reason.id}
                    )
                    for product, qty in quantities.items()
                ],
                **values,
            }
        )
        return record

    def _attach(self, record, user=None):
        return (
            self.env["ir.attachment"]
            .with_user(user or self.helpdesk_user)
            .create(
                {
                    "name": "photo.png",
                    "res_model": record._name,
                    "res_id": record.id,
                    "raw": b"\x89PNG fake photo",
                }
            )
        )

    def _authorized(self, order, quantities, reason=None, **values):
        record = self._new_return(order, quantities, reason=reason, **values)
        record.action_submit()
        self.assertEqual(record.state, "approved")
        return record

    def _receive(self, record, quantities=None, backorder=True, user=None):
        """The warehouse user validates the open return transfer of ``record``."""
        picking = record.return_picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        self.assertEqual(len(picking), 1)
        return self._deliver(picking, quantities, backorder=backorder, user=user, bill=False)

    def _inspect(self, record, accepted, user=None):
        """The warehouse user sets the accepted quantity of each product."""
        record = record.with_user(user or self.stock_user)
        for line in record.line_ids:
            if line.product_id in accepted:
                line.quantity_accepted = accepted[line.product_id]
        return record

    def _resolve(self, record, user=None):
        record.with_user(user or self.stock_user).action_resolve()
        self._bill()
        return record

    def _on_hand(self, product, location=None):
        location = location or self.warehouse.lot_stock_id
        return product.with_context(location=location.id).qty_available

    def _odoo_return(self, picking, quantities, user=None):
        """A return made with Odoo's own wizard, outside any return authorization."""
        env = picking.with_user(user or self.stock_user).env
        wizard = Form(
            env["stock.return.picking"].with_context(
                active_id=picking.id, active_model="stock.picking"
            )
        )
        for index in range(len(wizard.product_return_moves)):
            with wizard.product_return_moves.edit(index) as line:
                line.quantity = quantities.get(line.product_id, 0.0)
        action = wizard.save().action_create_returns()
        return self._deliver(env["stock.picking"].browse(action["res_id"]), bill=False)
