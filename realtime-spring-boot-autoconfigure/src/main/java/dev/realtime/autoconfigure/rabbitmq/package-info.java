/**
 * Wiring of the RabbitMQ engine ({@code realtime.broadcaster=rabbitmq}), with Redis beside
 * it for presence, counts and webhook de-duplication.
 */
@NullMarked
package dev.realtime.autoconfigure.rabbitmq;

import org.jspecify.annotations.NullMarked;
