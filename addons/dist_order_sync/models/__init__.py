from . import (
    account_move,
    account_move_line,
    dist_exception,
    dist_exception_rule,
    res_company,
    res_config_settings,
    res_partner,
    sale_order,
    stock_move,
    stock_picking,
)
