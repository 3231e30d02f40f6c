from . import dist_kpi_order_report
from . import dist_kpi_supplier_report
