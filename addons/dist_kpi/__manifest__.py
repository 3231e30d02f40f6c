# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Distribution Control: KPI Dashboards",
    "summary": "Control tower: OTIF, fill rate, cycle time, approval aging, invoice lag, "
    "returns and exceptions, with targets, trends and drill-down",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/distribution-control/distribution-control",
    "author": "Distribution Control",
    "maintainers": ["distribution-control"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": ["dist_returns"],
    "data": [
        "security/ir.model.access.csv",
        "security/dist_kpi_security.xml",
        "data/dist_kpi_data.xml",
        "data/ir_cron_data.xml",
        "views/dist_kpi_views.xml",
        "views/dist_kpi_value_views.xml",
        "views/dist_kpi_fulfilment_views.xml",
        "report/dist_kpi_order_report_views.xml",
        "report/dist_kpi_supplier_report_views.xml",
        "wizards/dist_kpi_backfill_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/dist_kpi_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "dist_kpi/static/src/**/*",
        ],
        "web.assets_tests": [
            "dist_kpi/static/tests/tours/*.js",
        ],
    },
    "post_init_hook": "post_init_hook",
    "installable": True,
}
