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
import io.lettuce.core.api.async.RedisAsyncCommands;

/**
 * A Lua script run by its SHA-1 (EVALSHA), sent in full only when Redis does not have it
 * (after a restart, say).
 */
final class RedisScript {

	private static final String[] NO_KEYS = {};

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
	 * Run the script. Keys are built inside the scripts from the prefix argument: these
	 * scripts are for a single Redis (or a primary with replicas), not Redis Cluster.
	 */
	<T> CompletableFuture<T> run(RedisAsyncCommands<String, String> commands, String... args) {
		CompletionStage<T> first = commands.evalsha(this.sha, this.output, NO_KEYS, args);
		return first.toCompletableFuture().exceptionallyCompose((failure) -> {
			Throwable cause = (failure instanceof CompletionException) ? failure.getCause() : failure;
			if (cause instanceof RedisNoScriptException) {
				CompletionStage<T> full = commands.eval(this.text, this.output, NO_KEYS, args);
				return full;
			}
			return CompletableFuture.failedFuture(cause);
		});
	}

}
