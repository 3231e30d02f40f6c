# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Distribution Control: Order Sync",
    "summary": "Delivery-triggered invoicing, billing policies, exception queue "
    "and one order status",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/distribution-control/distribution-control",
    "author": "Distribution Control",
    "maintainers": ["distribution-control"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": ["dist_approval_matrix"],
    "data": [],
    "installable": True,
}
