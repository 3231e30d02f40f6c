from . import dist_delivery_issue, dist_exception_dismiss
