from . import models, report, wizards
from .hooks import uninstall_hook
