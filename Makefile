# The two commands the README promises. Each sets up what it needs first.
.PHONY: run test test-fast gate bench

run:
	@scripts/bootstrap run
	.venv/bin/listen read articles

test:
	@scripts/bootstrap test
	.venv/bin/python -m pytest

# The fast lane, under a minute: the logic tests only. Left out: real engines, terminals and
# clusters (slow), and the whole app in Pilot, real encodes, child processes and HTTP servers
# (marked by module in tests/conftest.py). `make test` still runs everything.
test-fast:
	@scripts/bootstrap test
	.venv/bin/python -m pytest -q -m "not (slow or app or encoder or subprocess or server)" -n auto

# Lint, types and the import contracts between layers (scripts/gate), as CI runs them.
gate:
	@scripts/bootstrap test
	scripts/gate

bench:
	@scripts/bootstrap test
	for b in bench/*.py; do .venv/bin/python $$b || exit 1; done
