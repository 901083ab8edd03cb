/**
 * Many nodes as one server, through a shared NATS with JetStream: the
 * {@link dev.realtime.nats.NatsBroadcaster} (events over core NATS, a subject per channel
 * that local clients hold), the {@link dev.realtime.nats.NatsPresence} (cluster-wide
 * presence rosters in a key-value bucket, changed by compare-and-set, with dead-node
 * expiry), {@link dev.realtime.nats.NatsChannelStats} (channel counts for the whole cluster)
 * {@link dev.realtime.nats.NatsChannelCache} (cache channels) and
 * {@link dev.realtime.nats.NatsWebhookClaims} (one node sends each webhook), all over
 * one {@link dev.realtime.nats.NatsConnection}. Depends on the core only.
 */
@NullMarked
package dev.realtime.nats;

import org.jspecify.annotations.NullMarked;
