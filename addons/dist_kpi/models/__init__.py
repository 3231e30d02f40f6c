from . import dist_kpi
from . import dist_kpi_value
from . import dist_kpi_fulfilment
from . import account_move
from . import sale_order
from . import sale_order_line
from . import stock_move
from . import dist_kpi_demo
