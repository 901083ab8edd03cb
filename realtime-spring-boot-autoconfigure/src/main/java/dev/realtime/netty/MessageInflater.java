package dev.realtime.netty;

import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import io.netty.buffer.ByteBuf;

/**
 * Decompresses a client's permessage-deflate message and refuses, without inflating it
 * all, one that would grow past a limit: a few kilobytes of deflate can expand to
 * gigabytes. A client that agreed to {@code client_no_context_takeover} is inflated with a
 * per-thread inflater reset for each message; one that keeps its window, with the
 * connection's own inflater.
 */
final class MessageInflater {

	private static final ThreadLocal<Inflater> INFLATERS = ThreadLocal.withInitial(() -> new Inflater(true));

	private static final byte[] TAIL = { 0x00, 0x00, (byte) 0xFF, (byte) 0xFF };

	private MessageInflater() {
	}

	/**
	 * Inflate one message of a client without context takeover.
	 * @param compressed the message's payload as received (RSV1 set)
	 * @param limit the largest inflated size accepted
	 * @return the inflated payload
	 * @throws TooLargeException if it would inflate past {@code limit}; at most
	 * {@code limit + 1} bytes were inflated
	 * @throws DataFormatException if the payload is not valid deflate data
	 */
	static byte[] inflate(ByteBuf compressed, int limit) throws TooLargeException, DataFormatException {
		Inflater inflater = INFLATERS.get();
		inflater.reset();
		return inflate(compressed, limit, inflater);
	}

	/**
	 * Inflate one message with an inflater that keeps the window of the previous ones.
	 * @param compressed the message's payload as received (RSV1 set)
	 * @param limit the largest inflated size accepted
	 * @param inflater the connection's inflater (raw deflate), never reset
	 * @return the inflated payload
	 * @throws TooLargeException if it would inflate past {@code limit}; at most
	 * {@code limit + 1} bytes were inflated
	 * @throws DataFormatException if the payload is not valid deflate data
	 */
	static byte[] inflate(ByteBuf compressed, int limit, Inflater inflater)
			throws TooLargeException, DataFormatException {
		int length = compressed.readableBytes();
		byte[] input = new byte[length + TAIL.length];
		compressed.getBytes(compressed.readerIndex(), input, 0, length);
		System.arraycopy(TAIL, 0, input, length, TAIL.length);
		inflater.setInput(input);
		int cap = (int) Math.min((long) limit + 1, Integer.MAX_VALUE - 8);
		byte[] out = new byte[(int) Math.min(cap, 4L * input.length + 64)];
		int size = 0;
		while (true) {
			if (size == out.length) {
				if (size >= cap) {
					throw new TooLargeException();
				}
				out = Arrays.copyOf(out, (int) Math.min(cap, 2L * out.length));
			}
			int n = inflater.inflate(out, size, out.length - size);
			size += n;
			if (size > limit) {
				throw new TooLargeException();
			}
			if (n == 0) {
				// Room was left, so the input is used up (or the stream ended).
				if (inflater.needsDictionary()) {
					throw new DataFormatException("A preset dictionary is not allowed");
				}
				break;
			}
		}
		return Arrays.copyOf(out, size);
	}

	/**
	 * A message that inflates past the limit.
	 */
	static final class TooLargeException extends Exception {

		private static final long serialVersionUID = 1L;

		TooLargeException() {
			super("Compressed message inflates past the limit", null, false, false);
		}

	}

}
