# `make run` and `make test` work on a fresh machine (README).
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app run
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install translations db run test bench clean

$(VENV)/.installed: requirements.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

install: $(VENV)/.installed

translations: install
	$(PY) scripts/build_translations.py

db: install translations
	$(FLASK) db upgrade
	$(FLASK) roles sync
	$(FLASK) agencies seed

# Links in mails point where `make run` serves, unless PUBLIC_URL is given.
run: export PUBLIC_URL ?= http://$(HOST):$(PORT)
run: db
	$(FLASK) demo seed
	@echo
	@echo "  Theo dõi nhiệm vụ: http://$(HOST):$(PORT)/   (demo logins above, password Demo@2026)"
	@echo
	$(FLASK) serve --host $(HOST) --port $(PORT)

test: translations
	$(PY) -m pytest -q $(PYTEST_ARGS)

bench: db
	$(PY) -m scripts.bench $(BENCH_ARGS)

clean:
	rm -rf instance translations/vi
