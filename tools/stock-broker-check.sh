#!/bin/bash
# usage: tools/stock-broker-check.sh [DIR]
# Issue 20's check on a stock Apache Kafka broker (kafka.Kafka from kafka_2.13, a child
# process, KRaft, default settings but one node): a study with --workers 0 and two
# 'reffakd worker' processes, every folder distinct.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
S=${1:-/tmp/reffakd-stock}; rm -rf $S; mkdir -p $S
. "$ROOT/tools/stock-broker.sh"
start_stock_broker $S
LIB=$ROOT/modules/reffakd-cli/target/lib
cd $ROOT
./reffakd worker --kafka $B --runs-root $S/R1 --artifacts $S/A1 --name w1 > $S/w1.log 2>&1 &
W1=$!
./reffakd worker --kafka $B --runs-root $S/R2 --artifacts $S/A2 --name w2 > $S/w2.log 2>&1 &
W2=$!
t0=$(date +%s)
./reffakd study --kafka $B --workers 0 --artifacts $S/A0 --out $S/study --losses ce,reffakd,kd \
  --variants paper --seeds 2 --train-fraction 0.1 --epochs 2 --teacher-epochs 1 --threads 1 \
  --no-dashboard > $S/study.log 2>&1
echo "study exit $? after $(( $(date +%s) - t0 )) s"
tail -2 $S/study.log
for w in 1 2; do echo "w$w: $(grep -c ' done' $S/w$w.log) done: $(grep -E ' (done|failed)' $S/w$w.log | sed 's/.*worker //' | tr '\n' ';')"; done
echo "results.csv rows: $(($(wc -l < $S/study/results.csv) - 1))"
echo "artefact folders: A1 $(find $S/A1 -type f | wc -l) files, A2 $(find $S/A2 -type f | wc -l) files"
echo "reffakd.runs keys (count key):"; java -cp "$LIB/*" $ROOT/tools/CountKeys.java $B reffakd.runs 2>/dev/null
kill $W1 $W2; sleep 3
echo "$B" > $S/bootstrap
kill $BP; wait $BP 2>/dev/null; echo "broker stopped"
