# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Distribution Control: KPI Dashboards",
    "summary": "Order cycle time, approval aging, fill rate, on-time shipment, "
    "backorders, invoice lag, returns and exceptions",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/distribution-control/distribution-control",
    "author": "Distribution Control",
    "maintainers": ["distribution-control"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["dist_returns"],
    "data": [],
    "installable": True,
}
