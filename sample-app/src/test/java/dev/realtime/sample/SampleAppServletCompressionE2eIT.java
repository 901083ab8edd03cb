package dev.realtime.sample;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The compression test of the transport suite against the Servlet transport, where Tomcat
 * does the compressing ({@code realtime.compression.enabled=true}).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "realtime.compression.enabled=true")
class SampleAppServletCompressionE2eIT extends SampleAppE2eIT {

	@Override
	protected String suite() {
		return "transport/compression.test.js";
	}

	@Override
	protected String reportName() {
		return "e2e-servlet-compression-junit.xml";
	}

}
