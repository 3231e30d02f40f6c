# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    dist_return_location_id = fields.Many2one(
        "stock.location",
        "Returns Location",
        check_company=True,
        domain="[('usage', '=', 'internal'), ('warehouse_id', '=', id)]",
        help="Where customer returns arrive and wait for inspection before they are "
        "restocked, scrapped or sent back to the vendor.",
    )

    def _get_locations_values(self, vals, code=False):
        values = super()._get_locations_values(vals, code=code)
        code = (vals.get("code") or code or "").replace(" ", "").upper()
        company_id = vals.get("company_id", self.default_get(["company_id"])["company_id"])
        values["dist_return_location_id"] = {
            "name": self.env._("Returns"),
            "active": True,
            "usage": "internal",
            "barcode": self._valid_barcode(code + "RETURNS", company_id),
        }
        return values

    def _dist_returns_location(self):
        """The returns location, created if it was deleted."""
        self.ensure_one()
        if not self.dist_return_location_id:
            self.sudo()._create_missing_locations({})
        return self.dist_return_location_id
