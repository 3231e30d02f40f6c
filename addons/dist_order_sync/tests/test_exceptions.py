# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, tagged

from .common import DistOrderSyncCommon


@tagged("post_install", "-at_install")
class TestExceptions(DistOrderSyncCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scarce = cls._create_product(
            name="Rare Cheese", is_storable=True, invoice_policy="delivery"
        )
        cls.vendor = cls.env["res.partner"].create({"name": "Cheese Farm"})
        cls.buyer = cls._dist_user("dist_buyer", "purchase.group_purchase_user")
        cls.now = fields.Datetime.now()

    def _scan(self, at=None):
        with freeze_time(at or self.now):
            self.env["dist.exception.scanner"]._dist_scan()

    def _exceptions(self, exception_type, document, states=("open", "in_progress")):
        return self.env["dist.exception"].search(
            [
                ("exception_type", "=", exception_type),
                ("res_model", "=", document._name),
                ("res_id", "=", document.id),
                ("state", "in", states),
            ]
        )

    def _order_scarce(self, days):
        """5 rare cheeses promised in ``days`` days."""
        return self._create_order(
            self.customer_manual,
            [(self.scarce, 5.0)],
            commitment_date=self.now + timedelta(days=days),
        )

    def _purchase(self, quantity, planned):
        order = (
            self.env["purchase.order"]
            .with_user(self.buyer)
            .create(
                {
                    "partner_id": self.vendor.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.scarce.id,
                                "product_qty": quantity,
                                "price_unit": 5.0,
                                "date_planned": planned,
                            }
                        )
                    ],
                }
            )
        )
        order.button_confirm()
        return order.with_user(self.env.user)

    # ------------------------------------------------------------------
    def test_late_delivery_detected_then_resolved(self):
        order = self._create_order(self.customer_manual)
        picking = order.picking_ids
        self._scan()
        self.assertFalse(self._exceptions("late_delivery", picking))

        self._scan(picking.scheduled_date + timedelta(days=2))
        exception = self._exceptions("late_delivery", picking)
        self.assertEqual(len(exception), 1)
        self.assertEqual(exception.sale_order_id, order)
        self.assertEqual(exception.picking_id, picking)
        self.assertEqual(exception.partner_id, self.customer_manual)
        self.assertEqual(exception.company_id, self.company)
        self.assertEqual(exception.user_id, self.salesman)
        self.assertEqual(exception.activity_ids.user_id, self.salesman)
        self.assertIn(picking.name, exception.name)
        self.assertEqual(order.dist_exception_count, 1)
        self.assertEqual(order.dist_exception_ids, exception)
        self.assertIn(order, self.env["sale.order"].search([("dist_exception_count", ">", 0)]))
        # Scanning again keeps one exception.
        self._scan(picking.scheduled_date + timedelta(days=3))
        self.assertEqual(self._exceptions("late_delivery", picking), exception)

        self._deliver(picking)
        resolved_at = picking.scheduled_date + timedelta(days=4)
        self._scan(resolved_at)
        self.assertEqual(exception.state, "resolved")
        self.assertEqual(exception.resolved_on, resolved_at)
        self.assertFalse(exception.activity_ids)
        self.assertEqual(order.dist_exception_count, 0)

    def test_late_delivery_grace(self):
        with self.assertRaises(ValidationError):
            self.company.dist_late_delivery_grace = -1
        self.company.dist_late_delivery_grace = 48
        order = self._create_order(self.customer_manual)
        picking = order.picking_ids
        self._scan(picking.scheduled_date + timedelta(days=1))
        self.assertFalse(self._exceptions("late_delivery", picking))
        self._scan(picking.scheduled_date + timedelta(days=2, hours=1))
        self.assertEqual(len(self._exceptions("late_delivery", picking)), 1)

    def test_shortage_without_supply_resolved_when_stock_arrives(self):
        order = self._order_scarce(days=3)
        self._scan()
        shortage = self._exceptions("shortage", order)
        self.assertEqual(len(shortage), 1)
        self.assertEqual(shortage.picking_id, order.picking_ids)
        self.assertIn("No supply", shortage.description)
        self.assertFalse(self._exceptions("late_receipt", order))

        self.env["stock.quant"]._update_available_quantity(
            self.scarce, self.warehouse.lot_stock_id, 5.0
        )
        order.picking_ids.action_assign()
        self._scan()
        self.assertEqual(shortage.state, "resolved")

    def test_receipt_after_commitment_is_shortage_and_late_receipt(self):
        order = self._order_scarce(days=3)
        purchase = self._purchase(10.0, self.now + timedelta(days=6))
        self._scan()
        shortage = self._exceptions("shortage", order)
        late = self._exceptions("late_receipt", order)
        self.assertEqual(len(shortage), 1)
        self.assertEqual(len(late), 1)
        self.assertEqual(late.purchase_order_id, purchase)
        self.assertEqual(late.picking_id, purchase.picking_ids)
        # The buyer chases the supplier; the salesperson follows.
        self.assertEqual(late.user_id, self.buyer)
        self.assertIn(self.salesman.partner_id, late.message_partner_ids)
        self.assertEqual(late.activity_ids.user_id, self.buyer)

        # The vendor ships earlier: the receipt now comes before the deadline.
        purchase.picking_ids.scheduled_date = self.now + timedelta(days=1)
        self._scan()
        self.assertEqual(shortage.state, "resolved")
        self.assertEqual(late.state, "resolved")

    def test_overdue_receipt_is_late_until_received(self):
        order = self._order_scarce(days=10)
        purchase = self._purchase(5.0, self.now + timedelta(days=1))
        self._scan()
        self.assertFalse(self._exceptions("late_receipt", order))
        self.assertFalse(self._exceptions("shortage", order))

        later = self.now + timedelta(days=2)
        self._scan(later)
        late = self._exceptions("late_receipt", order)
        self.assertEqual(len(late), 1)
        self.assertIn("has not arrived", late.description)

        receipt = purchase.picking_ids
        receipt.move_ids.quantity = 5.0
        receipt.move_ids.picked = True
        receipt.button_validate()
        order.picking_ids.action_assign()
        self._scan(later)
        self.assertEqual(late.state, "resolved")

    def test_unbilled_delivery_and_billing_failure(self):
        self.company.dist_unbilled_delay = 2
        journals = self.env["account.journal"].search(
            [("company_id", "=", self.company.id), ("type", "=", "sale")]
        )
        journals.active = False
        order = self._create_order(self.customer_delivery)
        picking = self._deliver(order.picking_ids)
        failure = self._exceptions("billing_failure", picking)
        self.assertEqual(len(failure), 1)
        self._scan(picking.date_done + timedelta(hours=1))
        self.assertFalse(self._exceptions("unbilled_delivery", picking))
        self.assertEqual(self._exceptions("billing_failure", picking), failure)

        self._scan(picking.date_done + timedelta(hours=3))
        unbilled = self._exceptions("unbilled_delivery", picking)
        self.assertEqual(len(unbilled), 1)
        self.assertEqual(unbilled.user_id, self.billing_user)

        journals.active = True
        self._bill()
        self._scan(picking.date_done + timedelta(hours=4))
        self.assertEqual(unbilled.state, "resolved")
        self.assertEqual(failure.state, "resolved")

    def test_consolidated_deliveries_are_not_unbilled_before_period_end(self):
        self.company.dist_unbilled_delay = 0
        with freeze_time("2024-06-03 10:00:00"):
            order = self._create_order(self.customer_consolidated)
            picking = self._deliver(order.picking_ids)
        self._scan(fields.Datetime.from_string("2024-06-20 10:00:00"))
        self.assertFalse(self._exceptions("unbilled_delivery", picking))
        self._scan(picking.dist_billing_due + timedelta(hours=1))
        self.assertTrue(self._exceptions("unbilled_delivery", picking))

    def test_delivery_issue_reported_by_warehouse(self):
        order = self._create_order(self.customer_manual)
        picking = self._deliver(order.picking_ids)
        action = picking.with_user(self.stock_user).action_dist_report_issue()
        wizard = Form.from_action(picking.with_user(self.stock_user).env, action)
        wizard.reason = "damaged"
        wizard.note = "Two crates crushed"
        wizard.save().action_report()

        issue = self._exceptions("delivery_issue", picking)
        self.assertEqual(len(issue), 1)
        self.assertEqual(issue.issue_reason, "damaged")
        self.assertIn("Two crates crushed", issue.description)
        self.assertEqual(issue.user_id, self.salesman)
        self.assertEqual(issue.severity, "high")
        self.assertTrue(issue.message_ids.filtered(lambda m: "crushed" in (m.body or "")))

        # A second report adds to the open issue; the scanner leaves it alone.
        wizard = Form(
            self.env["dist.delivery.issue"]
            .with_user(self.stock_user)
            .with_context(default_picking_id=picking.id)
        )
        wizard.reason = "refused"
        wizard.save().action_report()
        self.assertEqual(self._exceptions("delivery_issue", picking), issue)
        self.assertEqual(issue.issue_reason, "refused")
        self._scan()
        self.assertEqual(issue.state, "open")

        issue.with_user(self.salesman).action_start()
        self.assertEqual(issue.state, "in_progress")
        issue.with_user(self.salesman).action_resolve()
        self.assertEqual(issue.state, "resolved")
        self.assertTrue(issue.resolved_on)

    def test_dismiss_needs_a_note_and_sticks_while_the_condition_holds(self):
        order = self._create_order(self.customer_manual)
        picking = order.picking_ids
        late_at = picking.scheduled_date + timedelta(days=2)
        self._scan(late_at)
        exception = self._exceptions("late_delivery", picking)
        with self.assertRaises(ValidationError):
            exception.with_user(self.salesman).write({"state": "dismissed"})
        wizard = Form.from_action(
            self.env(user=self.salesman), exception.with_user(self.salesman).action_dismiss()
        )
        wizard.note = "Customer collects it himself next week."
        wizard.save().action_dismiss()
        self.assertEqual(exception.state, "dismissed")
        self.assertEqual(exception.resolution_note, "Customer collects it himself next week.")
        self.assertFalse(exception.activity_ids)

        self._scan(late_at + timedelta(days=1))
        self.assertFalse(self._exceptions("late_delivery", picking))
        self.assertEqual(exception.state, "dismissed")

    def test_closed_by_a_plain_write_records_when(self):
        """An RPC client writing the state closes the exception as the button does."""
        order = self._create_order(self.customer_manual)
        self._scan(order.picking_ids.scheduled_date + timedelta(days=1))
        exception = self._exceptions("late_delivery", order.picking_ids)
        self.assertTrue(exception.activity_ids)
        with self.assertRaises(AccessError):
            exception.with_user(self.salesman).write(
                {"state": "resolved", "resolved_on": "2020-01-01 00:00:00"}
            )
        exception.with_user(self.salesman).write({"state": "resolved"})
        self.assertEqual(exception.state, "resolved")
        self.assertTrue(exception.resolved_on)
        self.assertFalse(exception.activity_ids)

    def test_routing_rule_and_severity(self):
        self.env["dist.exception.rule"].with_user(self.manager).create(
            {"exception_type": "late_delivery", "user_id": self.manager.id, "severity": "critical"}
        )
        order = self._create_order(self.customer_manual)
        self._scan(order.picking_ids.scheduled_date + timedelta(days=1))
        exception = self._exceptions("late_delivery", order.picking_ids)
        self.assertEqual(exception.user_id, self.manager)
        self.assertEqual(exception.severity, "critical")

    def test_access(self):
        order = self._create_order(self.customer_manual)
        self._scan(order.picking_ids.scheduled_date + timedelta(days=1))
        exception = self._exceptions("late_delivery", order.picking_ids)
        self.assertEqual(exception.with_user(self.stock_user).name, exception.name)
        with self.assertRaises(AccessError):
            self.env["dist.exception"].with_user(self.salesman).create(
                {
                    "name": "x",
                    "exception_type": "late_delivery",
                    "res_model": "stock.picking",
                    "res_id": order.picking_ids.id,
                    "company_id": self.company.id,
                }
            )
        with self.assertRaises(AccessError):
            exception.with_user(self.salesman).unlink()
        with self.assertRaises(AccessError):
            exception.with_user(self.salesman).write({"res_id": order.id})
        exception.with_user(self.salesman).write({"severity": "high", "user_id": self.salesman.id})
        self.assertEqual(exception.severity, "high")
        other_company = self.setup_other_company(name="Elsewhere")["company"]
        outsider = self._dist_user("dist_outsider", "sales_team.group_sale_salesman", other_company)
        self.assertFalse(
            self.env["dist.exception"].with_user(outsider).search([("id", "=", exception.id)])
        )

    def test_daily_digest(self):
        self.company.dist_exception_digest = True
        order = self._create_order(self.customer_manual)
        self._scan(order.picking_ids.scheduled_date + timedelta(days=1))
        mails_before = self.env["mail.mail"].search([])
        self.env["dist.exception.digest"]._cron_dist_digest()
        mail = self.env["mail.mail"].search([]) - mails_before
        self.assertEqual(len(mail), 1)
        self.assertIn(self.salesman.email, mail.email_to)
        self.assertIn(order.picking_ids.name, mail.body_html)

    def test_scanner_cron_commits_in_batches(self):
        order = self._create_order(self.customer_manual)
        cron = self.env.ref("dist_order_sync.ir_cron_dist_exception_scan")
        with (
            freeze_time(order.picking_ids.scheduled_date + timedelta(days=1)),
            self.enter_registry_test_mode(),
        ):
            cron.method_direct_trigger()
        self.env.invalidate_all()
        self.assertEqual(len(self._exceptions("late_delivery", order.picking_ids)), 1)
