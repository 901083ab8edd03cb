package dev.realtime.http;

import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Parses an {@code application/x-www-form-urlencoded} body already read into memory, so that
 * the container never reads one on its own (up to its {@code maxPostSize}).
 */
final class FormFields {

	private FormFields() {
	}

	/**
	 * The encoding of a request's form body: the one it declares, else UTF-8 (what
	 * browsers send).
	 * @param request the request
	 * @return the encoding
	 */
	static Charset charset(HttpServletRequest request) {
		String encoding = request.getCharacterEncoding();
		try {
			return (encoding != null) ? Charset.forName(encoding) : StandardCharsets.UTF_8;
		}
		catch (IllegalArgumentException ex) {
			return StandardCharsets.UTF_8;
		}
	}

	/**
	 * The fields of a form body, in order, every value of a repeated name kept.
	 * @param body the body
	 * @param charset its encoding
	 * @return the values by name
	 * @throws IllegalArgumentException if an escape is malformed
	 */
	static Map<String, List<String>> parse(byte[] body, Charset charset) {
		Map<String, List<String>> fields = new LinkedHashMap<>();
		for (String pair : new String(body, charset).split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int equals = pair.indexOf('=');
			String name = URLDecoder.decode((equals < 0) ? pair : pair.substring(0, equals), charset);
			String value = (equals < 0) ? "" : URLDecoder.decode(pair.substring(equals + 1), charset);
			fields.computeIfAbsent(name, (key) -> new ArrayList<>(1)).add(value);
		}
		return fields;
	}

}
