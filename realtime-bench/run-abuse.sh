#!/usr/bin/env bash
# The abuse scenario (realtime-bench/README-load.md, "Abuse"): builds the sample app and the
# generator, starts the sample app on loopback with admission limits, and measures what
# well-behaved subscribers see alone and while abusers flood the node. Bounded, self-stopping.
#   realtime-bench/run-abuse.sh [--transport=servlet|netty] [--subscribers=500] [--rate=100] [--seconds=20] [--flood-threads=4]
#   realtime-bench/run-abuse.sh --nodes=2    # two nodes sharing Redis (REDIS_URL, else 127.0.0.1:6379)
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
if [ -z "${SKIP_BUILD:-}" ]; then
	./mvnw -B -q -DskipTests -pl sample-app,realtime-bench -am package
fi
case " $* " in
*" --nodes=2 "*)
	# Spring Data Redis for the two nodes, which the sample app lacks (as in run-load.sh);
	# "package" in the same reactor resolves realtime-core without it being installed
	if [ -z "${SKIP_BUILD:-}" ] || [ ! -d realtime-bench/target/redis-libs ]; then
		./mvnw -B -q -DskipTests -pl realtime-bench -am package dependency:copy-dependencies -DincludeScope=compile \
			-DexcludeArtifactIds=realtime-core,jmh-core,HdrHistogram,jopt-simple,commons-math3,jspecify \
			-DoutputDirectory=target/redis-libs
	fi
	;;
esac
exec "$JAVA_HOME/bin/java" -Xms256m -Xmx1g -XX:+UseG1GC \
	-cp realtime-bench/target/benchmarks.jar dev.realtime.bench.load.AbuseBenchmark "$@"
