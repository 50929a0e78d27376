# Sourced by bench scripts: measure CMD... runs CMD with its output discarded and prints its
# wall and CPU (user + system) time in seconds, "WALL CPU". A failing CMD is still measured.
measure() {
    local TIMEFORMAT='%R %U %S' times wall user sys
    times=$( { time "$@" >/dev/null 2>&1 || true; } 2>&1 | tail -n 1)
    read -r wall user sys <<<"$times"
    awk -v w="$wall" -v u="$user" -v s="$sys" 'BEGIN { print w, u + s }'
}
