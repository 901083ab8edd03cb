/**
 * Apps as tenants of shared engines: {@link dev.realtime.apps.AppNamespace} qualifies an
 * app's channel names, and its views of the broadcaster, channel cache, presence
 * directory, channel statistics and channel listener let every app's hub use the same
 * (Redis) engines without seeing another app's channels.
 */
@NullMarked
package dev.realtime.apps;

import org.jspecify.annotations.NullMarked;
