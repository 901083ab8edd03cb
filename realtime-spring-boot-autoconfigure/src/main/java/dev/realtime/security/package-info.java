/**
 * Spring Security support: the CSRF token handler that lets the auth endpoints accept the
 * headers laravel-echo and axios send.
 */
@NullMarked
package dev.realtime.security;

import org.jspecify.annotations.NullMarked;
