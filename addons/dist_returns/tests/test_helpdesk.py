# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common import DistReturnsCommon


@tagged("post_install", "-at_install")
class TestReturnHelpdesk(DistReturnsCommon):
    def _ticket(self, partner=None, user=None):
        return (
            self.env["helpdesk.ticket"]
            .with_user(user or self.helpdesk_user)
            .create(
                {
                    "name": "Broken crates",
                    "description": "Two crates arrived broken.",
                    "partner_id": (partner or self.customer_manual).id,
                    "team_id": self.team.id,
                }
            )
        )

    def _from_ticket(self, ticket, order=None, picking=None):
        action = ticket.action_dist_create_return()
        wizard = Form.from_action(ticket.env, action)
        if picking:
            wizard.source = "delivery"
            wizard.picking_id = picking
        else:
            wizard.sale_order_id = order
        result = wizard.save().action_create()
        return ticket.env["dist.return"].browse(result["res_id"])

    def test_return_from_a_ticket_and_back(self):
        order = self._delivered_order(lines=[(self.product, 10.0), (self.product_b, 2.0)])
        ticket = self._ticket()
        record = self._from_ticket(ticket, order=order)
        self.assertEqual(record.ticket_id, ticket)
        self.assertEqual(record.sale_order_id, order)
        self.assertEqual(len(record.line_ids), 2)
        self.assertEqual(ticket.dist_sale_order_ids, order)
        record.line_ids[0].write({"quantity": 2.0, "reason_id": self.reason_damaged.id})
        self._attach(record)
        record.action_submit()
        self.assertEqual(record.state, "approved")
        self.assertEqual(ticket.dist_return_count, 1)
        self.assertEqual(ticket.dist_order_count, 1)
        self.assertEqual(ticket.dist_picking_count, 2, "the delivery and the return transfer")
        self.assertEqual(ticket.dist_return_attachment_ids.name, "photo.png")

        self._receive(record)
        self._resolve(self._inspect(record, {self.product: 2.0}))
        self.assertEqual(record.state, "done")
        self.assertEqual(ticket.dist_credit_note_count, 1)
        self.assertEqual(ticket.stage_id, self.stage_done, "the team's stage for done returns")
        self.assertIn(record.credit_note_ids.name, record.credit_note_summary)
        action = ticket.with_user(self.billing_user).action_dist_view_credit_notes()
        self.assertEqual(action["res_id"], record.credit_note_ids.id)
        self.assertEqual(
            ticket.action_dist_view_returns()["res_id"],
            record.id,
            "the return opens from the ticket",
        )

    def test_return_of_one_delivery_from_a_ticket(self):
        order = self._create_order(self.customer_manual, [(self.product, 10.0)])
        first = self._deliver(order.picking_ids, {self.product: 4.0}, backorder=True)
        second = self._deliver(order.picking_ids - first)
        ticket = self._ticket()
        record = self._from_ticket(ticket, picking=second)
        self.assertEqual(record.picking_id, second)
        self.assertEqual(record.line_ids.quantity_returnable, 10.0)
        record.line_ids.write({"quantity": 5.0, "reason_id": self.reason_unwanted.id})
        record.action_submit()
        origin = record.return_picking_ids.move_ids.origin_returned_move_id
        self.assertEqual(origin.picking_id, second, "returned against that delivery first")

    def test_delivery_issue_opens_one_ticket_and_solving_it_resolves_the_issue(self):
        self.company.sudo().dist_delivery_issue_team_id = self.team
        order = self._delivered_order()
        picking = order.picking_ids

        def report(note):
            action = picking.with_user(self.stock_user).action_dist_report_issue()
            wizard = Form.from_action(picking.with_user(self.stock_user).env, action)
            wizard.reason = "damaged"
            wizard.note = note
            wizard.save().action_report()

        report("Two crates broken")
        report("The customer sent photos")
        exception = self.env["dist.exception"].search(
            [("exception_type", "=", "delivery_issue"), ("picking_id", "=", picking.id)]
        )
        self.assertEqual(len(exception), 1)
        ticket = exception.dist_ticket_id.with_user(self.helpdesk_user)
        self.assertEqual(len(ticket), 1)
        self.assertEqual(
            self.env["helpdesk.ticket"]
            .sudo()
            .search_count([("dist_picking_ids", "in", picking.ids)]),
            1,
        )
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.partner_id, self.customer_manual)
        self.assertEqual(ticket.dist_sale_order_ids, order)
        self.assertEqual(ticket.dist_picking_ids, picking)
        self.assertIn("Two crates broken", ticket.description)

        ticket.with_user(self.helpdesk_user).stage_id = self.stage_done
        self.assertEqual(exception.state, "resolved")
        self.assertIn(ticket.number, exception.resolution_note)

        report("Again, a week later")
        new = (
            self.env["dist.exception"].search(
                [("exception_type", "=", "delivery_issue"), ("picking_id", "=", picking.id)]
            )
            - exception
        )
        self.assertEqual(len(new), 1)
        self.assertNotEqual(new.dist_ticket_id, ticket)

    def test_no_delivery_issue_team_no_ticket(self):
        order = self._delivered_order()
        exception = self.env["dist.exception"]._dist_report(
            "delivery_issue",
            [{**order.picking_ids._dist_exception_links(), "description": "Lost parcel"}],
        )
        self.assertEqual(len(exception), 1)
        self.assertFalse(exception.dist_ticket_id)

    def test_unresolved_returns_reach_the_exception_queue(self):
        self.company.sudo().dist_return_unresolved_days = 10
        Scanner = self.env["dist.exception.scanner"].sudo()
        start = datetime(2026, 5, 4, 9, 0)
        with freeze_time(start):
            order = self._delivered_order()
            record = self._authorized(order, {self.product: 2.0})
        with freeze_time(start + timedelta(days=5)):
            Scanner._dist_scan()
            self.assertFalse(record.dist_exception_count)
        with freeze_time(start + timedelta(days=11)):
            Scanner._dist_scan()
            exception = self.env["dist.exception"].search(
                [("exception_type", "=", "unresolved_return"), ("dist_return_id", "=", record.id)]
            )
            self.assertEqual(len(exception), 1)
            self.assertEqual(exception.res_model, "dist.return")
            self.assertEqual(exception.user_id, self.helpdesk_user)
            self.assertEqual(exception.sale_order_id, order)
            self.assertIn("11 days", exception.description)
            record.invalidate_recordset(["dist_exception_count"])
            self.assertEqual(record.dist_exception_count, 1)
            Scanner._dist_scan()
            self.assertEqual(
                self.env["dist.exception"].search_count(
                    [("exception_type", "=", "unresolved_return")]
                ),
                1,
            )
            self._receive(record)
            self._resolve(record)
            self.assertEqual(exception.state, "resolved")

    def test_unresolved_check_can_be_turned_off(self):
        self.company.sudo().dist_return_unresolved_days = 0
        start = datetime(2026, 5, 4, 9, 0)
        with freeze_time(start):
            order = self._delivered_order()
            self._authorized(order, {self.product: 2.0})
        with freeze_time(start + timedelta(days=90)):
            self.env["dist.exception.scanner"].sudo()._dist_scan()
        self.assertFalse(
            self.env["dist.exception"].search([("exception_type", "=", "unresolved_return")])
        )
