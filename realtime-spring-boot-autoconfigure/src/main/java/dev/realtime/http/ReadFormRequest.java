package dev.realtime.http;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.jspecify.annotations.Nullable;

/**
 * A request whose form body {@link RequestBodyLimitFilter} already read: the body is served
 * from memory, and its fields follow the query's in the parameters (as the Servlet
 * specification orders them), so the container never parses the body itself.
 */
final class ReadFormRequest extends HttpServletRequestWrapper {

	private final byte[] body;

	private final Map<String, List<String>> fields;

	private @Nullable Map<String, String[]> parameters;

	ReadFormRequest(HttpServletRequest request, byte[] body, Map<String, List<String>> fields) {
		super(request);
		this.body = body;
		this.fields = fields;
	}

	@Override
	public ServletInputStream getInputStream() {
		return new BytesInputStream(this.body);
	}

	@Override
	public BufferedReader getReader() {
		return new BufferedReader(new InputStreamReader(getInputStream(), FormFields.charset(this)));
	}

	@Override
	public int getContentLength() {
		return this.body.length;
	}

	@Override
	public long getContentLengthLong() {
		return this.body.length;
	}

	@Override
	public @Nullable String getParameter(String name) {
		String[] values = getParameterMap().get(name);
		return (values != null) ? values[0] : null;
	}

	@Override
	public Enumeration<String> getParameterNames() {
		return Collections.enumeration(getParameterMap().keySet());
	}

	@Override
	public String @Nullable [] getParameterValues(String name) {
		String[] values = getParameterMap().get(name);
		return (values != null) ? values.clone() : null;
	}

	@Override
	public Map<String, String[]> getParameterMap() {
		Map<String, String[]> parameters = this.parameters;
		if (parameters == null) {
			// The container's parameters are the query's alone: the body was read as a stream.
			Map<String, List<String>> merged = new LinkedHashMap<>();
			super.getParameterMap().forEach((name, values) -> merged.put(name, new ArrayList<>(List.of(values))));
			this.fields.forEach((name, values) -> merged.computeIfAbsent(name, (key) -> new ArrayList<>()).addAll(values));
			Map<String, String[]> map = new LinkedHashMap<>();
			merged.forEach((name, values) -> map.put(name, values.toArray(String[]::new)));
			parameters = Collections.unmodifiableMap(map);
			this.parameters = parameters;
		}
		return parameters;
	}

	/**
	 * A body already in memory.
	 */
	private static final class BytesInputStream extends ServletInputStream {

		private final ByteArrayInputStream bytes;

		BytesInputStream(byte[] body) {
			this.bytes = new ByteArrayInputStream(body);
		}

		@Override
		public int read() {
			return this.bytes.read();
		}

		@Override
		public int read(byte[] buffer, int offset, int length) {
			return this.bytes.read(buffer, offset, length);
		}

		@Override
		public boolean isFinished() {
			return this.bytes.available() == 0;
		}

		@Override
		public boolean isReady() {
			return true;
		}

		@Override
		public void setReadListener(ReadListener listener) {
			throw new IllegalStateException("The body is already in memory: read it blocking");
		}

	}

}
