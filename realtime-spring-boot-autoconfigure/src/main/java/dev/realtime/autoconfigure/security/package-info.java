/**
 * Spring Security support: request matchers for the realtime endpoints
 * ({@link dev.realtime.autoconfigure.security.RealtimeRequest}) and the auto-configuration
 * that applies them when Spring Security is present.
 */
@NullMarked
package dev.realtime.autoconfigure.security;

import org.jspecify.annotations.NullMarked;
