# Two commands do all set-up on a fresh machine with Python 3.11, pip and make:
#   make run    serve the web app on http://127.0.0.1:7860 with the bundled demo mentors
#   make test   run the whole test suite (installs Chromium from Debian if it is missing)
# .ci/run also installs PostgreSQL and runs the requests tests against it.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test test-fast chromium postgres eval bench load demo-vectors lint clean

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "make: $(PYTHON) not found; install Python 3.11 or run make PYTHON=python3"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# torch is pinned to the CPU build first: unpinned, pip would pull a multi-GB CUDA build.
$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e ".[dev]"
	@# The model's ONNX graph, exported once (10-30 s) from the packaged weights into the
	@# user's cache: the model then runs on ONNX Runtime (the same vectors, 2-3x faster ingest,
	@# no torch import at start). If the export fails, torch encodes, as before.
	-HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 $(PY) -m finder.search.onnx_graph
	@touch $(STAMP)

run: $(STAMP)
	GRADIO_ANALYTICS_ENABLED=False $(PY) app.py

chromium:
	@test -x /usr/bin/chromium || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-dejavu-core; }

# The requests tests also run against a real PostgreSQL when MENTOR_FINDER_TEST_PG_URL is set;
# .ci/run installs Debian's package here and starts a throwaway cluster with .ci/postgres.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  echo "installing Debian's postgresql for the requests tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql; }

test: $(STAMP) chromium
	$(PY) -m pytest

# Both cores: each worker loads the model, Gradio and lingua once, then takes its share.
test-fast: $(STAMP)
	$(PY) -m pytest -n auto -m "not browser and not slow and not server"

# Report halves only: ranking is tuned on the tune halves (qrels/tune.tsv), never on these.
eval: $(STAMP)
	$(PY) -m eval retrieval --dataset eval/datasets/esco-occupations --split dev --json eval/results/esco_dev.json --plot eval/results/esco_dev.png --misses eval/results/esco_dev_misses.jsonl
	$(PY) -m eval retrieval --dataset eval/datasets/esco-occupations --split report --json eval/results/esco_report.json
	$(PY) -m eval retrieval --dataset eval/datasets/goals --split report --json eval/results/goals_report.json --plot eval/results/goals_report.png --misses eval/results/goals_report_misses.jsonl
	$(PY) -m eval retrieval --dataset eval/datasets/coding-coach-goals --split report --json eval/results/coding_coach_report.json --plot eval/results/coding_coach_report.png --misses eval/results/coding_coach_report_misses.jsonl
	$(PY) -m eval retrieval --dataset eval/datasets/problem-asks --split report --json eval/results/problem_asks_report.json --plot eval/results/problem_asks_report.png --misses eval/results/problem_asks_report_misses.jsonl
	# The dialogue sets now check meaning too (issue 7); they exit non-zero until the
	# understanding rewrite lands, so make goes on past them.
	-$(PY) -m eval dialogue --json eval/results/dialogue.json
	-$(PY) -m eval dialogue --dataset eval/datasets/dialogues_mentee.jsonl --split report --json eval/results/dialogue_mentee_report.json
	-$(PY) -m eval messages --split report --json eval/results/messages.json
	$(PY) -m eval chat --dataset eval/datasets/goals --dataset eval/datasets/coding-coach-goals --dataset eval/datasets/problem-asks

bench: $(STAMP)
	$(PY) -m eval bench --sizes 3300,33000,100000 --json eval/results/bench.json

# Re-encode the demo mentors' shipped vectors (after changing the demo data, the model or what
# gets embedded); stale ones are never used, only slower.
demo-vectors: $(STAMP)
	HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 $(PY) -m finder.search.demo --out data/demo_vectors.npz

lint: $(STAMP)
	$(VENV)/bin/ruff check finder ingest eval app.py tests

clean:
	rm -rf $(VENV) .pytest_cache
