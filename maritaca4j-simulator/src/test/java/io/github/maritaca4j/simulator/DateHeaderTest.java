package io.github.maritaca4j.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every response carries a real {@code Date} (RFC 1123, GMT), as real servers' do: clients read an
 * HTTP-date {@code Retry-After} against it, not against their own clock.
 */
class DateHeaderTest {
  private static final String Q = "Qual é a capital do Brasil?";

  /** The response's Date, checked to be RFC 1123 in GMT and within a few seconds of now. */
  private static Instant date(HttpResponse<?> r, Instant before, Instant after) {
    List<String> dates = r.headers().allValues("date");
    assertThat(dates).as("Date of %s %s", r.statusCode(), r.uri()).hasSize(1);
    return checked(dates.get(0), before, after);
  }

  private static Instant checked(String value, Instant before, Instant after) {
    assertThat(value)
        .matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
    Instant d = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    // whole seconds, truncated: at most a second before the request was sent
    assertThat(d).isBetween(before.minusSeconds(1), after);
    return d;
  }

  @Test
  void everyKindOfAnswerHasADate() {
    try (MaritacaSimulator sim = MaritacaSimulator.builder().requireApiKey("k").start()) {
      String base = sim.baseUrl();
      List<HttpResponse<String>> answers = new ArrayList<>();
      Instant before = Instant.now();
      String[] auth = {"Authorization", "Bearer k"};
      answers.add(Http.post(base + "/chat/completions", Http.chat("sabia-4", Q, null), auth));
      answers.add(
          Http.post(base + "/chat/completions", Http.chat("sabia-4", Q, "\"stream\":true"), auth));
      answers.add(Http.get(base + "/models", auth));
      answers.add(Http.get(base + "/no-such-route", auth));
      answers.add(Http.post(base + "/chat/completions", "{not json", auth));
      answers.add(Http.post(base + "/chat/completions", Http.chat("sabia-4", Q, null))); // 401
      Instant after = Instant.now();
      assertThat(answers)
          .extracting(HttpResponse::statusCode)
          .containsExactly(200, 200, 200, 404, 400, 401);
      assertThat(answers.get(1).headers().firstValue("content-type").orElse(""))
          .startsWith("text/event-stream");
      for (HttpResponse<String> r : answers) {
        date(r, before, after);
      }
    }
  }

  @Test
  void anHttpDateHintIsReadAgainstTheDate() {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder()
            .rateLimit("sabia-4", RateLimit.rpm(6)) // one per 10 s
            .burst(Duration.ofSeconds(10))
            .retryHint(RetryHint.HTTP_DATE)
            .start()) {
      String url = sim.baseUrl() + "/chat/completions";
      assertThat(Http.post(url, Http.chat("sabia-4", Q, null)).statusCode()).isEqualTo(200);
      Instant before = Instant.now();
      HttpResponse<String> r = Http.post(url, Http.chat("sabia-4", Q, null));
      Instant after = Instant.now();
      assertThat(r.statusCode()).isEqualTo(429);
      Instant date = date(r, before, after);
      Instant retryAt =
          ZonedDateTime.parse(
                  r.headers().firstValue("retry-after").orElseThrow(),
                  DateTimeFormatter.RFC_1123_DATE_TIME)
              .toInstant();
      // about 10 s to wait; whole seconds on both sides make it up to 2 s more, never less
      assertThat(Duration.between(date, retryAt))
          .isBetween(Duration.ofSeconds(9), Duration.ofSeconds(12));
    }
  }

  @Test
  void evenTheCodecsOwnRefusalHasADate() throws Exception {
    try (MaritacaSimulator sim = MaritacaSimulator.start();
        Socket s = new Socket("127.0.0.1", URI.create(sim.baseUrl()).getPort())) {
      s.setSoTimeout(10_000);
      Instant before = Instant.now();
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST /api/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  + "Content-Length: 999999999\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String head = readHead(s.getInputStream());
      Instant after = Instant.now();
      assertThat(head).startsWith("HTTP/1.1 413");
      String date =
          head.lines()
              .filter(l -> l.regionMatches(true, 0, "date:", 0, 5))
              .map(l -> l.substring(5).strip())
              .findFirst()
              .orElseThrow(() -> new AssertionError("no Date in\n" + head));
      checked(date, before, after);
    }
  }

  private static String readHead(InputStream in) throws Exception {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      sb.append((char) c);
      if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) {
        break;
      }
    }
    return sb.toString();
  }
}
