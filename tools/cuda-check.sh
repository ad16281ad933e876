#!/usr/bin/env bash
# Device check of the DL4J backend on a CUDA host (needs an NVIDIA driver and the CUDA 11.6
# runtime libraries that nd4j-cuda-11.6 1.0.0-M2.1 links against).
# Builds reffakd-engine-dl4j with -Pcuda (ND4J's CUDA backend instead of nd4j-native) and runs
# org.reffakd.dl4j.CudaCheck: ND4J device, agreement of GPU logits with the CPU java engine on
# the same weights, and a ResNet-18 CIFAR-size epoch time on synthetic data.
#   tools/cuda-check.sh                      # resnet18, 50000 images, batch 128
#   tools/cuda-check.sh --images 5000 --batch 256
# With CUDA=0 it runs the same check on the CPU backend (nd4j-native).
set -euo pipefail
cd "$(dirname "$0")/.."
profile=(-Pcuda)
if [[ "${CUDA:-1}" == "0" ]]; then profile=(); fi
mvn -B -q "${profile[@]}" -DskipTests package -pl modules/reffakd-engine-dl4j -am
mvn -B -q "${profile[@]}" dependency:build-classpath -pl modules/reffakd-engine-dl4j \
  -Dmdep.includeScope=runtime -Dmdep.outputFile=target/dl4j-classpath.txt
cp="modules/reffakd-engine-dl4j/target/classes:$(cat modules/reffakd-engine-dl4j/target/dl4j-classpath.txt)"
exec java --add-modules jdk.incubator.vector -Xmx16g -cp "$cp" org.reffakd.dl4j.CudaCheck "$@"
