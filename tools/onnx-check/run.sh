#!/usr/bin/env bash
# Scores exported .onnx files on Fashion-MNIST's 10,000 test images with ONNX Runtime alone:
# the pixels prepared by PIL (tools/onnx-check/prep.py, Debian's python3-numpy and python3-pil),
# the model run by a single-file Java program with only the onnxruntime jar on its class path.
# Usage: tools/onnx-check/run.sh student.onnx [student-int8.onnx ...]  (after a build)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ORT="$(ls "$HERE"/../../modules/reffakd-cli/target/lib/onnxruntime-*.jar | head -1)"
DATA="${REFFAKD_FMNIST_DIR:-/usr/share/datasets/fashion-mnist}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
/usr/bin/python3 "$HERE/prep.py" "$DATA" "$TMP"
for f in "$@"; do
  java -cp "$ORT" "$HERE/Score.java" "$f" "$TMP/x.bin" "$TMP/y.bin"
done
