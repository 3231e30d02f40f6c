from . import dist_approval_mixin, dist_approval_request, dist_approval_rule, sale_order
from . import purchase_order
from . import account_move
from . import stock_quant
