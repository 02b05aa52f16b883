package io.github.maritaca4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.maritaca4j.errors.ConnectionException;
import io.github.maritaca4j.errors.MaritacaException;
import io.github.maritaca4j.internal.ErrorMapper;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * What a failed connection says: a host name without an address is not a refused connection. Needs
 * no network: {@code .invalid} never resolves (RFC 2606), and the refused port is on 127.0.0.1.
 */
class ConnectionFailureMessagesTest {
  private static final List<Message> ASK = List.of(Message.user("Qual é a capital do Brasil?"));

  private static ChatMaritaca client(String baseUrl) {
    return ChatMaritaca.builder()
        .baseUrl(baseUrl)
        .apiKey("test-key")
        .allowInsecureHttp(true)
        .clock(TestClocks.peak())
        .maxRetries(0)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  @Test
  void anUnknownHostIsReportedAsOneNotAsARefusal() {
    ChatMaritaca c = client("http://no-such-host.invalid/api");
    assertThatThrownBy(() -> c.invoke(ASK))
        .isInstanceOf(ConnectionException.class)
        .hasMessageStartingWith("cannot resolve host no-such-host.invalid")
        .hasMessageNotContaining("refused")
        .hasMessageNotContaining("ConnectException");
    assertThat(
            MaritacaException.unwrap(
                catchThrowable(() -> c.stream(ASK, new StreamHandler() {}).join())))
        .isInstanceOf(ConnectionException.class)
        .hasMessageStartingWith("cannot resolve host no-such-host.invalid");
    assertThatThrownBy(c::listModels)
        .isInstanceOf(ConnectionException.class)
        .hasMessageStartingWith("cannot resolve host no-such-host.invalid");
  }

  @Test
  void aClosedPortIsARefusal() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = free.getLocalPort(); // closed again: nothing listens there
    }
    ChatMaritaca c = client("http://127.0.0.1:" + port + "/api");
    assertThatThrownBy(() -> c.invoke(ASK))
        .isInstanceOf(ConnectionException.class)
        .hasMessage(
            "cannot connect to 127.0.0.1:"
                + port
                + ": connection refused (is the server running?)");
  }

  @Test
  void theCauseChainDecidesNotTheOuterException() {
    ConnectException unresolved = new ConnectException();
    unresolved.initCause(new UnresolvedAddressException());
    assertThat(ErrorMapper.fromThrowable(new CompletionException(unresolved), "api.example:8443"))
        .isInstanceOf(ConnectionException.class)
        .hasMessageStartingWith("cannot resolve host api.example (");
    assertThat(
            ErrorMapper.fromThrowable(
                new CompletionException(new UnresolvedAddressException()), "api.example"))
        .isInstanceOf(ConnectionException.class)
        .hasMessageStartingWith("cannot resolve host api.example (");
    assertThat(
            ErrorMapper.fromThrowable(
                new CompletionException(new java.net.UnknownHostException("api.example")),
                "api.example"))
        .isInstanceOf(ConnectionException.class)
        .hasMessageStartingWith("cannot resolve host api.example (");
    ConnectException refused = new ConnectException();
    refused.initCause(new ClosedChannelException());
    assertThat(ErrorMapper.fromThrowable(new CompletionException(refused), "h:1"))
        .hasMessage("cannot connect to h:1: connection refused (is the server running?)");
  }
}
