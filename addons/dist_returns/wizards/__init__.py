from . import stock_return_picking
from . import dist_return_create
from . import dist_return_close
from . import dist_approval_simulation
