# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Distribution Control: Approval Matrix",
    "summary": "Threshold-based approvals for sales, purchases, "
    "inventory adjustments and credit notes",
    "version": "19.0.1.1.0",
    "category": "Sales/Sales",
    "website": "https://github.com/distribution-control/distribution-control",
    "author": "Distribution Control",
    "maintainers": ["distribution-control"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": [
        "sale_management",
        "sale_margin",
        "sale_stock",
        "purchase_stock",
        "account",
    ],
    "data": [
        "security/groups.xml",
        "security/ir.model.access.csv",
        "security/dist_approval_security.xml",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        "views/dist_approval_templates.xml",
        "views/dist_approval_rule_views.xml",
        "views/dist_approval_request_views.xml",
        "views/dist_approval_delegation_views.xml",
        "views/sale_order_views.xml",
        "views/purchase_order_views.xml",
        "views/account_move_views.xml",
        "views/stock_quant_views.xml",
        "wizards/dist_approval_decision_views.xml",
        "wizards/dist_approval_simulation_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/dist_approval_rule_demo.xml",
        "demo/sale_order_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "dist_approval_matrix/static/tests/tours/*.js",
        ],
    },
    "installable": True,
    "application": True,
}
