#!/bin/sh
# Runs the reffakd CLI. `serve` binds 0.0.0.0 in a container, which the dashboard refuses
# without a token: it is taken from REFFAKD_TOKEN (an environment variable, never baked into
# the image or a compose file).
set -eu
if [ "${1:-}" = serve ]; then
  : "${REFFAKD_TOKEN:?set REFFAKD_TOKEN: the dashboard listens beyond localhost in a container}"
  set -- "$@" --token "$REFFAKD_TOKEN"
fi
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
exec java ${JAVA_OPTS:-} --add-modules jdk.incubator.vector \
  -cp '/app/lib/*' org.reffakd.cli.Main "$@"
