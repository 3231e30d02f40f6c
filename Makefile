# Distribution Control: developer commands (see README.md).
# Everything runs through tools/dist.py, which needs only an importable Odoo 19
# and the PostgreSQL server binaries; it starts its own throwaway cluster.
PYTHON ?= python3
ARGS ?=

.PHONY: help run test test-core test-odoo-core bench lint format readme stop clean

help:
	@echo "make run        serve the demo database on http://127.0.0.1:8069 (admin/admin)"
	@echo "make test       fresh database, all addon and suite tests, browser tours"
	@echo "make test-odoo-core  Odoo's own sale_stock and purchase_stock tests, without then with the suite"
	@echo "make bench      benchmarks (tests/benchmarks), ratios against Odoo's own path"
	@echo "make lint       ruff, ruff format --check, pylint-odoo, readme pages up to date"
	@echo "make readme     rebuild each addon's Apps page from its readme/ fragments"
	@echo "make stop       stop the make run server and the PostgreSQL clusters of this checkout"

run:
	$(PYTHON) tools/dist.py run $(ARGS)

test:
	$(PYTHON) tools/dist.py test $(ARGS)

test-core test-odoo-core:
	$(PYTHON) tools/dist.py test-core $(ARGS)

bench:
	$(PYTHON) tools/dist.py bench $(ARGS)

lint:
	$(PYTHON) -m ruff check addons tests tools conftest.py
	$(PYTHON) -m ruff format --check addons tests tools conftest.py
	$(PYTHON) -m pylint --rcfile=.pylintrc $(wildcard addons/*/)
	$(PYTHON) tools/readme.py --check

readme:
	$(PYTHON) tools/readme.py

format:
	$(PYTHON) -m ruff check --fix addons tests tools conftest.py
	$(PYTHON) -m ruff format addons tests tools conftest.py

stop:
	$(PYTHON) tools/dist.py stop

clean: stop
	rm -rf .run
