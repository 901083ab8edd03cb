package dev.realtime.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link BroadcasterUnavailableException} at startup: which broadcaster was
 * chosen and what to do about it, instead of a bean creation stack trace.
 */
class BroadcasterUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<BroadcasterUnavailableException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, BroadcasterUnavailableException cause) {
		return new FailureAnalysis("The realtime broadcaster '" + cause.getType().name().toLowerCase()
				+ "' chosen with realtime.broadcaster cannot be created: " + cause.getMessage(),
				"Add what the broadcaster needs, or choose another one with realtime.broadcaster "
						+ "(memory serves a single node).",
				cause);
	}

}
