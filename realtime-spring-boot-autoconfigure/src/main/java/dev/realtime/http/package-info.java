/**
 * HTTP endpoints of the realtime server: channel authorization and user authentication
 * for clients, the Pusher HTTP API for server SDKs, and webhooks to the application.
 */
@NullMarked
package dev.realtime.http;

import org.jspecify.annotations.NullMarked;
