from . import dist_approval_decision, dist_approval_simulation
