package io.github.maritaca4j.simulator.internal;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.GptBytePairEncodingParams;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Compares the simulator's counter (cl100k + digits split) with the real Sabiá vocabulary on
 * Portuguese text. Not a test (the vocabulary is not ours to ship): run with {@code java -cp <test
 * classpath> io.github.maritaca4j.simulator.internal.TokenizerCheck
 * ../shared/tokenizers/sabia.tiktoken [more text files...]}.
 */
public final class TokenizerCheck {
  private TokenizerCheck() {}

  /** The Sabiá encoding from a tiktoken-format file. */
  static Encoding sabia(Path file) throws Exception {
    Map<byte[], Integer> ranks = new HashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
      if (line.isBlank()) {
        continue;
      }
      int sp = line.indexOf(' ');
      ranks.put(
          Base64.getDecoder().decode(line.substring(0, sp)),
          Integer.parseInt(line.substring(sp + 1)));
    }
    return Encodings.newLazyEncodingRegistry()
        .registerGptBytePairEncoding(
            new GptBytePairEncodingParams("sabia", TokenCounter.SPLIT, ranks, Map.of()))
        .getEncoding("sabia")
        .orElseThrow();
  }

  public static void main(String[] args) throws Exception {
    Encoding sabia = sabia(Path.of(args[0]));
    List<String> texts = new ArrayList<>();
    Random rnd = new Random(1);
    for (int i = 0; i < 200; i++) {
      texts.add(Answers.templated(80, rnd, TokenCounter.cl100k()));
    }
    for (String q :
        List.of(
            "Qual é a capital do Brasil?",
            "Quem descobriu o Brasil?",
            "Quem foi Tiradentes?",
            "Qual é o ponto mais alto do Brasil?",
            "Qual é a maior cidade do Brasil?",
            "Olá")) {
      texts.add(q);
      texts.add(Answers.canned(q));
    }
    texts.add("Em 2023, o PIB do Brasil cresceu 2,9%, segundo o IBGE; a inflação fechou em 4,62%.");
    texts.add("Olá, mundo!");
    texts.add("Como vai você?");
    for (int i = 1; i < args.length; i++) {
      texts.add(Files.readString(Path.of(args[i])));
    }
    long ours = 0;
    long real = 0;
    for (String t : texts) {
      ours += TokenCounter.cl100k().count(t);
      real += sabia.countTokensOrdinary(Normalizer.normalize(t, Normalizer.Form.NFC));
    }
    System.out.printf(
        "tokens on %d Portuguese texts: simulator %d, Sabiá vocabulary %d, difference %+.2f %%%n",
        texts.size(), ours, real, 100.0 * (ours - real) / real);
    System.out.printf(
        "\"Olá, mundo!\" sabia=%d, \"Como vai você?\" sabia=%d%n",
        sabia.countTokensOrdinary("Olá, mundo!"), sabia.countTokensOrdinary("Como vai você?"));
  }
}
