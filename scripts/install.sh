#!/usr/bin/env bash
# Installs Saker as a service: the binary, the systemd unit, the configuration, the default
# rules on disk and the logrotate snippet, where packaging/saker.service expects them.
#
#   sudo scripts/install.sh                   build (cargo build --release --locked), install
#   sudo scripts/install.sh --binary PATH     install this binary instead of building one
#   scripts/install.sh --destdir DIR          stage everything under DIR (packaging, tests)
#   sudo scripts/install.sh --uninstall       remove it (configuration and your rules stay)
#
# What goes where (under DIR with --destdir):
#   /usr/bin/saker
#   /etc/systemd/system/saker.service      then: systemctl daemon-reload; systemctl enable --now saker
#   /etc/saker/saker.yaml                  configuration; an existing one is kept and the new
#                                          one written beside it as saker.yaml.new
#   /etc/saker/saker_rules.yaml            the default rules, as built into this version of the
#   /etc/saker/saker_k8s_audit_rules.yaml  binary; replaced by every install (like Falco's
#                                          falco_rules.yaml): put changes in the local file
#   /etc/saker/saker_rules.local.yaml      your additions and overrides (created once, kept)
#   /etc/saker/rules.d/                    more rules files, loaded in name order
#   /etc/logrotate.d/saker                 rotation of file_output's alert file
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
destdir=""
binary=""
uninstall=false

usage() {
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --destdir) destdir=${2:?--destdir needs a directory}; shift 2 ;;
    --destdir=*) destdir=${1#*=}; shift ;;
    --binary) binary=${2:?--binary needs a file}; shift 2 ;;
    --binary=*) binary=${1#*=}; shift ;;
    --uninstall) uninstall=true; shift ;;
    -h|--help) usage 0 ;;
    *) echo "install.sh: unknown option $1" >&2; usage 2 >&2 ;;
  esac
done

if [ -n "$destdir" ]; then
  destdir=$(mkdir -p "$destdir" && cd "$destdir" && pwd)
elif [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: installing into / needs root (or stage with --destdir DIR)" >&2
  exit 2
fi

bin_path="$destdir/usr/bin/saker"
unit_path="$destdir/etc/systemd/system/saker.service"
etc="$destdir/etc/saker"
logrotate_path="$destdir/etc/logrotate.d/saker"

if $uninstall; then
  rm -f "$bin_path" "$unit_path" "$logrotate_path" \
    "$etc/saker_rules.yaml" "$etc/saker_k8s_audit_rules.yaml" "$etc/saker.yaml.new"
  echo "removed the binary, the unit, the default rules and the logrotate snippet"
  echo "kept: $etc/saker.yaml, $etc/saker_rules.local.yaml, $etc/rules.d"
  [ -z "$destdir" ] && command -v systemctl >/dev/null && systemctl daemon-reload || true
  exit 0
fi

if [ -z "$binary" ]; then
  (cd "$root" && cargo build --release --locked -p saker)
  binary="$root/target/release/saker"
fi
[ -x "$binary" ] || { echo "install.sh: $binary is not an executable" >&2; exit 2; }

install -d -m 0755 "$destdir/usr/bin" "$destdir/etc/systemd/system" "$destdir/etc/logrotate.d"
install -d -m 0755 "$etc" "$etc/rules.d"
install -m 0755 "$binary" "$bin_path"
install -m 0644 "$root/packaging/saker.service" "$unit_path"
install -m 0644 "$root/packaging/logrotate" "$logrotate_path"

# The default rules are the ones built into the installed binary (`saker rules show-default`),
# so a --binary of another version gets its own rules, not this tree's.
for source in syscall k8s_audit; do
  case $source in
    syscall) rules_path="$etc/saker_rules.yaml" ;;
    k8s_audit) rules_path="$etc/saker_k8s_audit_rules.yaml" ;;
  esac
  "$bin_path" rules show-default --source "$source" > "$rules_path.new"
  chmod 0644 "$rules_path.new"
  mv -f "$rules_path.new" "$rules_path"
done
if [ ! -e "$etc/saker_rules.local.yaml" ]; then
  cat > "$etc/saker_rules.local.yaml" <<'EOF'
# /etc/saker/saker_rules.local.yaml: your rules, macros and lists, and overrides of the
# default ones (loaded after saker_rules.yaml, so the same name here wins). For example:
#
# - list: etc_writer_binaries
#   items: [my-config-agent]
#   override:
#     items: append
#
# - rule: Terminal shell in container
#   enabled: false
#   override:
#     enabled: replace
EOF
  chmod 0644 "$etc/saker_rules.local.yaml"
fi

# The configuration may hold tokens (http_output, webserver): readable by root only.
if [ -e "$etc/saker.yaml" ] && ! cmp -s "$root/packaging/saker.yaml" "$etc/saker.yaml"; then
  install -m 0640 "$root/packaging/saker.yaml" "$etc/saker.yaml.new"
  echo "kept your $etc/saker.yaml; this version's is $etc/saker.yaml.new"
else
  install -m 0640 "$root/packaging/saker.yaml" "$etc/saker.yaml"
fi

# The installed binary must accept the installed configuration and rules.
"$bin_path" rules validate -q "$etc/saker_rules.yaml" "$etc/saker_k8s_audit_rules.yaml" \
  "$etc/saker_rules.local.yaml" >/dev/null

echo "installed $("$bin_path" --version) into ${destdir:-/}"
if [ -z "$destdir" ]; then
  cat <<'EOF'
next:  systemctl daemon-reload && systemctl enable --now saker     (alerts: journalctl -u saker)
or, without systemd:
       saker run --daemon --pidfile /run/saker.pid                 (stop: kill $(cat /run/saker.pid))
EOF
fi
