package io.github.maritaca4j.internal.batch;

import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * The request that asks again for an answer the batch's validator rejected: the original
 * conversation, the rejected answer as the assistant's turn, and a user message listing its
 * problems. In Portuguese, the language of the Sabiá models. Stateless.
 */
final class Repairs {
  /** The most problems listed in one repair message. */
  static final int MAX_PROBLEMS = 20;

  private Repairs() {}

  static ChatRequest request(ChatRequest original, ChatResult rejected, List<String> problems) {
    List<Message> m = new ArrayList<>(original.messages());
    String answer = rejected.content();
    m.add(Message.assistant(answer == null || answer.isEmpty() ? "(resposta vazia)" : answer));
    m.add(Message.user(text(problems)));
    return original.withMessages(m);
  }

  static String text(List<String> problems) {
    StringBuilder sb =
        new StringBuilder(
            "A resposta anterior não é válida segundo o formato pedido (JSON Schema). Problemas:\n");
    int n = Math.min(problems.size(), MAX_PROBLEMS);
    for (int i = 0; i < n; i++) {
      sb.append("- ").append(problems.get(i)).append('\n');
    }
    if (problems.size() > n) {
      sb.append("- (e mais ").append(problems.size() - n).append(")\n");
    }
    sb.append("Responda de novo apenas com o JSON corrigido, sem nenhum texto fora dele.");
    return sb.toString();
  }
}
