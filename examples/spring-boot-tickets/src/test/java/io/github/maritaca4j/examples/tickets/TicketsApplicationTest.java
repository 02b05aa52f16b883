package io.github.maritaca4j.examples.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;

/**
 * The application on its embedded simulator, over HTTP: the batch endpoint, ChatClient, metrics.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "tickets.simulator.enabled=true")
class TicketsApplicationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> TICKETS =
      List.of(
          "Fui cobrado duas vezes pelo mesmo pedido no cartão de crédito.",
          "Não consigo entrar na minha conta, a senha nova não funciona.",
          "Meu pedido está parado na transportadora há dez dias.",
          "A geladeira chegou com a porta amassada.",
          "Quero cancelar a assinatura e receber o reembolso.",
          "Vocês entregam em Manaus?");

  @Autowired Environment environment;
  @Autowired MaritacaSimulator simulator;
  @Autowired ChatMaritaca chatMaritaca;

  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void reset() {
    simulator.reset();
  }

  private String url(String path) {
    return "http://127.0.0.1:" + environment.getProperty("local.server.port") + path;
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url(path)))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url(path))).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  @Test
  void runsOnTheEmbeddedSimulator() {
    assertThat(chatMaritaca.baseUrl()).isEqualTo(simulator.baseUrl());
    assertThat(chatMaritaca.model()).isEqualTo("sabiazinho-4"); // application.properties
  }

  @Test
  void classifiesAListOfTicketsThroughTheBatchEngineAndCountsThem() throws Exception {
    List<String> tickets = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      tickets.add(TICKETS.get(i % TICKETS.size()) + " (pedido " + i + ")");
    }
    double before =
        get("/actuator/metrics/tickets.classified").at("/measurements/0/value").asDouble();
    double batchItemsBefore = metric("maritaca.batch.items.completed");
    double operationsBefore = metric("gen_ai.client.operation");

    HttpResponse<String> response =
        post(
            "/tickets/classify?concurrency=6", JSON.writeValueAsString(Map.of("tickets", tickets)));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode report = JSON.readTree(response.body());
    assertThat(report.get("succeeded").asInt()).isEqualTo(60);
    assertThat(report.get("failed").asInt()).isZero();
    assertThat(report.get("costBrl").decimalValue()).isPositive();
    JsonNode results = report.get("results");
    assertThat(results).hasSize(60);
    for (int i = 0; i < 60; i++) {
      JsonNode r = results.get(i);
      assertThat(r.get("index").asInt()).isEqualTo(i);
      assertThat(r.get("ticket").asText()).isEqualTo(tickets.get(i));
      assertThat(TicketClassifier.CATEGORIES).contains(r.get("category").asText());
      assertThat(TicketClassifier.URGENCIES).contains(r.get("urgency").asText());
    }
    assertThat(simulator.stats().requests()).isEqualTo(60);
    assertThat(simulator.stats().maxInFlight()).isLessThanOrEqualTo(6);
    double after =
        get("/actuator/metrics/tickets.classified").at("/measurements/0/value").asDouble();
    assertThat(after - before).isEqualTo(60.0);
    assertThat(get("/actuator/metrics/tickets.cost").at("/measurements/0/value").asDouble())
        .isPositive();
    // the starter's batch meters, and each batch request in Spring AI's chat timer
    assertThat(metric("maritaca.batch.items.completed") - batchItemsBefore).isEqualTo(60.0);
    assertThat(metric("maritaca.batch.items.failed")).isZero();
    assertThat(metric("maritaca.batch.spent")).isPositive();
    assertThat(metric("gen_ai.client.operation") - operationsBefore).isEqualTo(60.0);
  }

  /** The first measurement of a meter (a counter's count, a timer's count), 0 before any. */
  private double metric(String name) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url("/actuator/metrics/" + name))).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() == 404) {
      return 0;
    }
    assertThat(r.statusCode()).as(name).isEqualTo(200);
    JsonNode m = JSON.readTree(r.body());
    assertThat(m.at("/measurements/0/statistic").asText()).isEqualTo("COUNT");
    return m.at("/measurements/0/value").asDouble();
  }

  @Test
  void classifiesOneTicketThroughChatClientAndObservesIt() throws Exception {
    HttpResponse<String> response =
        post("/tickets/classify-one", "Fui cobrado duas vezes pelo mesmo pedido.");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode label = JSON.readTree(response.body());
    assertThat(TicketClassifier.CATEGORIES).contains(label.get("categoria").asText());
    assertThat(TicketClassifier.URGENCIES).contains(label.get("urgencia").asText());
    JsonNode metric = get("/actuator/metrics/gen_ai.client.operation");
    assertThat(metric.at("/measurements/0/value").asDouble()).isGreaterThanOrEqualTo(1.0);
    assertThat(metric.toString()).contains("maritaca");
  }

  @Test
  void rejectsAnEmptyList() throws Exception {
    assertThat(post("/tickets/classify", "{\"tickets\": []}").statusCode()).isEqualTo(400);
  }

  @Test
  void reportsHealth() throws Exception {
    assertThat(get("/actuator/health").get("status").asText()).isEqualTo("UP");
  }
}
