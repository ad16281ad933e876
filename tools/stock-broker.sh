# Sourced by the checks: start_stock_broker DIR starts a stock Apache Kafka broker (kafka.Kafka
# from kafka_2.13, the jars the CLI ships in its lib/; KRaft, one node, broker defaults
# otherwise) in a child process with its data in DIR/data, and sets B (its address) and BP
# (its pid). Needs ROOT (the repository).
start_stock_broker() {
  local S=$1
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
}
