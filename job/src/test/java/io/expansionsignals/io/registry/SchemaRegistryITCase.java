package io.expansionsignals.io.registry;

import static io.expansionsignals.io.registry.AvroBytes.framed;
import static io.expansionsignals.io.registry.AvroBytes.record;
import static io.expansionsignals.io.registry.AvroBytes.usageEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expansionsignals.schema.DeadLetterReason;
import io.expansionsignals.schema.EngagementEvent;
import io.expansionsignals.schema.UsageEvent;
import io.expansionsignals.testutils.EmbeddedSchemaRegistry;
import io.expansionsignals.testutils.IndependentConfluentReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client, serializer and decoder against the real registry server built by registry/. */
class SchemaRegistryITCase {
  private static EmbeddedSchemaRegistry registry;

  @BeforeAll
  static void startRegistry() {
    registry = EmbeddedSchemaRegistry.start();
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  private static RegistrySettings settings() {
    return RegistrySettings.of(registry.url()).withRetryTotalTime(Duration.ofSeconds(10));
  }

  /** A fresh client each time, so assertions see the server's answers, not a cache. */
  private static SchemaRegistryClient client() {
    return new SchemaRegistryClient(settings());
  }

  @Test
  void registeringIsIdempotentAndIdsResolveToTheSchema() {
    Schema schema = UsageEvent.getClassSchema();
    int id = client().register("it-register-value", schema);
    assertThat(client().register("it-register-value", schema)).isEqualTo(id);
    assertThat(client().getById(id)).isEqualTo(schema);
    assertThat(client().lookup("it-register-value", schema)).hasValue(id);
  }

  @Test
  void theRegistryServesSchemasWithTheirFieldsInWrittenOrder() {
    // Avro binary follows field order. Apicurio's canonical-hash mode serves fields sorted by
    // name (Apicurio issue #2902): this guards the registry build against turning it back on.
    Schema schema = TestSchemas.parse("{\"type\":\"record\",\"name\":\"Order\",\"fields\":["
        + "{\"name\":\"zulu\",\"type\":\"string\"},{\"name\":\"alpha\",\"type\":\"long\"}]}");
    int id = client().register("it-field-order-value", schema);
    assertThat(client().getById(id).getFields()).extracting(Schema.Field::name).containsExactly("zulu", "alpha");
  }

  @Test
  void serializerOutputDecodesHereAndInAnIndependentConfluentReader() {
    ConfluentAvroSerializer<UsageEvent> serializer =
        new ConfluentAvroSerializer<>(UsageEvent.class, "it-usage-events", settings());
    ConfluentAvroDecoder<UsageEvent> decoder = new ConfluentAvroDecoder<>(UsageEvent.class, settings());
    IndependentConfluentReader independent = new IndependentConfluentReader(registry.url());
    UsageEvent first = usageEvent("e-1");
    UsageEvent second = usageEvent("e-2-longer-id");
    second.setQuantity(-5L);

    byte[] firstBytes = serializer.serialize(first);
    byte[] secondBytes = serializer.serialize(second); // reuses the buffer: must not alias
    assertThat(firstBytes[0]).isZero();
    assertThat(ConfluentWireFormat.readSchemaId(firstBytes)).isEqualTo(serializer.schemaId());
    assertThat(client().lookup("it-usage-events-value", UsageEvent.getClassSchema()))
        .hasValue(serializer.schemaId());

    assertThat(decoder.decode(firstBytes).record()).isEqualTo(first);
    assertThat(decoder.decode(secondBytes).record()).isEqualTo(second);

    assertThat(independent.schemaId(secondBytes)).isEqualTo(serializer.schemaId());
    GenericRecord generic = independent.read(secondBytes);
    assertThat(generic.get("eventId").toString()).isEqualTo("e-2-longer-id");
    assertThat(generic.get("accountId").toString()).isEqualTo("acct-42");
    assertThat(generic.get("occurredAt")).isEqualTo(second.getOccurredAt().toEpochMilli());
    assertThat(generic.get("quantity")).isEqualTo(-5L);
    assertThat(generic.get("kind").toString()).isEqualTo("DELTA");
  }

  @Test
  void aRecordThatFailsToEncodeLeavesNothingBehindInTheNext() {
    ConfluentAvroSerializer<UsageEvent> serializer =
        new ConfluentAvroSerializer<>(UsageEvent.class, "it-usage-events-failing", settings());
    ConfluentAvroDecoder<UsageEvent> decoder = new ConfluentAvroDecoder<>(UsageEvent.class, settings());
    UsageEvent broken = usageEvent("e-broken");
    broken.setMetric(null); // required: fails after eventId, accountId and occurredAt were encoded
    assertThatThrownBy(() -> serializer.serialize(broken)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("UsageEvent.metric");
    UsageEvent next = usageEvent("e-next");
    assertThat(decoder.decode(serializer.serialize(next)).record()).isEqualTo(next);
  }

  @Test
  void withoutAutoRegisterTheSchemaMustExistAndTheErrorNamesTheSubject() {
    RegistrySettings noAuto = settings().withAutoRegister(false);
    ConfluentAvroSerializer<UsageEvent> missing =
        new ConfluentAvroSerializer<>(UsageEvent.class, "it-unregistered", noAuto);
    assertThatThrownBy(() -> missing.serialize(usageEvent("e")))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("'it-unregistered-value'")
        .hasMessageContaining("not registered");

    int id = client().register("it-preregistered-value", UsageEvent.getClassSchema());
    assertThat(new ConfluentAvroSerializer<>(UsageEvent.class, "it-preregistered", noAuto).schemaId())
        .isEqualTo(id);
  }

  @Test
  void unknownIdAndGarbageBecomeDeadLetterReasons() {
    ConfluentAvroDecoder<UsageEvent> decoder = new ConfluentAvroDecoder<>(UsageEvent.class, settings());
    DecodeResult<UsageEvent> unknown = decoder.decode(framed(987_654, UsageEvent.getClassSchema(), usageEvent("e")));
    assertThat(unknown.reason()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA_ID);
    assertThat(unknown.schemaId()).isEqualTo(987_654);

    assertThat(decoder.decode("{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8)).reason())
        .isEqualTo(DeadLetterReason.UNDECODABLE);
    int id = client().register("it-garbage-value", UsageEvent.getClassSchema());
    byte[] garbage = AvroBytes.concat(ConfluentWireFormat.header(id), new byte[] {(byte) 0xff, 1, 2});
    DecodeResult<UsageEvent> result = decoder.decode(garbage);
    assertThat(result.reason()).isEqualTo(DeadLetterReason.UNDECODABLE);
    assertThat(result.schemaId()).isEqualTo(id);
  }

  @Test
  void theServerEnforcesBackwardCompatibility() {
    int v1 = client().register("it-compat-value", UsageEvent.getClassSchema());
    // A new required field is not BACKWARD compatible: the new reader could not read old records.
    assertThatThrownBy(() -> client().register("it-compat-value", TestSchemas.usageWithRequiredRegion()))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(409));
    // The same field with a default is.
    assertThat(client().register("it-compat-value", TestSchemas.usageWithRegion())).isNotEqualTo(v1);

    // A per-subject level overrides the global one. (Not NONE: Apicurio treats a subject's NONE
    // as "no rule of its own" and still applies the global BACKWARD.)
    client().register("it-compat-forward-value", UsageEvent.getClassSchema());
    client().setCompatibility("it-compat-forward-value", "FORWARD");
    assertThat(client().register("it-compat-forward-value", TestSchemas.usageWithRequiredRegion())).isPositive();
  }

  @Test
  void recordsFromAnOlderProducerDecodeWithReaderDefaults() {
    Schema v1 = TestSchemas.engagementV1();
    int oldId = client().register("it-engagement-value", v1);
    int currentId = client().register("it-engagement-value", EngagementEvent.getClassSchema());
    assertThat(currentId).isNotEqualTo(oldId);
    GenericData.Record old = record(v1, "e-1", "acct-1", 1_700_000_000_000L,
        new GenericData.EnumSymbol(v1.getField("type").schema(), "SUPPORT_TICKET"), null, "exports", null);
    byte[] bytes = framed(oldId, v1, old);

    DecodeResult<EngagementEvent> result =
        new ConfluentAvroDecoder<>(EngagementEvent.class, settings()).decode(bytes);
    assertThat(result.isOk()).as(result.toString()).isTrue();
    assertThat(result.record().getFeature()).isEqualTo("exports");
    assertThat(result.record().getSentiment()).isNull();
    assertThat(result.record().getNpsScore()).isNull();
    assertThat(new IndependentConfluentReader(registry.url()).read(bytes).getSchema().getField("npsScore")).isNull();
  }

  @Test
  void aWriterSchemaThatCannotBeResolvedIsIncompatible() {
    Schema legacy = TestSchemas.usageWithoutMetric();
    int id = client().register("it-legacy-usage-value", legacy);
    GenericData.Record old = record(legacy, "e-1", "acct-1", 1L, 5L,
        new GenericData.EnumSymbol(legacy.getField("kind").schema(), "GAUGE"));
    DecodeResult<UsageEvent> result =
        new ConfluentAvroDecoder<>(UsageEvent.class, settings()).decode(framed(id, legacy, old));
    assertThat(result.reason()).isEqualTo(DeadLetterReason.INCOMPATIBLE_SCHEMA);
    assertThat(result.detail()).contains("metric");
  }

  @Test
  void anOutageIsAnExceptionNotADeadLetterAndDecodingResumesAfterRestart() {
    int seenId = client().register("it-outage-value", UsageEvent.getClassSchema());
    int unseenId = client().register("it-outage-value", TestSchemas.usageWithRegion());
    RegistrySettings impatient = settings().withRetryTotalTime(Duration.ofSeconds(2))
        .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2));
    ConfluentAvroDecoder<UsageEvent> decoder = new ConfluentAvroDecoder<>(UsageEvent.class, impatient);
    byte[] seen = framed(seenId, UsageEvent.getClassSchema(), usageEvent("e-seen"));
    Schema region = TestSchemas.usageWithRegion();
    byte[] unseen = framed(unseenId, region, record(region, "e-unseen", "acct-1", 1L, "seats", 3L,
        new GenericData.EnumSymbol(region.getField("kind").schema(), "GAUGE"), "us"));
    assertThat(decoder.decode(seen).isOk()).isTrue();

    registry.stop();
    try {
      assertThat(decoder.decode(seen).isOk()).as("cached writer ids need no registry").isTrue();
      long start = System.nanoTime();
      assertThatThrownBy(() -> decoder.decode(unseen)).isInstanceOf(RegistryUnavailableException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).as("retried for the configured time")
          .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
      assertThatThrownBy(() -> new ConfluentAvroSerializer<>(UsageEvent.class, "it-outage-new", impatient)
          .serialize(usageEvent("e"))).isInstanceOf(RegistryUnavailableException.class);
    } finally {
      registry.restart();
    }

    DecodeResult<UsageEvent> after = decoder.decode(unseen);
    assertThat(after.isOk()).as(after.toString()).isTrue();
    assertThat(after.record().getEventId()).isEqualTo("e-unseen");
    assertThat(client().getById(unseenId)).as("ids survive a restart").isEqualTo(region);
  }
}
