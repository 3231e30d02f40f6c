# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .common import DistOrderSyncCommon


@tagged("post_install", "-at_install")
class TestQueueFirstHour(DistOrderSyncCommon):
    """The exception queue reads right and leaves nobody's work in nobody's queue."""

    def _scan(self, at):
        with freeze_time(at):
            self.env["dist.exception.scanner"]._dist_scan()

    def _late_delivery(self, picking):
        return self.env["dist.exception"].search(
            [("exception_type", "=", "late_delivery"), ("picking_id", "=", picking.id)]
        )

    def test_dates_read_in_the_company_timezone(self):
        self.company.partner_id.tz = "Europe/Brussels"
        order = self._create_order(self.customer_manual)
        picking = order.picking_ids
        picking.scheduled_date = datetime(2026, 11, 16, 8, 0)
        self._scan(datetime(2026, 11, 18, 9, 0))
        exception = self._late_delivery(picking)
        self.assertIn("Scheduled on 11/16/26, 9:00", exception.description)
        self.assertNotIn("08:00:00", exception.description)

    def test_late_delivery_without_salesperson_goes_to_the_team_leader_or_default(self):
        leader = self._dist_user("dist_team_leader", "sales_team.group_sale_manager")
        team = self.env["crm.team"].sudo().create({"name": "North", "user_id": leader.id})
        order = self._create_order(self.customer_manual, team_id=team.id)
        order.user_id = False
        late = order.picking_ids.scheduled_date + timedelta(days=2)
        self._scan(late)
        self.assertEqual(self._late_delivery(order.picking_ids).user_id, leader)

        default_owner = self._dist_user("dist_dispatcher", "stock.group_stock_user")
        self.company.dist_exception_user_id = default_owner
        lonely = self._create_order(self.customer_manual)
        lonely.write({"user_id": False, "team_id": False})
        self._scan(lonely.picking_ids.scheduled_date + timedelta(days=2))
        exception = self._late_delivery(lonely.picking_ids)
        self.assertEqual(exception.user_id, default_owner)
        self.assertEqual(exception.activity_ids.user_id, default_owner)

    def test_exceptions_by_age_group_by_age(self):
        # Ages are measured by the database when the view is read: real time.
        now = fields.Datetime.now()
        Exception = self.env["dist.exception"]
        ages = {"1": 0.5, "3": 2, "7": 5, "older": 12}
        for bucket, days in ages.items():
            order = self._create_order(self.customer_manual)
            Exception._dist_report(
                "delivery_issue",
                [
                    {
                        **order.picking_ids._dist_exception_links(),
                        "detected_on": now - timedelta(days=days),
                        "description": bucket,
                    }
                ],
            )
        self.env.flush_all()
        Report = self.env["dist.exception.age.report"].with_user(self.salesman)
        groups = dict(
            Report._read_group(
                [("exception_type", "=", "delivery_issue")], ["age_bucket"], ["__count"]
            )
        )
        self.assertEqual(groups, dict.fromkeys(ages, 1))

    def test_invoices_of_a_transfer_only_for_invoicing_users(self):
        def has_button(user):
            arch = (
                self.env["stock.picking"]
                .with_user(user)
                .get_views([(False, "form")])["views"]["form"]["arch"]
            )
            return 'name="action_dist_view_invoices"' in arch

        self.assertFalse(has_button(self.stock_user))
        self.assertTrue(has_button(self.billing_user))

    def test_deliveries_to_bill_have_their_own_list(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dist_order_sync.dist_picking_to_bill_action"
        )
        list_view = self.env.ref("dist_order_sync.dist_picking_to_bill_view_list")
        self.assertEqual(action["view_id"][0], list_view.id)
        arch = (
            self.env["stock.picking"]
            .with_user(self.billing_user)
            .get_views([(list_view.id, "list")])["views"]["list"]["arch"]
        )
        for field in ("dist_billing_state", "dist_billing_attempts", "dist_billing_error"):
            self.assertIn(f'name="{field}"', arch)
        self.assertIn('name="dist_invoice_ids"', arch)
