package io.github.maritaca4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic Portuguese prompts. Every prompt of a run has the same number of tokens: prompts
 * differ only in a zero-padded number, and the Sabiá split pattern makes every digit a token of its
 * own, so a TPM floor can be computed from one request's {@code prompt_tokens}.
 */
final class Prompts {
  private static final String[] WORDS = {
    "análise",
    "contrato",
    "cláusula",
    "rescisão",
    "prazo",
    "pagamento",
    "empresa",
    "fornecedor",
    "serviço",
    "obrigação",
    "responsabilidade",
    "indenização",
    "garantia",
    "multa",
    "juros",
    "correção",
    "índice",
    "reajuste",
    "vigência",
    "renovação",
    "notificação",
    "açúcar",
    "café",
    "exportação",
    "safra",
    "colheita",
    "região",
    "município",
    "população",
    "educação",
    "saúde",
    "hospital",
    "atendimento",
    "paciente",
    "médico",
    "consulta",
    "exame",
    "resultado",
    "relatório",
    "gestão",
    "orçamento",
    "previsão",
    "receita",
    "despesa",
    "balanço",
    "patrimônio",
    "ação",
    "acionista",
    "dividendo",
    "mercado",
    "inflação",
    "câmbio",
    "dólar",
    "real",
    "política",
    "econômica",
    "governo",
    "eleição",
    "votação",
    "legislação",
    "tribunal",
    "decisão",
    "recurso",
    "apelação",
    "sentença",
    "juiz",
    "advogado",
    "petição",
    "processo",
    "prova",
    "testemunha",
    "audiência",
    "conciliação",
    "acordo",
    "negociação",
    "proposta",
    "cliente",
    "usuário",
    "sistema",
    "aplicação",
    "função",
    "variável",
    "memória",
    "desempenho",
    "avaliação",
    "questão",
    "pergunta",
    "resposta",
    "explicação",
    "exemplo",
    "histórico",
    "tradição",
    "cultura",
    "música",
    "literatura",
    "poesia",
    "romance",
    "autor",
    "personagem",
    "narrativa",
    "capítulo",
    "página",
    "biblioteca",
    "são",
    "não",
    "também",
    "porém",
    "então",
    "além",
    "através",
    "após",
    "até",
    "já",
    "só",
    "há",
    "é",
    "está",
    "será",
    "foram",
    "tinha",
    "pôde",
    "têm",
    "vêm",
    "mês",
    "três",
    "português",
    "brasileiro",
    "nação",
    "coração",
    "razão",
    "atenção",
    "informação",
    "comunicação",
    "tecnologia",
    "inteligência",
    "artificial",
    "linguagem",
    "modelo",
    "treinamento",
    "conjunto",
    "dados",
    "precisão",
    "estimativa",
    "custo",
    "preço",
    "cobrança",
    "fatura",
    "imposto",
    "tributação",
  };

  private static final String[] CONNECTORS = {
    "de", "da", "do", "em", "na", "no", "com", "para", "por", "sobre", "e", "ou", "que", "a", "o",
    "as", "os", "uma", "um", "à", "às", "pela", "pelo", "entre", "sem",
  };

  private Prompts() {}

  /** {@code n} prompts of {@code fillerWords} filler words each, all of the same token count. */
  static List<String> generate(int n, int fillerWords) {
    String filler = text(new Random(7), fillerWords);
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(prompt(i, filler));
    }
    return out;
  }

  /** Prompt number {@code i} with the given filler. */
  static String prompt(int i, String filler) {
    return String.format("Pergunta %07d: resuma em uma frase o texto a seguir. %s", i, filler);
  }

  /** The filler of {@link #generate}. */
  static String filler(int fillerWords) {
    return text(new Random(7), fillerWords);
  }

  /** Pseudo-Portuguese prose of {@code words} words: sentences of 6 to 18 words, accented. */
  static String text(Random rnd, int words) {
    StringBuilder sb = new StringBuilder(words * 9);
    int inSentence = 0;
    int sentenceLength = 6 + rnd.nextInt(13);
    for (int w = 0; w < words; w++) {
      String word =
          rnd.nextInt(3) == 0
              ? CONNECTORS[rnd.nextInt(CONNECTORS.length)]
              : WORDS[rnd.nextInt(WORDS.length)];
      if (inSentence == 0) {
        sb.append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
      } else {
        sb.append(word);
      }
      inSentence++;
      if (inSentence == sentenceLength || w == words - 1) {
        sb.append(rnd.nextInt(5) == 0 ? "? " : ". ");
        inSentence = 0;
        sentenceLength = 6 + rnd.nextInt(13);
      } else if (rnd.nextInt(9) == 0) {
        sb.append(", ");
      } else {
        sb.append(' ');
      }
    }
    return sb.toString().strip();
  }
}
