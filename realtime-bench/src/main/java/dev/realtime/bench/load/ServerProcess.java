package dev.realtime.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A server under test, started as its own process on a loopback port: a repackaged Spring
 * Boot jar ({@code java -jar}) or nginx. Measures what the harness reports about it: heap
 * used after a full GC (through {@code jcmd}, for JVMs), resident memory and CPU time (from
 * {@code /proc}, summed over the process and its children, e.g. nginx workers).
 */
final class ServerProcess implements AutoCloseable {

	private static final Pattern HEAP_USED = Pattern.compile("heap .*used (\\d+)K");

	private static final long TICKS_PER_SECOND = 100;

	private final String name;

	private final Process process;

	private final boolean jvm;

	private final Path javaHome;

	private ServerProcess(String name, Process process, boolean jvm, Path javaHome) {
		this.name = name;
		this.process = process;
		this.jvm = jvm;
		this.javaHome = javaHome;
	}

	static ServerProcess java(String name, Path javaHome, Path jar, List<String> jvmFlags, List<String> args,
			int port, Path log) throws Exception {
		return java(name, javaHome, jar, (List<Path>) null, jvmFlags, args, port, log);
	}

	/**
	 * A repackaged Spring Boot jar, with the jars of {@code extraLibs} (if not {@code null})
	 * added to its class path through Boot's {@code PropertiesLauncher}.
	 */
	static ServerProcess java(String name, Path javaHome, Path jar, Path extraLibs, List<String> jvmFlags,
			List<String> args, int port, Path log) throws Exception {
		return java(name, javaHome, jar, (extraLibs != null) ? List.of(extraLibs) : null, jvmFlags, args, port, log);
	}

	/**
	 * A repackaged Spring Boot jar, with {@code extraLibs} (directories or jars, if not
	 * {@code null}) added to its class path through Boot's {@code PropertiesLauncher}.
	 */
	static ServerProcess java(String name, Path javaHome, Path jar, List<Path> extraLibs, List<String> jvmFlags,
			List<String> args, int port, Path log) throws Exception {
		assertFree(port);
		List<String> command = new ArrayList<>();
		command.add(javaHome.resolve("bin/java").toString());
		command.addAll(jvmFlags);
		if (extraLibs != null) {
			command.add("-Dloader.path=" + String.join(",",
					extraLibs.stream().map((lib) -> lib.toAbsolutePath().toString()).toList()));
			command.add("-cp");
			command.add(jar.toString());
			command.add("org.springframework.boot.loader.launch.PropertiesLauncher");
		}
		else {
			command.add("-jar");
			command.add(jar.toString());
		}
		command.addAll(args);
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		ServerProcess server = new ServerProcess(name, process, true, javaHome);
		server.awaitPort(port, log);
		return server;
	}

	static ServerProcess nginx(Path prefix, Path config, int port) throws Exception {
		assertFree(port);
		Process process = new ProcessBuilder("nginx", "-p", prefix.toString(), "-c", config.toString(), "-g",
				"daemon off;")
			.redirectErrorStream(true)
			.redirectOutput(prefix.resolve("nginx.out").toFile())
			.start();
		ServerProcess server = new ServerProcess("nginx", process, false, null);
		server.awaitPort(port, prefix.resolve("nginx.out"));
		return server;
	}

	String name() {
		return this.name;
	}

	long pid() {
		return this.process.pid();
	}

	boolean isJvm() {
		return this.jvm;
	}

	/** Fail rather than measure whatever else listens there. */
	private static void assertFree(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
		}
		catch (IOException ex) {
			return;
		}
		throw new IllegalStateException("port " + port + " is already in use");
	}

	/** Wait until the server listens on the port (the Netty transport's binds beside the HTTP one). */
	void awaitPort(int port, Path log) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.name + " exited: " + tail(log));
			}
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
				return;
			}
			catch (IOException ex) {
				Thread.sleep(200);
			}
		}
		throw new IllegalStateException(this.name + " did not listen on " + port + ": " + tail(log));
	}

	private static String tail(Path log) throws IOException {
		List<String> lines = Files.readAllLines(log);
		return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
	}

	/** Heap used after two full GCs, in bytes, or -1 for a server that is not a JVM. */
	long heapAfterGc() throws Exception {
		if (!this.jvm) {
			return -1;
		}
		jcmd("GC.run");
		jcmd("GC.run");
		String output = jcmd("GC.heap_info");
		Matcher matcher = HEAP_USED.matcher(output);
		if (!matcher.find()) {
			throw new IllegalStateException("no heap usage in jcmd output: " + output);
		}
		return Long.parseLong(matcher.group(1)) * 1024;
	}

	/**
	 * Write the live objects' class histogram (after a full GC), to see what a connection
	 * costs. Does nothing for a server that is not a JVM.
	 */
	void writeClassHistogram(Path file) throws Exception {
		if (this.jvm) {
			Files.writeString(file, jcmd("GC.class_histogram"));
		}
	}

	/** Resident memory of the process and its descendants, in bytes. */
	long rss() throws IOException {
		long total = 0;
		for (long pid : pids()) {
			for (String line : readProc(pid, "status")) {
				if (line.startsWith("VmRSS:")) {
					total += Long.parseLong(line.replaceAll("\\D", "")) * 1024;
				}
			}
		}
		return total;
	}

	/** CPU time (user + system) of the process and its descendants, in milliseconds. */
	long cpuMillis() throws IOException {
		long ticks = 0;
		for (long pid : pids()) {
			ticks += cpuTicks(readProc(pid, "stat"));
		}
		return ticks * 1000 / TICKS_PER_SECOND;
	}

	/**
	 * CPU time (user + system) of any process of the machine, in milliseconds, 0 once it is
	 * gone: for the engines the nodes share (redis-server, nats-server, RabbitMQ's beam.smp).
	 */
	static long cpuMillis(long pid) {
		return cpuTicks(readProc(pid, "stat")) * 1000 / TICKS_PER_SECOND;
	}

	/** Kill the process at once ({@code kill -9}): a node crash, with no clean shutdown. */
	void kill() throws InterruptedException {
		this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
	}

	/** This process's own CPU time, in milliseconds. */
	static long selfCpuMillis() throws IOException {
		return cpuTicks(Files.readAllLines(Path.of("/proc/self/stat"))) * 1000 / TICKS_PER_SECOND;
	}

	private static long cpuTicks(List<String> stat) {
		if (stat.isEmpty()) {
			return 0;
		}
		String line = stat.get(0);
		String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
		// after "pid (comm) ": state is field 3, utime 14, stime 15 (1-based)
		return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
	}

	private List<Long> pids() {
		List<Long> pids = new ArrayList<>();
		pids.add(this.process.pid());
		try (Stream<ProcessHandle> descendants = this.process.descendants()) {
			descendants.forEach((handle) -> pids.add(handle.pid()));
		}
		return pids;
	}

	private static List<String> readProc(long pid, String file) {
		try {
			return Files.readAllLines(Path.of("/proc", Long.toString(pid), file));
		}
		catch (IOException ex) {
			return List.of();
		}
	}

	/** Start a JFR recording (profile settings) on the server. */
	void startRecording(String recordingName) throws Exception {
		jcmd("JFR.start", "name=" + recordingName, "settings=profile", "jdk.ExecutionSample#period=1ms",
				"jdk.NativeMethodSample#period=1ms");
	}

	/** Stop a JFR recording, writing it to a file. */
	void stopRecording(String recordingName, Path file) throws Exception {
		jcmd("JFR.stop", "name=" + recordingName, "filename=" + file.toAbsolutePath());
	}

	private String jcmd(String... command) throws Exception {
		List<String> line = new ArrayList<>();
		line.add(this.javaHome.resolve("bin/jcmd").toString());
		line.add(Long.toString(this.process.pid()));
		line.addAll(List.of(command));
		Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
		String output = new String(jcmd.getInputStream().readAllBytes());
		if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
			throw new IllegalStateException("jcmd " + String.join(" ", command) + ": " + output);
		}
		return output;
	}

	@Override
	public void close() throws Exception {
		List<ProcessHandle> all = new ArrayList<>();
		try (Stream<ProcessHandle> descendants = this.process.descendants()) {
			descendants.forEach(all::add);
		}
		this.process.destroy();
		if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
		for (ProcessHandle child : all) {
			child.destroy();
		}
	}

}
