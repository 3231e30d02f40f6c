# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.tools import plaintext2html


class DistActivityMixin(models.AbstractModel):
    """Records that put work in people's activities, many at a time.

    ``activity_schedule`` creates the activities of one user and summary; the
    suite schedules for many records and users at once (approvers of many
    requests, owners of many exceptions): one create for all of them.
    """

    _name = "dist.activity.mixin"
    _inherit = ["mail.activity.mixin"]
    _description = "Distribution Activities"

    @api.model
    def _dist_schedule_activities(self, todo, activity_type=None, notify=False):
        """Schedule ``todo``: [(record, user, summary, note, deadline date)].

        ``note`` is plain text; ``activity_type`` defaults to a to-do; with
        ``notify`` each user is told by the usual assignment message.
        """
        todo = [entry for entry in todo if entry[1]]
        if not todo:
            return self.env["mail.activity"]
        activity_type = activity_type or self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        return (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=not notify)
            .create(
                [
                    {
                        "res_model_id": model_id,
                        "res_id": record.id,
                        "activity_type_id": activity_type.id,
                        "user_id": user.id,
                        "summary": summary,
                        "note": plaintext2html(note or ""),
                        "date_deadline": deadline,
                    }
                    for record, user, summary, note, deadline in todo
                ]
            )
        )
