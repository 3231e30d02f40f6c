# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Small helpers the Distribution Control addons share."""


def form_action(res_model, res_id):
    """Window action opening one record in its form view."""
    return {
        "type": "ir.actions.act_window",
        "res_model": res_model,
        "res_id": res_id,
        "view_mode": "form",
        "views": [(False, "form")],
    }
