# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from ast import literal_eval

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import DistOrderRiskCommon


@tagged("post_install", "-at_install")
class TestOrderRisk(DistOrderRiskCommon):
    """Each factor alone, then together, on 1 Dec 2025 in Brussels."""

    def _risk(self, order):
        order.invalidate_recordset()
        return order.dist_risk_score, order.dist_risk_level, order.dist_risk_reasons or ""

    # ------------------------------------------------------------------
    # Cover of the lines
    # ------------------------------------------------------------------
    def test_reserved_is_no_risk(self):
        order = self._order_for([(self.product, 5.0)], promise_days=4)
        self._scan()
        score, level, reasons = self._risk(order)
        self.assertEqual((score, level, reasons), (0, "none", ""))
        self.assertEqual(order.dist_promise_date, fields.Date.to_date("2025-12-05"))
        # Reserved: it can leave today.
        self.assertEqual(order.dist_estimated_ship_date, fields.Date.to_date("2025-12-01"))
        self.assertFalse(self._open_exceptions("at_risk", order))

    def test_receipt_from_a_punctual_supplier_is_low(self):
        self._history(self.acme, [0, 0, -1, 0, 0])
        order = self._order_for([(self.gearbox, 7.0)], promise_days=10)
        purchase = self._purchase(self.acme, [(self.gearbox, 10.0)], self._at(days=7))
        self._scan()
        __, level, reasons = self._risk(order)
        self.assertEqual(level, "low")
        self.assertEqual(
            reasons.splitlines()[0],
            f"Gearbox G7: 7 short; next receipt {purchase.name} planned 8 Dec from Acme "
            "(on time 100 % of the time) — 3 day(s) before the promise.",
        )
        self.assertIn("Estimated ship date: 8 Dec, 3 day(s) before the promise (11 Dec).", reasons)
        self.assertEqual(order.dist_estimated_ship_date, fields.Date.to_date("2025-12-08"))
        self.assertFalse(self._open_exceptions("at_risk", order))

    def test_receipt_from_a_chronically_late_supplier_is_high(self):
        self._history(self.slowco, [5, 6, 7, 0, 8])
        order = self._order_for([(self.pump, 3.0)], promise_days=10)
        purchase = self._purchase(self.slowco, [(self.pump, 3.0)], self._at(days=9))
        self._scan()
        __, level, reasons = self._risk(order)
        self.assertEqual(level, "high")
        self.assertIn(
            f"Pump P2: 3 short; next receipt {purchase.name} planned 10 Dec from Slowco "
            "(on time 20 % of the time, 6 day(s) late on average) — 1 day(s) before the promise.",
            reasons,
        )
        # The supplier is expected late: the estimate is after the promise.
        self.assertGreater(order.dist_estimated_ship_date, order.dist_promise_date)

        # The same receipt from a punctual supplier is a low risk.
        self._history(self.acme, [0, 0, 0, 0, 0])
        purchase.button_cancel()
        self._purchase(self.acme, [(self.pump, 3.0)], self._at(days=9))
        self._scan()
        self.assertEqual(self._risk(order)[1], "low")

    def test_no_cover_is_high_with_the_vendor_lead_time(self):
        order = self._order_for([(self.gearbox, 7.0)], promise_days=5)
        self._scan()
        score, level, reasons = self._risk(order)
        self.assertEqual((score, level), (100, "high"))
        self.assertIn(
            "Gearbox G7: 7 short, no receipt planned; ordered now from Acme it would arrive "
            "in 10 day(s).",
            reasons,
        )
        self.assertEqual(order.dist_estimated_ship_date, fields.Date.to_date("2025-12-11"))
        self.assertIn("Estimated ship date: 11 Dec, 5 day(s) after the promise (6 Dec).", reasons)

    def test_receipt_after_the_promise(self):
        self._history(self.acme, [0, 0, 4, 8, 0])
        order = self._order_for([(self.gearbox, 7.0)], promise_days=6)
        purchase = self._purchase(self.acme, [(self.gearbox, 7.0)], self._at(days=11))
        self._scan()
        __, level, reasons = self._risk(order)
        self.assertEqual(level, "high")
        self.assertIn(
            f"Gearbox G7: 7 short; next receipt {purchase.name} planned 12 Dec from Acme "
            "(on time 60 % of the time, 6 day(s) late on average) — 5 day(s) after the promise.",
            reasons,
        )

    def test_overdue_receipt(self):
        order = self._order_for([(self.gearbox, 2.0)], promise_days=2)
        purchase = self._purchase(self.acme, [(self.gearbox, 2.0)], self._at(days=-2))
        self._scan()
        __, level, reasons = self._risk(order)
        self.assertEqual(level, "high")
        self.assertIn(
            f"Gearbox G7: 2 short; receipt {purchase.name} from Acme was planned 29 Nov and "
            "has not arrived (no past receipt to judge by).",
            reasons,
        )

    def test_days_are_those_of_the_company(self):
        """Planned 11 Dec 23:30 UTC is 12 Dec in Brussels."""
        order = self._order_for([(self.gearbox, 1.0)], promise_days=20)
        self._purchase(self.acme, [(self.gearbox, 1.0)], self._at(days=10, hours=14, minutes=30))
        self._scan()
        self.assertIn("planned 12 Dec from Acme", self._risk(order)[2])

    # ------------------------------------------------------------------
    # Warehouse, approval, credit
    # ------------------------------------------------------------------
    def _shipping_history(self, shipped, ahead):
        """The warehouse shipped ``shipped`` deliveries over the last two weeks;
        ``ahead`` deliveries are ready to leave, scheduled before ``NOW``."""
        with freeze_time(self._at(days=-7)):
            for __ in range(shipped):
                order = self._create_order(self.customer_manual, [(self.product_b, 1.0)])
                self._deliver(order.picking_ids, bill=False)
        with freeze_time(self._at(days=-1)):
            for __ in range(ahead):
                self._create_order(self.customer_manual, [(self.product_b, 1.0)])

    def test_backlog_beyond_capacity(self):
        self._shipping_history(shipped=14, ahead=10)
        soon = self._order_for([(self.product, 1.0)], promise_days=3)
        later = self._order_for([(self.product, 1.0)], promise_days=30)
        self._scan()
        __, level, reasons = self._risk(soon)
        self.assertEqual(level, "high")
        self.assertIn(
            f"Warehouse {self.warehouse.name}: 10 transfers are ready to leave ahead of this "
            "order and it shipped 1 a day lately: about 10 day(s) of work.",
            reasons,
        )
        self.assertEqual(soon.dist_estimated_ship_date, fields.Date.to_date("2025-12-11"))
        self.assertEqual(self._risk(later)[:2], (0, "none"))

    def _held_order(self, rule, discount=0.0):
        """An order promised in 5 days that the salesman confirms at ``NOW``,
        held by an approval rule of values ``rule``."""
        self.env["dist.approval.rule"].sudo().create(
            {
                "name": "Held",
                "document_type": "sale",
                "level": 1,
                "company_id": self.company.id,
                "approver_group_id": self.env.ref("sales_team.group_sale_manager").id,
                **rule,
            }
        )
        with freeze_time(self.NOW):
            order = self._quotation([(self.product, 1)], discount=discount)
            order.action_confirm()
        self.assertEqual(order.approval_state, "pending")
        return order

    def test_pending_approval(self):
        order = self._held_order(
            {"check_discount": True, "discount_above": 10, "sla_hours": 48}, discount=20
        )
        self._scan(self._at(hours=2))
        score, level, reasons = self._risk(order)
        self.assertEqual((score, level), (30, "medium"))
        self.assertIn(
            "Awaiting approval since 1 Dec (due 3 Dec): it cannot ship before it is approved.",
            reasons,
        )
        # Due after the promise: high.
        order.sudo().commitment_date = self._at(days=1)
        self._scan(self._at(hours=2))
        self.assertEqual(self._risk(order)[1], "high")

    def _over_credit_limit(self, partner):
        self.company.account_use_credit_limit = True
        partner.credit_limit = 100.0
        with freeze_time(self._at(days=-30)):
            invoice = self.init_invoice("out_invoice", partner=partner, amounts=[500.0], post=True)
        return invoice

    def test_credit_hold(self):
        self._over_credit_limit(self.customer_manual)
        order = self._order_for([(self.product, 1.0)], promise_days=5)
        self._scan()
        score, level, reasons = self._risk(order)
        self.assertEqual((score, level), (35, "medium"))
        self.assertIn("Fabrikam is over its credit limit (", reasons)
        self.assertIn("its deliveries may be held.", reasons)

    def test_factors_combine(self):
        """Approval pending (30 %) and credit hold (35 %): each alone is medium,
        together 1 - 0.7 x 0.65 = 54.5 %, high."""
        self._over_credit_limit(self.customer_manual)
        order = self._held_order({"apply_always": True, "sla_hours": 24})
        self._scan()
        score, level, reasons = self._risk(order)
        self.assertEqual(score, round(100 * (1 - 0.7 * 0.65)))
        self.assertEqual(level, "high")
        self.assertIn("Awaiting approval", reasons)
        self.assertIn("over its credit limit", reasons)
        exception = self._open_exceptions("at_risk", order)
        self.assertEqual(exception.user_id, self.salesman)

    # ------------------------------------------------------------------
    # The exception, the thresholds, the scan
    # ------------------------------------------------------------------
    def test_high_risk_opens_an_exception_until_the_risk_is_gone(self):
        order = self._order_for([(self.gearbox, 7.0)], promise_days=5)
        self._scan()
        exception = self._open_exceptions("at_risk", order)
        self.assertEqual(len(exception), 1)
        self.assertEqual(exception.user_id, self.salesman)
        self.assertEqual(exception.activity_ids.user_id, self.salesman)
        self.assertEqual(exception.severity, "high")
        self.assertEqual(exception.description, order.dist_risk_reasons)
        self.assertEqual(exception.name, f"Order at Risk: {order.name}")

        # A receipt planned in time from a punctual supplier: the facts follow.
        self._history(self.acme, [0, 0, 0])
        purchase = self._purchase(self.acme, [(self.gearbox, 7.0)], self._at(days=8))
        self._scan()
        self.assertEqual(self._risk(order)[1], "high")
        self.assertIn(purchase.name, exception.description)
        purchase.picking_ids.scheduled_date = self._at(days=2)
        self._scan()
        self.assertEqual(self._risk(order)[1], "low")
        self.assertEqual(exception.state, "resolved")
        self.assertFalse(exception.activity_ids)

    def test_shipped_orders_leave_the_list(self):
        order = self._order_for([(self.product, 1.0)], promise_days=1)
        self._scan()
        self.assertEqual(order.dist_risk_level, "none")
        self._deliver(order.picking_ids, bill=False)
        self._scan()
        order.invalidate_recordset()
        self.assertFalse(order.dist_risk_level)
        self.assertEqual(order.dist_promise_date, fields.Date.to_date("2025-12-02"))

    def test_promise_past_is_high_but_late_deliveries_take_over(self):
        order = self._order_for([(self.product, 1.0)], promise_days=1)
        self._scan(self._at(days=3))
        score, level, reasons = self._risk(order)
        self.assertEqual((score, level), (100, "high"))
        self.assertIn("The promise (2 Dec) has passed and the order has not shipped.", reasons)
        self.assertFalse(self._open_exceptions("at_risk", order))

    def test_thresholds_per_company(self):
        self._history(self.slowco, [5, 6, 7, 0, 8])
        order = self._order_for([(self.pump, 3.0)], promise_days=10)
        self._purchase(self.slowco, [(self.pump, 3.0)], self._at(days=9))
        self.company.dist_risk_high = 90
        self._scan()
        self.assertEqual(self._risk(order)[1], "medium")
        with self.assertRaises(ValidationError):
            self.company.dist_risk_medium = 95
        with self.assertRaises(ValidationError):
            self.company.dist_risk_low = 0

    def test_stock_arriving_lowers_the_risk(self):
        order = self._order_for([(self.gearbox, 7.0)], promise_days=5)
        self._scan()
        self.assertEqual(len(self._open_exceptions("at_risk", order)), 1)
        self.env["stock.quant"]._update_available_quantity(
            self.gearbox, self.warehouse.lot_stock_id, 7.0
        )
        order.picking_ids.action_assign()
        self._scan(self._at(hours=3))
        self.assertEqual(self._risk(order)[:2], (0, "none"))
        self.assertFalse(self._open_exceptions("at_risk", order))

    def test_fields_are_the_scans(self):
        order = self._order_for([(self.product, 1.0)], promise_days=3)
        for field, value in (
            ("dist_risk_score", 3),
            ("dist_risk_level", "low"),
            ("dist_risk_reasons", "x"),
            ("dist_promise_date", "2025-01-01"),
            ("dist_estimated_ship_date", "2025-01-01"),
        ):
            with self.assertRaises(UserError):
                order.with_user(self.salesman).write({field: value})
        self.assertEqual(order.with_user(self.salesman).dist_risk_level, False)

    def test_roles_read_the_orders_at_risk(self):
        order = self._order_for([(self.gearbox, 7.0)], promise_days=5)
        self._scan()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dist_order_sync.dist_sale_order_risk_action"
        )
        for user in (self.salesman, self.stock_user):
            found = self.env["sale.order"].with_user(user).search(literal_eval(action["domain"]))
            self.assertIn(order, found, user.login)
            self.assertEqual(order.with_user(user).dist_risk_level, "high")

    def test_companies_keep_their_own_records_and_thresholds(self):
        other = self.setup_other_company(name="Distribution South")["company"]
        other.partner_id.tz = "Europe/Brussels"
        other.dist_risk_high = 90
        buyer = self._dist_user("dist_buyer", "purchase.group_purchase_user", other)
        stock_user = self._dist_user("dist_stock_user", "stock.group_stock_user", other)
        salesman = self._dist_user("dist_salesman", "sales_team.group_sale_salesman", other)
        # Slowco is always late in the other company only.
        self._history(self.slowco, [6, 7, 8, 9, 6], buyer=buyer, stock_user=stock_user)
        order = self._order_for([(self.pump, 3.0)], promise_days=10)
        self._purchase(self.slowco, [(self.pump, 3.0)], self._at(days=9))
        self._scan()
        __, level, reasons = self._risk(order)
        self.assertEqual(level, "low")
        self.assertIn("(no past receipt to judge by)", reasons)

        # The other company's order: its own record, its own thresholds.
        with freeze_time(self.NOW):
            other_order = self._create_order(
                self.customer_manual,
                [(self.pump, 3.0)],
                user=salesman,
                commitment_date=self._at(days=10),
            )
        self._purchase(self.slowco, [(self.pump, 3.0)], self._at(days=9), user=buyer)
        self._scan()
        score, level, reasons = self._risk(other_order)
        self.assertIn("on time 0 % of the time, 7 day(s) late on average", reasons)
        # High by this company's thresholds (50), medium by the other's (90).
        self.assertGreaterEqual(score, 50)
        self.assertEqual(level, "medium")
        self.assertFalse(self._open_exceptions("at_risk", other_order))
        # Each salesman sees the orders at risk of their company only.
        Order = self.env["sale.order"]
        self.assertFalse(Order.with_user(salesman).search([("id", "=", order.id)]))
        self.assertEqual(
            Order.with_user(salesman).search([("dist_risk_level", "=", "medium")]), other_order
        )
