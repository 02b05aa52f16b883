package io.github.maritaca4j.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** HTTP/1.1 connection behaviour, over a raw socket. */
class ConnectionTest {

  static byte[] post(String body, String extraHeaders) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return ("POST /api/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + extraHeaders
            + "Content-Length: "
            + b.length
            + "\r\n\r\n"
            + body)
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Reads one Content-Length response; returns its body. */
  static String read(InputStream in) throws Exception {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      assertThat(c).isNotNegative();
      head.append((char) c);
    }
    int len = 0;
    for (String l : head.toString().split("\r\n")) {
      if (l.toLowerCase().startsWith("content-length:")) {
        len = Integer.parseInt(l.substring(15).trim());
      }
    }
    return new String(in.readNBytes(len), StandardCharsets.UTF_8);
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    try (MaritacaSimulator sim =
            MaritacaSimulator.builder()
                .latency(Latency.of(Duration.ofMillis(50), Duration.ofMillis(20), 0))
                .answerLength(AnswerLength.fixed(100))
                .start();
        Socket s = new Socket("127.0.0.1", sim.port())) {
      OutputStream out = s.getOutputStream();
      // the first takes ~50 + 20 x 40 ms, the second ~70 ms: answered in order all the same
      out.write(post(Http.chat("sabia-4", "Fale sobre o mar.", "\"max_tokens\":40"), ""));
      out.write(
          post(
              Http.chat("sabia-4", "Qual é a capital do Chile?", null),
              "Upgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n"));
      out.flush();
      InputStream in = new BufferedInputStream(s.getInputStream());
      String first = read(in);
      String second = read(in);
      assertThat(Http.json(first).path("usage").path("completion_tokens").asInt()).isEqualTo(40);
      assertThat(second).contains("Santiago");
      assertThat(sim.statsWithoutLog().maxInFlight()).isEqualTo(1);
    }
  }
}
