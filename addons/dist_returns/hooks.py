# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def post_init_hook(env):
    """Give every existing warehouse its returns location.

    New warehouses get theirs when they are created (``_get_locations_values``);
    this is Odoo's own way of adding a location to warehouses created before
    the module.
    """
    env["stock.warehouse"].with_context(active_test=False).search([])._create_missing_locations(
        {}
    )


def uninstall_hook(env):
    """Keep the restocking fee product: credit notes refer to it."""
    env["ir.model.data"].search(
        [("module", "=", "dist_returns"), ("model", "in", ("product.product", "product.template"))]
    ).unlink()
