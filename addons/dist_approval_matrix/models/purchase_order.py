# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class PurchaseOrder(models.Model):
    _name = "purchase.order"
    _inherit = ["purchase.order", "dist.approval.mixin"]
