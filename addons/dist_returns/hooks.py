# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def post_init_hook(env):
    """Give every existing warehouse its returns location.

    New warehouses get theirs when they are created (``_get_locations_values``);
    this is Odoo's own way of adding a location to warehouses created before
    the module.
    """
    env["stock.warehouse"].with_context(active_test=False).search([])._create_missing_locations({})


# Records that credit notes, transfers and orders refer to: kept as plain
# records when the module goes (the restocking fee product, the demo data).
KEPT_MODELS = [
    "product.product",
    "product.template",
    "stock.quant",
    "sale.order",
    "sale.order.line",
    "helpdesk.ticket",
    "helpdesk.ticket.team",
    # The team's e-mail alias (created with it, under an xmlid of its own).
    "mail.alias",
]


def uninstall_hook(env):
    """Keep the records business documents refer to; Odoo would try to delete
    them with the module and fail on the moves and invoices that use them."""
    env["ir.model.data"].search(
        [("module", "=", "dist_returns"), ("model", "in", KEPT_MODELS)]
    ).unlink()
