# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class DistApprovalChangeWizard(models.TransientModel):
    """Send a change of a confirmed document for approval.

    Opened from the message that refused the change: it shows what the
    change does and which rules want an approval, and holds it for the
    approvers; the document runs on unchanged meanwhile.
    """

    _name = "dist.approval.change.wizard"
    _description = "Send a Change for Approval"

    res_model = fields.Char(required=True, readonly=True)
    res_id = fields.Integer(required=True, readonly=True)
    res_name = fields.Char("Document", readonly=True)
    vals = fields.Json(required=True, readonly=True)
    note = fields.Text("Why", help="Tell the approvers why the change is needed.")
    summary = fields.Text("Change", readonly=True)
    preview_html = fields.Html("What Needs Approval", readonly=True, sanitize=False)

    @api.model
    def _dist_action(self, document, vals):
        """The window action opening this wizard for ``vals`` on ``document``."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send a Change for Approval"),
            "res_model": self._name,
            "views": [[False, "form"]],
            "target": "current",
            "context": {
                "default_res_model": document._name,
                "default_res_id": document.id,
                "default_vals": vals,
            },
        }

    def _document(self):
        return self.env[self.res_model].browse(self.res_id)

    @api.model
    def default_get(self, fields_list):
        # The change is tried (and undone) once, when the wizard opens: the
        # savepoint it needs must not run inside the form's computations.
        values = super().default_get(fields_list)
        if values.get("res_model") and values.get("res_id") and values.get("vals"):
            document = self.env[values["res_model"]].browse(values["res_id"])
            vals = values["vals"]
            __, needed, summaries = self.env["dist.approval.change"]._dist_try(
                document, lambda: document.write(vals), keep=False
            )
            rules, __ = needed.get(document, ([], {}))
            values["res_name"] = document.display_name
            values["summary"] = summaries[document]
            values["preview_html"] = self.env["ir.qweb"]._render(
                "dist_approval_matrix.facts_table",
                {"rows": [(rule.name, reason) for rule, reason in rules]},
            )
        return values

    def action_submit(self):
        self.ensure_one()
        document = self._document()
        document.action_dist_request_change(self.vals, self.note)
        action = document.get_formview_action()
        action["target"] = "main"
        return action
