package io.github.maritaca4j.batchapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.TestClocks;
import io.github.maritaca4j.errors.NotFoundException;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Batch API client against the simulator: files and batches. */
class BatchApiClientTest {
  @TempDir Path dir;

  @Test
  void uploadsCreatesPollsAndDownloads() throws Exception {
    try (MaritacaSimulator sim =
        MaritacaSimulator.builder().batchPace(Duration.ofMillis(20)).start()) {
      BatchApiClient api =
          BatchApiClient.of(
              ChatMaritaca.builder()
                  .baseUrl(sim.baseUrl())
                  .apiKey("test-key")
                  .clock(TestClocks.peak())
                  .build());
      Path in = dir.resolve("in.jsonl");
      Files.writeString(
          in,
          "{\"custom_id\":\"r1\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
              + "\"body\":{\"model\":\"sabia-4\",\"messages\":[{\"role\":\"user\","
              + "\"content\":\"Qual é a capital do Brasil?\"}],\"max_tokens\":30}}\n");
      FileObject f = api.uploadFile(in);
      assertThat(f.id()).isNotBlank();
      assertThat(f.bytes()).isEqualTo(Files.size(in));
      assertThat(api.getFile(f.id()).filename()).isEqualTo("in.jsonl");
      assertThat(api.listFiles()).extracting(FileObject::id).contains(f.id());

      Batch b = api.createBatch(f.id(), Map.of("job", "t"));
      assertThat(b.inputFileId()).isEqualTo(f.id());
      assertThat(b.metadata()).containsEntry("job", "t");
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (!b.status().isTerminal() && System.nanoTime() < deadline) {
        Thread.sleep(30);
        b = api.getBatch(b.id());
      }
      assertThat(b.status()).isEqualTo(BatchStatus.COMPLETED);
      assertThat(b.total()).isEqualTo(1);
      assertThat(b.completed()).isEqualTo(1);
      Path got = dir.resolve("got.jsonl");
      api.downloadFile(b.outputFileId(), got);
      assertThat(Files.readString(got)).contains("\"custom_id\":\"r1\"").contains("Brasília");
      assertThat(api.listBatches(10, null).data()).extracting(Batch::id).contains(b.id());
      assertThat(api.deleteFile(f.id())).isTrue();
      assertThatThrownBy(() -> api.getFile(f.id())).isInstanceOf(NotFoundException.class);
    }
  }
}
