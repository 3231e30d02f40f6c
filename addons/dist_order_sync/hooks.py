# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

# Demo records that confirmed orders, purchases, transfers and invoices refer to.
DEMO_BUSINESS_MODELS = [
    "res.partner",
    "product.product",
    "product.template",
    "stock.quant",
    "sale.order",
    "sale.order.line",
    "purchase.order",
]


def uninstall_hook(env):
    """Keep the demo customers, products and orders as plain records.

    They were confirmed, delivered and invoiced like any business data;
    Odoo would try to delete them with the module and fail on the moves
    and invoices that refer to them.
    """
    env["ir.model.data"].search(
        [("module", "=", "dist_order_sync"), ("model", "in", DEMO_BUSINESS_MODELS)]
    ).unlink()
