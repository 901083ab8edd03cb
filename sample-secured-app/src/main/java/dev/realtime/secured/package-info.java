/**
 * The starter in an application with Spring Security: who may join which channel is decided
 * from the Spring Security {@code Authentication}.
 */
@NullMarked
package dev.realtime.secured;

import org.jspecify.annotations.NullMarked;
