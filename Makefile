# Two commands on a fresh machine:  make run  |  make test
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
ARTIFACTS ?= test-artifacts

.PHONY: run test seed test-fast browser-deps bench bench-quick clean deploy-local deploy-stop backup

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

## make run: install, create and seed data/guangwu.db on first start, serve on :8501 (headless)
run: $(VENV)/.runtime
	$(PY) -m lib.seed --if-empty
	@echo "看板地址：http://localhost:$(PORT)（本机）；局域网内用本机的地址与端口 $(PORT) 访问"
	$(PY) -m streamlit run serve.py --server.port $(PORT) --server.headless true

## make deploy-local REPLICAS=2: nginx (installed when missing, as root) + N replicas on DATABASE_URL; prints the URL
REPLICAS ?= 2
DEPLOY_PORT ?= 8080
DEPLOY_RUN ?= deploy/run
deploy-local: $(VENV)/.runtime
	$(PY) -m deploy.local up --replicas $(REPLICAS) --port $(DEPLOY_PORT) --run-dir $(DEPLOY_RUN)

## make deploy-stop: stop exactly what deploy-local started (PIDs in $(DEPLOY_RUN)/state.json)
deploy-stop:
	$(PY) -m deploy.local down --run-dir $(DEPLOY_RUN)

backup: $(VENV)/.runtime
	$(PY) -m lib.backup

seed: $(VENV)/.runtime
	$(PY) -m lib.seed

## Debian's Chromium and CJK fonts for the browser tests (installed when missing and we are root)
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list :lang=zh 2>/dev/null | grep -q .; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk; \
	  else echo "提示：缺少 /usr/bin/chromium 或中文字体，且非 root，浏览器测试将跳过"; fi; \
	fi

## make test: everything the tests need, then the whole suite
test: $(VENV)/.dev browser-deps
	mkdir -p $(ARTIFACTS)
	$(PY) -m pytest

test-fast: $(VENV)/.dev
	$(PY) -m pytest -m "not browser"

bench: $(VENV)/.dev browser-deps
	$(PY) -m bench.run

bench-quick: $(VENV)/.dev browser-deps
	$(PY) -m bench.run --quick

clean:
	rm -rf $(VENV) $(ARTIFACTS) .pytest_cache
