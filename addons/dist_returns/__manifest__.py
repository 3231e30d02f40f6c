# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Distribution Control: Returns",
    "summary": "Return authorizations from Helpdesk tickets or orders: approval, "
    "receipt, inspection, credit or replacement",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/distribution-control/distribution-control",
    "author": "Distribution Control",
    "maintainers": ["distribution-control"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["dist_order_sync", "helpdesk_mgmt"],
    "data": [],
    "installable": True,
}
