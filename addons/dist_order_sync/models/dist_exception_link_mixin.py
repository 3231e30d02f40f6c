# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .dist_exception import OPEN_STATES


class DistExceptionLinkMixin(models.AbstractModel):
    """A document exceptions point to: its count of open exceptions and the
    button listing them. ``_dist_exception_field`` names the exception's
    link to the document (``sale_order_id``, ``picking_id``)."""

    _name = "dist.exception.link.mixin"
    _description = "Document with Exceptions"
    _dist_exception_field = None

    dist_exception_count = fields.Integer(
        "Exceptions",
        compute="_compute_dist_exception_count",
        search="_search_dist_exception_count",
        help="Open exceptions about this document.",
    )

    def _dist_open_exception_counts(self, domain=None):
        """{document: number of open exceptions}, in one grouped query."""
        field = self._dist_exception_field
        return dict(
            self.env["dist.exception"]
            .sudo()
            ._read_group(
                [(field, "!=", False), ("state", "in", OPEN_STATES), *(domain or [])],
                [field],
                ["__count"],
            )
        )

    def _compute_dist_exception_count(self):
        counts = self._dist_open_exception_counts([(self._dist_exception_field, "in", self.ids)])
        for record in self:
            record.dist_exception_count = counts.get(record, 0)

    def _search_dist_exception_count(self, operator, value):
        tests = {
            "in": lambda count: count in value,
            "<": lambda count: count < value,
            "<=": lambda count: count <= value,
            ">": lambda count: count > value,
            ">=": lambda count: count >= value,
        }
        if operator not in tests:
            return NotImplemented
        test = tests[operator]
        counts = self._dist_open_exception_counts()
        if test(0):
            return [
                ("id", "not in", [record.id for record, count in counts.items() if not test(count)])
            ]
        return [("id", "in", [record.id for record, count in counts.items() if test(count)])]

    def action_dist_view_exceptions(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dist_order_sync.dist_exception_action"
        )
        action["domain"] = [(self._dist_exception_field, "in", self.ids)]
        action["context"] = {"search_default_filter_open": 1}
        return action
