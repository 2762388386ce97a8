# Shell helpers shared by the test scripts (sourced, not run). Each script defines `say` before sourcing this.

# install_venv VENV REQUIREMENTS: makes (or reuses) a Python venv at VENV with the pinned REQUIREMENTS; reinstalls
# only when the requirements file changes. Installs Debian's python3-venv when the venv module is missing.
install_venv() {
    local venv=$1 requirements=$2 stamp wanted
    stamp=$venv/.requirements.sha256
    wanted=$(sha256sum "$requirements" | cut -d' ' -f1)
    if [[ -x $venv/bin/python && -f $stamp && $(cat "$stamp") == "$wanted" ]]; then
        return
    fi
    rm -rf "$venv"
    mkdir -p "$(dirname "$venv")"
    if ! python3 -m venv "$venv" >/dev/null 2>&1; then
        say "python3 -m venv failed; installing python3-venv"
        rm -rf "$venv"
        apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
        python3 -m venv "$venv"
    fi
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
    echo "$wanted" >"$stamp"
}

# stop_processes PID…: sends each running process TERM, gives it 5 s, then KILL, and reaps it. Empty PIDs are skipped.
stop_processes() {
    local pid
    for pid in "$@"; do
        [[ -n $pid ]] || continue
        kill -0 "$pid" 2>/dev/null || continue
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
}
