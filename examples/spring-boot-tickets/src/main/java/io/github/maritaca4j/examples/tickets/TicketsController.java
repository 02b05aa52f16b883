package io.github.maritaca4j.examples.tickets;

import java.util.List;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code POST /tickets/classify}: a JSON list of tickets in, their classifications out, through the
 * batch engine. {@code POST /tickets/classify-one}: one ticket through Spring AI's {@code
 * ChatClient} (observed as {@code gen_ai.client.operation}).
 */
@RestController
@RequestMapping("/tickets")
class TicketsController {
  private final TicketClassifier classifier;
  private final ChatClient chat;

  TicketsController(TicketClassifier classifier, ChatClient.Builder chat) {
    this.classifier = classifier;
    this.chat = chat.build();
  }

  /** The request body: the tickets' texts. */
  record ClassifyRequest(List<String> tickets) {}

  @PostMapping("/classify")
  TicketClassifier.Report classify(
      @RequestBody ClassifyRequest request,
      @RequestParam(name = "concurrency", defaultValue = "8") int concurrency) {
    if (request == null || request.tickets() == null || request.tickets().isEmpty()) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "no tickets");
    }
    if (request.tickets().size() > 10_000 || concurrency < 1 || concurrency > 64) {
      throw new ResponseStatusException(
          HttpStatus.BAD_REQUEST, "at most 10000 tickets, concurrency 1 to 64");
    }
    return classifier.classify(request.tickets(), concurrency);
  }

  /** A ticket's category. */
  enum Categoria {
    cobranca,
    acesso,
    entrega,
    defeito,
    cancelamento,
    outro
  }

  /** A ticket's urgency. */
  enum Urgencia {
    baixa,
    media,
    alta
  }

  /** One ticket's label, as structured output. */
  record Label(Categoria categoria, Urgencia urgencia, String resumo) {}

  @PostMapping("/classify-one")
  Label classifyOne(@RequestBody String ticket) {
    if (ticket == null || ticket.isBlank()) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "no ticket");
    }
    return chat.prompt()
        .system("Você classifica tickets de suporte de uma loja online brasileira.")
        .user(ticket)
        .call()
        .entity(Label.class, spec -> spec.useProviderStructuredOutput());
  }
}
