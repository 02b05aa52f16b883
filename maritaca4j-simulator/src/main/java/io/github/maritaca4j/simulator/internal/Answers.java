package io.github.maritaca4j.simulator.internal;

import java.text.Normalizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The canned answers (demo questions) and the templated Portuguese text. Thread-safe. */
final class Answers {

  private record Country(String pt, String en, String article, String namePt, String capital) {}

  private static final List<Country> COUNTRIES =
      List.of(
          new Country("brasil", "brazil", "do", "Brasil", "Brasília"),
          new Country("argentina", "argentina", "da", "Argentina", "Buenos Aires"),
          new Country("chile", "chile", "do", "Chile", "Santiago"),
          new Country("peru", "peru", "do", "Peru", "Lima"),
          new Country("colombia", "colombia", "da", "Colômbia", "Bogotá"),
          new Country("uruguai", "uruguay", "do", "Uruguai", "Montevidéu"),
          new Country("paraguai", "paraguay", "do", "Paraguai", "Assunção"),
          new Country("bolivia", "bolivia", "da", "Bolívia", "Sucre (sede do governo: La Paz)"),
          new Country("venezuela", "venezuela", "da", "Venezuela", "Caracas"),
          new Country("equador", "ecuador", "do", "Equador", "Quito"),
          new Country("portugal", "portugal", "de", "Portugal", "Lisboa"),
          new Country("franca", "france", "da", "França", "Paris"),
          new Country("espanha", "spain", "da", "Espanha", "Madri"),
          new Country("italia", "italy", "da", "Itália", "Roma"),
          new Country("alemanha", "germany", "da", "Alemanha", "Berlim"),
          new Country("japao", "japan", "do", "Japão", "Tóquio"),
          new Country("mexico", "mexico", "do", "México", "Cidade do México"),
          new Country("canada", "canada", "do", "Canadá", "Ottawa"),
          new Country("estados unidos", "united states", "dos", "Estados Unidos", "Washington"));

  private static final Map<String, String> EN_CAPITALS =
      Map.of(
          "Brasília", "Brasília",
          "Montevidéu", "Montevideo",
          "Assunção", "Asunción",
          "Madri", "Madrid",
          "Roma", "Rome",
          "Berlim", "Berlin",
          "Tóquio", "Tokyo",
          "Cidade do México", "Mexico City",
          "Sucre (sede do governo: La Paz)", "Sucre (seat of government: La Paz)",
          "Lisboa", "Lisbon");

  private static final Pattern PT_CAPITAL =
      Pattern.compile(
          "capital (?:do |da |de |dos |das )?(?:estado |pais )?(?:do |da |de )?([a-z ]+)");
  private static final Pattern EN_CAPITAL =
      Pattern.compile("capital (?:city )?of (?:the )?([a-z ]+)");

  /** Normalised question → answer. */
  private static final Map<String, String> QA = new LinkedHashMap<>();

  static {
    QA.put(
        "quem descobriu o brasil",
        "O Brasil foi descoberto pela esquadra de Pedro Álvares Cabral, em 22 de abril de 1500.");
    QA.put(
        "qual e o maior rio do brasil",
        "O maior rio do Brasil é o Amazonas, também o mais volumoso do mundo.");
    QA.put("quantos estados tem o brasil", "O Brasil tem 26 estados e o Distrito Federal.");
    QA.put("qual e a lingua oficial do brasil", "A língua oficial do Brasil é o português.");
    QA.put("qual e a moeda do brasil", "A moeda do Brasil é o real (R$).");
    QA.put("qual e o maior estado do brasil", "O maior estado do Brasil em área é o Amazonas.");
    QA.put(
        "quem escreveu dom casmurro",
        "Dom Casmurro foi escrito por Machado de Assis e publicado em 1899.");
    QA.put(
        "qual e o ponto mais alto do brasil",
        "O ponto mais alto do Brasil é o Pico da Neblina, com cerca de 2.995 metros.");
    QA.put(
        "quem foi tiradentes",
        "Tiradentes foi Joaquim José da Silva Xavier, líder da Inconfidência Mineira, executado em"
            + " 1792.");
    QA.put(
        "qual e a maior cidade do brasil",
        "A maior cidade do Brasil é São Paulo, com mais de 11 milhões de habitantes.");
    QA.put(
        "em que ano o brasil se tornou independente",
        "O Brasil declarou a independência em 7 de setembro de 1822.");
    QA.put("quanto e 2 2", "2 + 2 = 4.");
    QA.put("ola", "Olá! Como posso ajudar você hoje?");
    QA.put("oi", "Oi! Em que posso ajudar?");
    QA.put("hello", "Hello! How can I help you today?");
    QA.put("who discovered brazil", "Brazil was reached by Pedro Álvares Cabral's fleet in 1500.");
    QA.put(
        "what is the largest river in brazil",
        "The largest river in Brazil is the Amazon, also the largest in the world by volume.");
  }

  private static final String[] SUBJECTS = {
    "Este tema",
    "A questão apresentada",
    "O ponto principal",
    "Uma análise cuidadosa",
    "A experiência prática",
    "O contexto brasileiro",
    "Cada etapa do processo",
    "A literatura sobre o assunto",
    "Uma boa estratégia",
    "O cenário atual",
    "A maioria dos especialistas",
    "Esse tipo de situação"
  };
  private static final String[] VERBS = {
    "mostra", "sugere", "indica", "reforça", "envolve", "exige", "revela", "destaca", "considera"
  };
  private static final String[] OBJECTS = {
    "uma relação clara entre causa e efeito",
    "vários fatores relevantes",
    "a importância do planejamento",
    "um equilíbrio entre custo e benefício",
    "diferentes pontos de vista",
    "atenção aos detalhes",
    "uma mudança gradual de hábitos",
    "o papel da comunicação",
    "a necessidade de dados confiáveis",
    "o valor da colaboração"
  };
  private static final String[] COMPLEMENTS = {
    "no dia a dia",
    "ao longo do tempo",
    "em situações reais",
    "para a maioria das pessoas",
    "de forma consistente",
    "em diversos setores da economia",
    "nas grandes cidades",
    "quando há pouco tempo disponível",
    "em projetos de longo prazo",
    "sem grandes custos"
  };
  private static final String[] OPENERS = {
    "Boa pergunta.", "Vamos por partes.", "Em resumo, há alguns pontos a considerar.", "Claro."
  };

  private Answers() {}

  /** Lower case, no accents, no punctuation, single spaces. */
  static String normalize(String s) {
    String d = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
    d = d.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 ]+", " ");
    return d.replaceAll("\\s+", " ").trim();
  }

  /** The canned answer to {@code question}, or null. */
  static String canned(String question) {
    if (question == null) {
      return null;
    }
    String q = normalize(question);
    if (q.isEmpty()) {
      return null;
    }
    Matcher en = EN_CAPITAL.matcher(q);
    if (en.find()) {
      for (Country c : COUNTRIES) {
        if (en.group(1).startsWith(c.en())) {
          String cap = EN_CAPITALS.getOrDefault(c.capital(), c.capital());
          String name = c.en().substring(0, 1).toUpperCase(Locale.ROOT) + c.en().substring(1);
          if (c.en().equals("united states")) {
            name = "the United States";
          }
          return "The capital of " + name + " is " + cap + ".";
        }
      }
    }
    Matcher pt = PT_CAPITAL.matcher(q);
    if (pt.find()) {
      for (Country c : COUNTRIES) {
        if (pt.group(1).startsWith(c.pt())) {
          return "A capital " + c.article() + " " + c.namePt() + " é " + c.capital() + ".";
        }
      }
    }
    String exact = QA.get(q);
    if (exact != null) {
      return exact;
    }
    for (Map.Entry<String, String> e : QA.entrySet()) {
      if (e.getKey().length() >= 8 && q.contains(e.getKey())) {
        return e.getValue();
      }
    }
    return null;
  }

  /** One templated sentence (starts with a capital, ends with a period). */
  static String sentence(Random rnd) {
    return SUBJECTS[rnd.nextInt(SUBJECTS.length)]
        + " "
        + VERBS[rnd.nextInt(VERBS.length)]
        + " "
        + OBJECTS[rnd.nextInt(OBJECTS.length)]
        + " "
        + COMPLEMENTS[rnd.nextInt(COMPLEMENTS.length)]
        + ".";
  }

  /**
   * Templated Portuguese text of at least {@code targetTokens} tokens, ending at the first sentence
   * end at or after the target.
   */
  static String templated(int targetTokens, Random rnd, TokenCounter tokens) {
    StringBuilder sb = new StringBuilder(OPENERS[rnd.nextInt(OPENERS.length)]);
    int count = tokens.count(sb.toString());
    while (count < targetTokens) {
      String s = " " + sentence(rnd);
      count += tokens.count(s);
      sb.append(s);
    }
    return sb.toString();
  }
}
