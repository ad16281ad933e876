#!/bin/bash
# usage: tools/stock-broker-check.sh [DIR]
# Issue 20's check on a stock Apache Kafka broker (kafka.Kafka from kafka_2.13, a child
# process, KRaft, default settings but one node): a study with --workers 0 and two
# 'reffakd worker' processes, every folder distinct.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
S=${1:-/tmp/reffakd-stock}; rm -rf $S; mkdir -p $S
(cd $ROOT && ./reffakd --version > /dev/null)  # builds the CLI and its lib/ when needed
LIB=$ROOT/modules/reffakd-cli/target/lib
cat > $S/server.properties <<P
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:19093
listeners=PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093
advertised.listeners=PLAINTEXT://127.0.0.1:19092
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$S/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
P
ID=$(java -cp "$LIB/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
java -cp "$LIB/*" kafka.tools.StorageTool format -t "$ID" -c $S/server.properties > $S/format.log 2>&1
java -Xmx1g -cp "$LIB/*" kafka.Kafka $S/server.properties > $S/broker.log 2>&1 &
BP=$!
for i in $(seq 1 60); do (echo > /dev/tcp/127.0.0.1/19092) 2>/dev/null && break; sleep 1; done
echo "stock broker pid $BP up (cluster $ID)"
B=127.0.0.1:19092
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
