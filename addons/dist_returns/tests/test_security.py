# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import DistReturnsCommon


@tagged("post_install", "-at_install")
class TestReturnRpcBypass(DistReturnsCommon):
    """What an external client or an import might try, as each role."""

    def test_states_and_dates_are_the_workflow_s(self):
        order = self._delivered_order()
        record = self._new_return(order, {self.product: 2.0})
        for user in (self.helpdesk_user, self.stock_user, self.salesman):
            for vals in (
                {"state": "approved"},
                {"state": "done"},
                {"date_approved": "2026-01-01 00:00:00"},
                {"resolve_requested": True},
            ):
                with self.assertRaises(UserError, msg=f"{user.login} {vals}"):
                    record.with_user(user).write(vals)
        self.assertEqual(record.state, "draft")
        self.assertFalse(record.return_picking_ids)

    def test_no_return_is_created_authorized(self):
        order = self._delivered_order()
        with self.assertRaises(UserError):
            self.env["dist.return"].with_user(self.helpdesk_user).create(
                {
                    "sale_order_id": order.id,
                    "state": "approved",
                    "line_ids": [Command.create({"product_id": self.product.id, "quantity": 1.0})],
                }
            )

    def test_approval_cannot_be_skipped(self):
        self.env["dist.approval.rule"].sudo().create(
            {
                "name": "Every return",
                "document_type": "return",
                "apply_always": True,
                "approver_group_id": self.env.ref("dist_approval_matrix.group_dist_approver").id,
            }
        )
        order = self._delivered_order()
        record = self._new_return(order, {self.product: 2.0})
        record.action_submit()
        self.assertEqual(record.state, "to_approve")
        with self.assertRaises(UserError):
            record.write({"state": "approved"})
        with self.assertRaises(UserError):
            record.write({"approval_state": "approved"})
        with self.assertRaises(AccessError):
            record.approval_request_ids.with_user(self.helpdesk_user).action_approve()
        # The approval is for what was asked: the lines cannot change under it.
        with self.assertRaises(UserError):
            record.line_ids.write({"quantity": 5.0})
        with self.assertRaises(UserError):
            record.write({"line_ids": [Command.create({"product_id": self.product.id})]})
        self.assertEqual(record.state, "to_approve")
        self.assertFalse(record.return_picking_ids)

    def test_lines_cannot_move_into_a_submitted_return(self):
        order = self._delivered_order()
        approved = self._authorized(order, {self.product: 2.0})
        draft = self._new_return(order, {self.product: 1.0})
        for user in (self.helpdesk_user, self.stock_user, self.salesman):
            with self.assertRaises(UserError, msg=user.login):
                draft.line_ids.with_user(user).write({"return_id": approved.id, "quantity": 5.0})
        self.assertEqual(approved.line_ids.mapped("quantity"), [2.0])
        self.assertEqual(draft.line_ids.return_id, draft)

    def test_the_resolution_is_fixed_once_requested(self):
        order = self._delivered_order()
        record = self._authorized(order, {self.product: 2.0})
        self._receive(record)
        self._inspect(record, {self.product: 2.0})
        # As when its credit note failed: resolution requested, still received.
        record._dist_write({"resolve_requested": True})
        for vals in ({"resolution": "replace"}, {"ship_back_rejected": True}):
            with self.assertRaises(UserError, msg=str(vals)):
                record.with_user(self.stock_user).write(vals)
        self.assertEqual(record.resolution, "refund")

    def test_who_only_reads_returns_cannot_run_them(self):
        reader = self._dist_user("dist_return_reader", "dist_approval_matrix.group_dist_user")
        order = self._delivered_order()
        approved = self._authorized(order, {self.product: 2.0})
        draft = self._new_return(order, {self.product: 1.0})
        with self.assertRaises(AccessError):
            approved.with_user(reader).action_cancel()
        with self.assertRaises(AccessError):
            draft.with_user(reader).action_submit()
        self.assertEqual(approved.state, "approved")
        self.assertEqual(draft.state, "draft")

    def test_receipts_cannot_be_forged(self):
        order = self._delivered_order()
        record = self._authorized(order, {self.product: 2.0})
        line = record.line_ids
        with self.assertRaises(UserError):
            line.with_user(self.stock_user).write({"quantity_received": 2.0})
        with self.assertRaises(UserError):
            line.with_user(self.stock_user).write({"quantity_accepted": 2.0})
        delivery = order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        other = self._odoo_return(delivery, {self.product: 1.0})
        with self.assertRaises(UserError):
            other.with_user(self.stock_user).write(
                {"dist_return_id": record.id, "dist_return_role": "receipt"}
            )
        with self.assertRaises(UserError):
            order.order_line.with_user(self.salesman).write({"dist_qty_return_authorized": 0.0})
        with self.assertRaises(UserError):
            record.with_user(self.stock_user).action_resolve()
        self.assertEqual(record.state, "approved")
        self.assertEqual(line.quantity_received, 0.0)

    def test_inspection_only_within_what_arrived(self):
        order = self._delivered_order()
        record = self._authorized(order, {self.product: 2.0})
        self._receive(record)
        line = record.line_ids.with_user(self.stock_user)
        with self.assertRaises(UserError):
            line.write({"quantity_accepted": 3.0})
        line.write({"quantity_accepted": 1.0})
        self.assertEqual(line.quantity_rejected, 1.0)
        self._resolve(record)
        with self.assertRaises(UserError):
            line.write({"quantity_accepted": 2.0})
        with self.assertRaises(UserError):
            record.disposition_ids.with_user(self.stock_user).write({"quantity": 2.0})
        with self.assertRaises(UserError):
            record.disposition_ids.with_user(self.stock_user).write({"picking_id": False})

    def test_delivery_issue_links_are_the_system_s(self):
        self.company.sudo().dist_delivery_issue_team_id = self.team
        order = self._delivered_order()
        exception = self.env["dist.exception"]._dist_report(
            "delivery_issue", [{**order.picking_ids._dist_exception_links(), "description": "x"}]
        )
        with self.assertRaises(AccessError):
            exception.with_user(self.stock_user).write({"dist_ticket_id": False})

    def test_deleting_only_drafts(self):
        order = self._delivered_order()
        record = self._authorized(order, {self.product: 1.0})
        with self.assertRaises(UserError):
            record.line_ids.unlink()
        with self.assertRaises(UserError):
            record.with_user(self.helpdesk_user).unlink()


@tagged("post_install", "-at_install")
class TestReturnMultiCompany(DistReturnsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._dist_second_company("Returns South")
        cls.helpdesk_user_2 = cls._dist_user(
            "dist_helpdesk_user", "helpdesk_mgmt.group_helpdesk_user", cls.company_2
        )

    def test_each_company_sees_and_receives_its_own_returns(self):
        order_1 = self._delivered_order()
        return_1 = self._authorized(order_1, {self.product: 1.0})

        order_2 = self._create_order(
            self.customer_manual, [(self.product, 5.0)], user=self.salesman_2
        )
        self._deliver(order_2.picking_ids, user=self.stock_user_2, bill=False)
        return_2 = self._new_return(order_2, {self.product: 2.0}, user=self.helpdesk_user_2)
        return_2.action_submit()
        self.assertEqual(return_2.company_id, self.company_2)
        self.assertEqual(return_2.location_id, self.warehouse_2.dist_return_location_id)
        self.assertEqual(
            return_2.return_picking_ids.location_dest_id, self.warehouse_2.dist_return_location_id
        )
        self.assertNotEqual(return_2.name, return_1.name)

        Return = self.env["dist.return"]
        self.assertEqual(Return.with_user(self.helpdesk_user).search([]), return_1)
        self.assertEqual(Return.with_user(self.helpdesk_user_2).search([]), return_2)
        self.assertFalse(
            self.env["dist.return.line"]
            .with_user(self.stock_user_2)
            .search([("return_id", "=", return_1.id)])
        )
        with self.assertRaises(AccessError):
            return_1.with_user(self.helpdesk_user_2).read(["name"])
        # A return of company A cannot take an order of company B.
        with self.assertRaises(UserError):
            self._new_return(order_2, {self.product: 1.0}, user=self.helpdesk_user)

        self._deliver(return_2.return_picking_ids, user=self.stock_user_2, bill=False)
        self.assertEqual(return_2.state, "received")
        return_2.with_user(self.stock_user_2).action_resolve()
        self.assertEqual(return_2.state, "done")
        self.assertEqual(return_2.operation_picking_ids.company_id, self.company_2)
