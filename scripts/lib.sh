# Shared helpers for Reelmark's scripts. Source it; do not run it.

log() { echo "[reelmark] $*" >&2; }

# apt_install PKG...: installs Debian packages that are missing (root + apt-get only), updating the index once.
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    log "missing packages ${missing[*]} and no apt-get here: install them with your package manager"; return 1
  fi
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  log "installing ${missing[*]} with apt-get"
  if [ -z "${RM_APT_UPDATED:-}" ]; then $sudo apt-get update -qq >&2 && RM_APT_UPDATED=1; fi
  # shellcheck disable=SC2086 # RM_APT_OPTS holds zero or more options
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq ${RM_APT_OPTS:-} "${missing[@]}" >&2
}

# The bundled ffmpeg (Maven Central) links libpulse.so.0; Debian images without audio libraries lack it.
# Needed whenever the bundled build is used: REELMARK_FFMPEG=bundled, or no other ffmpeg configured or on PATH.
ensure_media_runtime() {
  local chosen="${REELMARK_FFMPEG:-}"
  if [ "${chosen,,}" != "bundled" ]; then
    if [ -n "$chosen" ] || command -v ffmpeg >/dev/null 2>&1; then return 0; fi
  fi
  ldconfig -p 2>/dev/null | grep -q 'libpulse\.so\.0' && return 0
  apt_install libpulse0
}

# Debian's own ffmpeg (5.1 on Debian 12, the oldest Reelmark supports) on PATH, for the second media test pass.
ensure_debian_ffmpeg() {
  command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 && return 0
  # Without recommends: 77 packages, about 55 MB on Debian 12.
  RM_APT_OPTS=--no-install-recommends apt_install ffmpeg
}

# PostgreSQL for the test suite: start it if installed and stopped, install it if absent, then wait until ready.
ensure_postgres() {
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then return 0; fi
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    apt_install postgresql postgresql-client
  fi
  local version
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$version" ]; then log "PostgreSQL is not installed and could not be installed"; return 1; fi
  if ! pg_lsclusters -h 2>/dev/null | grep -q " main "; then
    log "creating PostgreSQL cluster $version/main"
    pg_createcluster "$version" main >&2
  fi
  # Tests connect over TCP as user postgres without a password (trust), as on the project's machines.
  local hba="/etc/postgresql/$version/main/pg_hba.conf"
  if [ -w "$hba" ] && ! grep -qE '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$hba"; then
    log "allowing trust auth on 127.0.0.1 in $hba"
    sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
  fi
  log "starting PostgreSQL $version/main"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && return 0
    sleep 1
  done
  log "PostgreSQL did not become ready on 127.0.0.1:5432"; return 1
}

# Independent readers written in Python (Hugging Face datasets with pyarrow, mutagen, PyAV), in a virtual environment
# of the project's own. Machines of this kind serve PyPI from a local index (see pip config); elsewhere pip uses PyPI.
# Prints the venv's python. Fails, never skips, when the packages cannot be installed.
ensure_python_consumers() {
  local venv="$here/.venv-consumers"
  local py="$venv/bin/python"
  local pkgs=(datasets pyarrow mutagen av pillow)
  if [ -x "$py" ] && "$py" -c "import datasets, pyarrow, mutagen, av, PIL" 2>/dev/null; then echo "$py"; return 0; fi
  command -v python3 >/dev/null || apt_install python3
  python3 -m venv "$venv" 2>/dev/null || { apt_install python3-venv && python3 -m venv "$venv"; }
  local idx=()
  # A local index answers at once; asking PyPI first on a closed network means minutes of retries.
  if [ -d /opt/pypi/simple ]; then
    idx=(--index-url file:///opt/pypi/simple)
    [ -d /opt/pypi-more/simple ] && idx+=(--extra-index-url file:///opt/pypi-more/simple)
  fi
  log "installing ${pkgs[*]} into $venv"
  # pip warns once per package that the second local index lacks it; keep the rest of what it says.
  "$venv/bin/pip" install -q "${idx[@]}" "${pkgs[@]}" 2>&1 | { grep -v "is ignored: it is neither" || true; } >&2
  "$py" -c "import datasets, pyarrow, mutagen, av, PIL" >&2
  echo "$py"
}
