# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Distribution Control: Order Sync",
    "summary": "Delivery-triggered invoicing, billing policies, exception queue "
    "and one order status",
    "version": "19.0.1.2.0",
    "category": "Sales/Sales",
    "website": "https://github.com/distribution-control/distribution-control",
    "author": "Distribution Control",
    "maintainers": ["distribution-control"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": ["dist_approval_matrix"],
    "data": [
        "security/ir.model.access.csv",
        "security/dist_order_sync_security.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "data/mail_template_order_updates.xml",
        "views/dist_exception_views.xml",
        "views/dist_exception_rule_views.xml",
        "views/sale_order_views.xml",
        "views/stock_picking_views.xml",
        "views/account_move_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
        "views/sale_order_risk_views.xml",
        "views/dist_exception_risk_views.xml",
        "wizards/dist_exception_dismiss_views.xml",
        "wizards/dist_delivery_issue_views.xml",
    ],
    "demo": [
        "demo/res_partner_demo.xml",
        "demo/dist_exception_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "dist_order_sync/static/tests/tours/*.js",
        ],
    },
    "uninstall_hook": "uninstall_hook",
    "installable": True,
}
