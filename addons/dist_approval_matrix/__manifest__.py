# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Distribution Control: Approval Matrix",
    "summary": "Threshold-based approvals for sales, purchases, "
    "inventory adjustments and credit notes",
    "version": "19.0.1.0.0",
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
        "views/menus.xml",
        "views/dist_approval_rule_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "dist_approval_matrix/static/tests/tours/*.js",
        ],
    },
    "installable": True,
    "application": True,
}
