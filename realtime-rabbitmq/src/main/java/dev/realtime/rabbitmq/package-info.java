/**
 * Many nodes as one server, through a shared RabbitMQ: the
 * {@link dev.realtime.rabbitmq.RabbitBroadcaster} carries events over one direct exchange,
 * with a queue per node and a binding per channel that the node's clients hold (Spring
 * AMQP). RabbitMQ has no shared store with compare-and-set and expiry, so presence,
 * cluster counts and webhook de-duplication are not here: the auto-configuration takes
 * them from Redis beside it. Depends on the core only.
 */
@NullMarked
package dev.realtime.rabbitmq;

import org.jspecify.annotations.NullMarked;
