# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import TransactionCase, new_test_user

DISABLED_MAIL_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "no_reset_password": True,
}


class ApprovalMatrixCase(TransactionCase):
    """Users per role, products, customers and helpers to build rules and orders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.company = cls.env.company
        cls.company.account_use_credit_limit = False
        cls.currency = cls.company.currency_id
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        user = "base.group_user"
        cls.salesman = new_test_user(
            cls.env, "dist_salesman", groups=f"{user},sales_team.group_sale_salesman"
        )
        cls.salesman2 = new_test_user(
            cls.env, "dist_salesman2", groups=f"{user},sales_team.group_sale_salesman"
        )
        cls.sales_manager = new_test_user(
            cls.env, "dist_sales_manager", groups=f"{user},sales_team.group_sale_manager"
        )
        cls.sales_manager2 = new_test_user(
            cls.env, "dist_sales_manager2", groups=f"{user},sales_team.group_sale_manager"
        )
        cls.finance = new_test_user(
            cls.env, "dist_finance", groups=f"{user},account.group_account_manager"
        )
        cls.dist_manager = new_test_user(
            cls.env,
            "dist_manager",
            groups=f"{user},dist_approval_matrix.group_dist_manager,sales_team.group_sale_manager",
        )
        cls.buyer = new_test_user(
            cls.env, "dist_buyer", groups=f"{user},purchase.group_purchase_user"
        )
        cls.purchase_manager = new_test_user(
            cls.env, "dist_purchase_manager", groups=f"{user},purchase.group_purchase_manager"
        )
        cls.stock_user = new_test_user(
            cls.env, "dist_stock_user", groups=f"{user},stock.group_stock_user"
        )
        cls.stock_manager = new_test_user(
            cls.env, "dist_stock_manager", groups=f"{user},stock.group_stock_manager"
        )
        cls.invoicing_user = new_test_user(
            cls.env, "dist_invoicing", groups=f"{user},account.group_account_invoice"
        )

        cls.categ_root = cls.env["product.category"].create({"name": "Dist Goods"})
        cls.categ_fragile = cls.env["product.category"].create(
            {"name": "Fragile", "parent_id": cls.categ_root.id}
        )
        cls.categ_other = cls.env["product.category"].create({"name": "Dist Other"})
        cls.product = cls.env["product.product"].create(
            {
                "name": "Pallet of Widgets",
                "type": "consu",
                "is_storable": True,
                "list_price": 100.0,
                "standard_price": 60.0,
                "categ_id": cls.categ_fragile.id,
            }
        )
        cls.product_other = cls.env["product.product"].create(
            {
                "name": "Box of Gadgets",
                "type": "consu",
                "is_storable": True,
                "list_price": 50.0,
                "standard_price": 20.0,
                "categ_id": cls.categ_other.id,
            }
        )
        cls.tag_contract = cls.env["res.partner.category"].create({"name": "Contract"})
        cls.tag_contract_gold = cls.env["res.partner.category"].create(
            {"name": "Gold", "parent_id": cls.tag_contract.id}
        )
        cls.customer = cls.env["res.partner"].create({"name": "Dist Customer"})
        cls.contract_customer = cls.env["res.partner"].create(
            {"name": "Contract Customer", "category_id": [Command.set(cls.tag_contract_gold.ids)]}
        )
        cls.vendor = cls.env["res.partner"].create({"name": "Dist Vendor"})
        cls.team = cls.env["crm.team"].create({"name": "Wholesale Team"})

    # ------------------------------------------------------------------
    @classmethod
    def make_rule(cls, **vals):
        values = {
            "name": "Rule",
            "document_type": "sale",
            "level": 1,
            "company_id": cls.company.id,
            "approver_group_id": cls.env.ref("sales_team.group_sale_manager").id,
        }
        values.update(vals)
        return cls.env["dist.approval.rule"].create(values)

    @classmethod
    def make_order(cls, user=None, partner=None, lines=None, **vals):
        """A quotation created by ``user`` (the salesman by default)."""
        user = user or cls.salesman
        lines = lines or [{"product_id": cls.product.id, "product_uom_qty": 10.0}]
        values = {
            "partner_id": (partner or cls.customer).id,
            "user_id": user.id,
            "order_line": [Command.create(line) for line in lines],
        }
        values.update(vals)
        return cls.env["sale.order"].with_user(user).create(values).with_user(user)

    @classmethod
    def make_po(cls, qty=10.0, price=100.0, user=None):
        """A purchase order created by ``user`` (the buyer by default)."""
        user = user or cls.buyer
        return (
            cls.env["purchase.order"]
            .with_user(user)
            .create(
                {
                    "partner_id": cls.vendor.id,
                    "user_id": user.id,
                    "order_line": [
                        Command.create(
                            {"product_id": cls.product.id, "product_qty": qty, "price_unit": price}
                        )
                    ],
                }
            )
        )

    @staticmethod
    def current_requests(record):
        return record.approval_request_ids.filtered("is_current").sorted("level")
