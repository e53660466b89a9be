# shellcheck shell=bash
# scripts/eval --live: real faults on the lab, scored like the synthetic scenarios (category and
# exact culprit; both causes in the top two for the two-fault window).
# Sourced by scripts/eval (uses its log, die, analyze_into, $perfscope, $scenarios, $root).
# Each fault: wait until the previous one is out of the 1-minute rate window, inject it (as
# Tests/PerfScopeCLITests/FaultLiveTests.swift does), drive load, analyse [start, now] on the
# lab's Prometheus with --rate-window 1m, clear it, and write a label next to the report.

live_label() { # DIR NAME START END CATEGORY INSTANCE-or-empty DESCRIPTION [CATEGORY2 INSTANCE2] [FAULT-START]
  local instances="[]" all second=""
  [[ -n $6 ]] && instances="[\"$6\"]"
  [[ $6 == all ]] && instances="[\"$m1\", \"$m2\", \"$m3\"]"
  all="{\"category\" : \"$5\", \"instances\" : $instances}"
  [[ $5 == healthy ]] && all=""
  if [[ -n ${8:-} ]]; then
    second="{\"category\" : \"$8\", \"instances\" : [\"$9\"]}"
    all="$all, $second"
  fi
  cat >"$1/$2.json" <<EOF
{
  "name" : "$2",
  "start" : $3,
  "end" : $4,
  "expected" : {"category" : "$5", "instances" : $instances},
  "expectedAll" : [$all],
  "kind" : "live",
  "split" : "holdout",${10:+
  "faultStart" : ${10},}
  "description" : "$7",
  "variant" : "lab: etcd 3.4 on 127.0.0.1, Prometheus 5 s scrapes"
}
EOF
}

run_live() {
  "$root/scripts/lab" status >/dev/null 2>&1 || die "the lab is not running (scripts/lab up)"
  [[ $(id -u) == 0 ]] || die "--live injects faults (strace, cgroups, iptables): run as root"
  eval "$("$root/scripts/lab" env)"
  local url=$PERFSCOPE_PROMETHEUS_URL
  local endpoints
  IFS=, read -r -a endpoints <<<"$PERFSCOPE_ETCD_ENDPOINTS"
  local m1 m2 m3
  m1=${endpoints[0]#http://} m2=${endpoints[1]#http://} m3=${endpoints[2]#http://}
  m1=${m1%/} m2=${m2%/} m3=${m3%/}
  local dir=$root/.build/scenarios-live
  rm -rf "$dir"
  mkdir -p "$dir"
  trap '"$root/scripts/lab" fault clear >/dev/null 2>&1 || true' EXIT
  local lab=$root/scripts/lab start end

  quiet() { log "waiting 65 s for the previous fault to leave the rate window"; sleep 65; }
  finish() { # NAME CATEGORY INSTANCE DESCRIPTION
    end=$(date +%s)
    analyze_into "$dir" "$url" "$1" "$start" "$end" --rate-window 1m
    live_label "$dir" "$1" "$start" "$end" "$2" "$3" "$4"
  }

  log "live: healthy window"
  start=$(date +%s)
  "$lab" load put 300 >/dev/null
  sleep 10
  finish live-healthy healthy "" "Lab under light put load, no fault."

  log "live: leader changes (move-leader ×3)"
  start=$(date +%s)
  "$lab" fault leader --how move --count 3 >/dev/null
  sleep 10
  finish live-leader consensus all "Three move-leader operations."

  quiet
  log "live: slow disk on m2 (fdatasync +30 ms)"
  start=$(date +%s)
  "$lab" fault slow-disk m2 --delay-ms 30 >/dev/null
  "$lab" load s >/dev/null
  finish live-slow-disk disk "$m2" "strace-delayed fdatasync on m2 under etcdctl check perf load."
  "$lab" fault clear slow-disk >/dev/null

  quiet
  log "live: a 10-minute window, slow disk on m2 in its last 40 s"
  start=$(date +%s)
  while (($(date +%s) - start < 560)); do "$lab" load put 100 >/dev/null; sleep 20; done
  local fault_at
  fault_at=$(date +%s)
  "$lab" fault slow-disk m2 --delay-ms 30 >/dev/null
  while (($(date +%s) - fault_at < 40)); do "$lab" load put 200 >/dev/null; done
  end=$(date +%s)
  analyze_into "$dir" "$url" live-late-slow-disk "$start" "$end" --rate-window 1m
  live_label "$dir" live-late-slow-disk "$start" "$end" disk "$m2" "strace-delayed fdatasync on m2 for the last 40 s of a 10-minute window." "" "" "$fault_at"
  "$lab" fault clear slow-disk >/dev/null

  quiet
  log "live: slow disk on m2 and CPU quota on m3 at once"
  start=$(date +%s)
  "$lab" fault slow-disk m2 --delay-ms 30 >/dev/null
  "$lab" fault cpu m3 --quota-pct 3 >/dev/null
  "$lab" load s >/dev/null
  end=$(date +%s)
  analyze_into "$dir" "$url" live-two-faults "$start" "$end" --rate-window 1m
  live_label "$dir" live-two-faults "$start" "$end" disk "$m2" "strace-delayed fdatasync on m2 and a 3 % CFS quota on m3 at once." cpu "$m3"
  "$lab" fault clear slow-disk >/dev/null
  "$lab" fault clear cpu >/dev/null

  quiet
  log "live: CPU quota on m3 (3 %)"
  start=$(date +%s)
  "$lab" fault cpu m3 --quota-pct 3 >/dev/null
  "$lab" load s >/dev/null
  finish live-cpu cpu "$m3" "cgroup CFS quota of 3 % on m3's threads under load (the slow-fsync confounder)."
  "$lab" fault clear cpu >/dev/null

  quiet
  log "live: network delay on m2 (50 ms, ~4.5 minutes)"
  start=$(date +%s)
  "$lab" fault net-delay m2 --delay-ms 50 >/dev/null
  for _ in $(seq 1 9); do
    "$lab" load put 200 >/dev/null
    sleep 30
  done
  finish live-net-delay network "$m2" "NFQUEUE delay of m2's peer traffic."
  "$lab" fault clear net-delay >/dev/null

  quiet
  log "live: DB growth near the quota (160 MB)"
  start=$(date +%s)
  "$lab" fault db-growth --mb 160 >/dev/null
  sleep 10
  finish live-db-growth database all "Large puts near the lab's 256 MiB quota, delete, compact."
  "$lab" fault clear db-growth >/dev/null

  "$scenarios" score "$dir" --show-holdout >"$dir/score.txt"
  local status=$?
  cat "$dir/score.txt"
  grep -q ', 0 failed$' "$dir/score.txt" || status=1
  return "$status"
}
