#!/bin/bash
# usage: tools/scheduling-check.sh W J [EPOCHS] [DIR]
# W 'reffakd worker' processes on a stock Apache Kafka broker (as tools/stock-broker-check.sh
# starts one), all in the group before anything is submitted, share a study of J equal ce
# jobs (--workers 0; full Fashion-MNIST, EPOCHS epochs, 1 thread each). Prints each worker's
# jobs, the study's time and each job's student seconds: with the busy-aware assignment no
# worker idles while a job waits, so each does J/W of them when J/W is whole (issue 20).
set -u
W=$1; J=$2; E=${3:-1}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
S=${4:-/tmp/reffakd-sched-$W-$J}; rm -rf $S; mkdir -p $S
. "$ROOT/tools/stock-broker.sh"
start_stock_broker $S
LIB=$ROOT/modules/reffakd-cli/target/lib
cd $ROOT
PIDS=
for w in $(seq 1 $W); do
  ./reffakd worker --kafka $B --runs-root $S/runs$w --artifacts $S/art$w --name w$w \
    > $S/w$w.log 2>&1 &
  PIDS="$PIDS $!"
done
for i in $(seq 1 120); do
  n=0
  for w in $(seq 1 $W); do grep -q "holds [1-9]" $S/w$w.log && n=$((n + 1)); done
  [ $n = $W ] && break
  sleep 1
done
t0=$(date +%s)
./reffakd study --kafka $B --workers 0 --out $S/study --losses ce --seeds $J --epochs $E \
  --threads 1 --no-dashboard > $S/study.log 2>&1
echo "study exit $? after $(( $(date +%s) - t0 )) s"
kill $PIDS
grep "study done" $S/study.log
for w in $(seq 1 $W); do echo "w$w: $(grep -c ' done' $S/w$w.log) jobs"; done
python3 -c "
import json, glob
t = sorted(json.load(open(f))['timings_s']['student'] for f in glob.glob('$S/study/results/*.json'))
print('student seconds per job', [round(x, 1) for x in t])"
kill $BP; wait $BP 2>/dev/null
