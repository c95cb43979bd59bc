#!/usr/bin/env bash
# Gradescope runs this once, as root, in /autograder/source (the unpacked
# zip), when it builds the autograder image; the network is available.
# It installs Python 3.11 if the image lacks it, bubblewrap and libseccomp (the sandbox),
# and the pinned packages of requirements.txt into a venv, torch as its CPU
# build (PyTorch's CPU wheel index; if that cannot be reached, the plain
# pinned torch from PyPI).
#
# AUTOGRADERS_SETUP_DRY_RUN=1 prints each install command instead of running
# it and checks only this script's own inputs (the tests use it).
set -euo pipefail

VENV="${AUTOGRADERS_GRADESCOPE_VENV:-/opt/nn-autograder/venv}"
TORCH_CPU_INDEX="https://download.pytorch.org/whl/cpu"
DRY_RUN="${AUTOGRADERS_SETUP_DRY_RUN:-}"
cd "$(dirname "$0")"

run() {
    echo "+ $*"
    if [ -z "$DRY_RUN" ]; then "$@"; fi
}

fail() {
    echo "setup.sh: $*" >&2
    exit 1
}

[ -f requirements.txt ] || fail "requirements.txt is missing beside setup.sh"
[ -f run_autograder ] || fail "run_autograder is missing beside setup.sh"
TORCH="$(grep -E '^torch==' requirements.txt)" || fail "requirements.txt pins no torch"

# -- system packages: bubblewrap, and Python 3.11 where the image has none
packages=(bubblewrap libseccomp2 ca-certificates)
if ! command -v python3.11 > /dev/null; then
    packages+=(python3.11 python3.11-venv)
fi
export DEBIAN_FRONTEND=noninteractive
run apt-get update
if ! run apt-get install -y --no-install-recommends "${packages[@]}"; then
    # Ubuntu releases without python3.11: the deadsnakes archive has it.
    run apt-get install -y --no-install-recommends software-properties-common
    run add-apt-repository -y ppa:deadsnakes/ppa
    run apt-get update
    run apt-get install -y --no-install-recommends "${packages[@]}"
fi

# -- the venv, torch's CPU build first, then the pinned rest
run python3.11 -m venv "$VENV"
run "$VENV/bin/python" -m pip install --quiet --upgrade pip
if ! run "$VENV/bin/python" -m pip install --quiet --timeout 30 --retries 1 "$TORCH" \
        --index-url "$TORCH_CPU_INDEX"; then
    echo "PyTorch's CPU index is unreachable: installing $TORCH from PyPI"
    run "$VENV/bin/python" -m pip install --quiet "$TORCH"
fi
run "$VENV/bin/python" -m pip install --quiet -r requirements.txt

# -- checks: the packages import, and the sandbox starts in this container
run "$VENV/bin/python" -c "import numpy, torch, matplotlib, nbformat; print('torch', torch.__version__)"
run chmod 0755 run_autograder
# The strongest sandbox tier that starts here, proven by hostile probes; none: the build
# fails, so the instructor sees it on upload instead of a class of zeros.
if ! run "$VENV/bin/python" -m autograders check-sandbox --sandbox isolated; then
    fail "no sandbox tier isolates student code in this container (neither bubblewrap nor" \
         "the namespace-free tier: Landlock and seccomp). Nothing would be graded. See the" \
         "log above and the README's 'The sandbox' (a Linux kernel 5.13+, or root, is needed)."
fi
echo "Container: Gradescope's default (768 MB, 0.5 vCPU) fits; one submission peaks at about 630 MB."
echo "setup.sh: done"
