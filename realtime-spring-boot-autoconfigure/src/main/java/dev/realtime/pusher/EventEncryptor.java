package dev.realtime.pusher;

/**
 * Encrypts the data of events to {@code private-encrypted-} channels before they are
 * published, so that only clients given the channel's shared secret by the auth endpoint
 * can read them, and the broadcaster (Redis, say) only ever carries ciphertext.
 * <p>
 * {@link Realtime} calls it for every encrypted channel an event goes to, with the data
 * already serialized; the answer replaces the data. The default is
 * {@link SecretBoxEncryptor}, the format of the Pusher server SDKs that pusher-js
 * decrypts.
 */
@FunctionalInterface
public interface EventEncryptor {

	/**
	 * Encrypt one event's data for one channel.
	 * @param channel the {@code private-encrypted-} channel
	 * @param data the serialized data
	 * @return the data to send in its place
	 */
	String encrypt(String channel, String data);

}
