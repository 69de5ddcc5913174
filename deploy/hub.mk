# The classroom hub (deploy/README.md), included by the Makefile.
#   make hub        a class on this machine for a trial: JupyterHub on http://127.0.0.1:8000 with
#                   throwaway accounts (an instructor and three students), until Ctrl-C
#                   (PORT=8080 for another port, CHAPTERS="compellence assurance" for other chapters)
#   make hub-tools  what the hub needs from Debian (also a prerequisite of make test)
#   make hub-image  the students' image for Zero to JupyterHub, built by repo2docker (needs Docker)
.PHONY: hub hub-tools hub-image

# Debian's Python 3.11 with venv: the students' servers run as their own Unix users, who cannot run a
# Python installed under another user's home; useradd and chpasswd (Debian's passwd package) make
# the throwaway accounts.
hub-tools:
	@/usr/bin/python3.11 -c "import ensurepip, venv" 2>/dev/null || { $(APT) update -qq && $(APT) install -y -qq python3.11-venv >/dev/null; }
	@command -v useradd >/dev/null && command -v chpasswd >/dev/null || { $(APT) update -qq && $(APT) install -y -qq passwd >/dev/null; }

hub: setup node_modules/.installed hub-tools
	$(SUDO) $(BIN)/python deploy/trial.py $(if $(PORT),--port $(PORT)) $(foreach chapter,$(CHAPTERS),--chapter $(chapter))

# The image of deploy/kubernetes/values.yaml: binder/ as Binder builds it, plus nbgrader and the
# single-user server (deploy/kubernetes/image-appendix). IMAGE=registry.example.org/mxsec-course:1.0.0
IMAGE ?= mxsec-course:latest
hub-image: setup
	$(BIN)/repo2docker --no-run --user-name jovyan --user-id 1000 --image-name $(IMAGE) \
	  --appendix "$$(cat deploy/kubernetes/image-appendix)" .
