package dev.realtime.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/**
 * A Lua script run by its SHA-1 (EVALSHA), sent in full only when Redis does not have it
 * (after a restart, say).
 */
final class RedisScript {

	private final String text;

	private final String sha;

	private final ScriptOutputType output;

	RedisScript(String text, ScriptOutputType output) {
		this.text = text;
		this.output = output;
		try {
			this.sha = HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Run the script.
	 * @param commands a single Redis's or a cluster's commands
	 * @param keys the keys it touches, or keys of their slot, so a cluster runs it where they are
	 * @param args the arguments
	 */
	<T> CompletableFuture<T> run(RedisClusterAsyncCommands<String, String> commands, String[] keys, String... args) {
		CompletionStage<T> first = commands.evalsha(this.sha, this.output, keys, args);
		return first.toCompletableFuture().exceptionallyCompose((failure) -> {
			Throwable cause = (failure instanceof CompletionException) ? failure.getCause() : failure;
			if (cause instanceof RedisNoScriptException) {
				CompletionStage<T> full = commands.eval(this.text, this.output, keys, args);
				return full;
			}
			return CompletableFuture.failedFuture(cause);
		});
	}

}
