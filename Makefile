# The two commands the README promises. Each sets up what it needs first.
.PHONY: run test bench

run:
	@scripts/bootstrap run
	.venv/bin/listen read articles

test:
	@scripts/bootstrap test
	.venv/bin/python -m pytest

bench:
	@scripts/bootstrap test
	for b in bench/*.py; do .venv/bin/python $$b || exit 1; done
