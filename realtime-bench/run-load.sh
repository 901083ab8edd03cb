#!/usr/bin/env bash
# One command for the load benchmark (realtime-bench/README-load.md): builds the realtime
# sample app, the STOMP baseline and the generator, then runs every scenario against each
# server in turn and writes the tables into BENCHMARKS.md. Loopback only, self-stopping.
#   realtime-bench/run-load.sh [--quick] [--servers=realtime,realtime-netty,stomp,nchan,redis,redis-netty] [--jfr=file.jfr]
#   realtime-bench/run-load.sh --scenarios=http-channels --servers=realtime,realtime-netty,nchan   # 1,000 channels x 10, signed HTTP API
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
# 10k subscribers plus the servers' side of them
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
command -v nginx >/dev/null && [ -f /usr/lib/nginx/modules/ngx_nchan_module.so ] || {
	echo "nchan baseline needs: apt-get install -y nginx libnginx-mod-nchan" >&2
	exit 1
}
if [ -z "${SKIP_BUILD:-}" ]; then
	# Spring Data Redis for the two-node scenario (--servers=redis), and realtime-nats, realtime-rabbitmq
	# and Spring AMQP for the engine benchmark (--servers=engines), which the sample app lacks;
	# "package" in the same reactor resolves realtime-core without it being installed
	./mvnw -B -q -DskipTests -pl sample-app,bench-stomp-baseline,realtime-bench -am package dependency:copy-dependencies -DincludeScope=compile \
		-DexcludeArtifactIds=realtime-core,jmh-core,HdrHistogram,jopt-simple,commons-math3,jspecify \
		-DoutputDirectory=target/redis-libs
fi
exec "$JAVA_HOME/bin/java" -Xms512m -Xmx2g -XX:+UseG1GC \
	-cp realtime-bench/target/benchmarks.jar dev.realtime.bench.load.LoadBenchmark \
	--out=BENCHMARKS.md --command="realtime-bench/run-load.sh $*" "$@"
