# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class DistApprovalLineMixin(models.AbstractModel):
    """Lines of a document held by the matrix: changing them rechecks its facts."""

    _name = "dist.approval.line.mixin"
    _description = "Approval Matrix Document Line"
    _dist_approval_document_field = None
    _dist_approval_line_watched_fields = frozenset()

    def _dist_approval_documents(self):
        return self.mapped(self._dist_approval_document_field)

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._dist_approval_documents()._dist_approval_recheck()
        return lines

    def write(self, vals):
        res = super().write(vals)
        if self._dist_approval_line_watched_fields & set(vals):
            self._dist_approval_documents()._dist_approval_recheck()
        return res

    def unlink(self):
        documents = self._dist_approval_documents()
        res = super().unlink()
        documents.exists()._dist_approval_recheck()
        return res
