/**
 * HTTP endpoints of the realtime server: channel authorization and user authentication
 * for clients.
 */
@NullMarked
package dev.realtime.http;

import org.jspecify.annotations.NullMarked;
