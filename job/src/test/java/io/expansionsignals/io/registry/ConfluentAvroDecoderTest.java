package io.expansionsignals.io.registry;

import static io.expansionsignals.io.registry.AvroBytes.framed;
import static io.expansionsignals.io.registry.AvroBytes.record;
import static io.expansionsignals.io.registry.AvroBytes.usageEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expansionsignals.schema.DeadLetterReason;
import io.expansionsignals.schema.EngagementEvent;
import io.expansionsignals.schema.EngagementType;
import io.expansionsignals.schema.PlanCatalogUpdate;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.UsageEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Decode outcomes with an in-memory schema lookup; the real registry is in the ITCase. */
class ConfluentAvroDecoderTest {
  private static final int CURRENT = 1;
  private static final int WITHOUT_METRIC = 2;
  private static final int WITH_REGION = 3;
  private static final int ENGAGEMENT_V1 = 4;

  private final Map<Integer, Schema> registry = new HashMap<>(Map.of(
      CURRENT, UsageEvent.getClassSchema(),
      WITHOUT_METRIC, TestSchemas.usageWithoutMetric(),
      WITH_REGION, TestSchemas.usageWithRegion(),
      ENGAGEMENT_V1, TestSchemas.engagementV1()));
  private final AtomicInteger lookups = new AtomicInteger();
  private final SchemaLookup lookup = id -> {
    lookups.incrementAndGet();
    Schema schema = registry.get(id);
    if (schema == null) {
      throw new UnknownSchemaIdException(id, 404, 40403);
    }
    return schema;
  };
  private final ConfluentAvroDecoder<UsageEvent> decoder = new ConfluentAvroDecoder<>(UsageEvent.class, lookup);

  /**
   * A writer schema that encodes exactly as the class's own, whether registered as the class has
   * it or in its parsing canonical form (no logical types, no Java string hints, as other
   * producers register it), is read without resolution, to the values Avro's reader makes.
   */
  @ParameterizedTest
  @ValueSource(classes = {SubscriptionEvent.class, UsageEvent.class, EngagementEvent.class, PlanCatalogUpdate.class})
  @SuppressWarnings("unchecked")
  void aWriterSchemaThatEncodesAsTheClassIsReadWithoutResolutionToWhatAvroReads(Class<? extends SpecificRecord> type)
      throws IOException {
    Schema own = SpecificData.getForClass(type).getSchema(type);
    Schema canonical = new Schema.Parser().parse(SchemaNormalization.toParsingForm(own));
    Map<Integer, Schema> ids = Map.of(1, own, 2, canonical);
    ConfluentAvroDecoder<SpecificRecord> decoder = new ConfluentAvroDecoder<>((Class<SpecificRecord>) type, ids::get);
    SpecificDatumReader<Object> avro = new SpecificDatumReader<>(own, own, SpecificData.getForClass(type));
    Random random = new Random(type.getName().hashCode());
    for (int i = 0; i < 1_000; i++) {
      Object datum = RandomRecords.of(type, random);
      for (int id : ids.keySet()) {
        byte[] framed = framed(id, own, datum);
        DecodeResult<SpecificRecord> result = decoder.decode(framed);
        assertThat(result.isOk()).as(result.toString()).isTrue();
        assertThat(decoder.readsWithoutResolution(id)).isTrue();
        Object expected = avro.read(null, DecoderFactory.get().binaryDecoder(framed, ConfluentWireFormat.HEADER_LENGTH,
            framed.length - ConfluentWireFormat.HEADER_LENGTH, null));
        RandomRecords.assertSameValues(result.record(), expected, type.getSimpleName() + " " + i + " under id " + id);
      }
    }
    assertThat(decoder.readsWithoutResolution(1)).isTrue();
  }

  @Test
  void aWriterSchemaOfAnotherEncodingIsResolved() {
    assertThat(decoder.readsWithoutResolution(WITH_REGION)).isFalse();
  }

  @Test
  void decodesTheCurrentSchemaIncludingTheInstant() {
    UsageEvent event = usageEvent("e-1");
    DecodeResult<UsageEvent> result = decoder.decode(framed(CURRENT, UsageEvent.getClassSchema(), event));
    assertThat(result.isOk()).as(result.toString()).isTrue();
    assertThat(result.record()).isEqualTo(event);
    assertThat(result.record().getOccurredAt()).isEqualTo(Instant.parse("2026-11-23T10:15:30.123Z"));
    assertThat(result.schemaId()).isEqualTo(CURRENT);
  }

  @Test
  void badHeadersAreUndecodableWithoutAskingTheRegistry() {
    assertUndecodable(decoder.decode(null), "null");
    assertUndecodable(decoder.decode(new byte[0]), "0 bytes");
    assertUndecodable(decoder.decode(new byte[] {0, 0, 0, 1}), "4 bytes");
    byte[] good = framed(CURRENT, UsageEvent.getClassSchema(), usageEvent("e-1"));
    good[0] = 1;
    assertUndecodable(decoder.decode(good), "magic byte is 0x01");
    assertThat(lookups).hasValue(0);
  }

  @Test
  void unknownIdIsItsOwnReason() {
    byte[] bytes = framed(99, UsageEvent.getClassSchema(), usageEvent("e-1"));
    DecodeResult<UsageEvent> result = decoder.decode(bytes);
    assertThat(result.reason()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA_ID);
    assertThat(result.schemaId()).isEqualTo(99);
    assertThat(result.detail()).contains("99");
  }

  @Test
  void hugeDeclaredLengthIsRejectedWithoutAllocatingIt() {
    // eventId declares 2^30-1 bytes; Avro itself would allocate 1 GB before noticing.
    byte[] bytes = AvroBytes.concat(ConfluentWireFormat.header(CURRENT),
        new byte[] {(byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 1, 2, 3});
    long start = System.nanoTime();
    DecodeResult<UsageEvent> result = decoder.decode(bytes);
    assertThat(System.nanoTime() - start).isLessThan(500_000_000L);
    assertUndecodable(result, "field eventId: string length 1073741823 but only 3 bytes left");
  }

  @Test
  void truncatedAndTrailingBytesAreUndecodable() {
    byte[] good = framed(CURRENT, UsageEvent.getClassSchema(), usageEvent("e-1"));
    assertUndecodable(decoder.decode(Arrays.copyOf(good, good.length - 1)), "field kind: data ends inside");
    assertUndecodable(decoder.decode(Arrays.copyOf(good, good.length + 2)), "2 trailing bytes");
  }

  @Test
  void enumIndexOutOfRangeIsUndecodable() {
    byte[] bytes = framed(CURRENT, UsageEvent.getClassSchema(), usageEvent("e-1"));
    bytes[bytes.length - 1] = 4; // zig-zag 2: the third symbol of a two-symbol enum
    assertUndecodable(decoder.decode(bytes), "field kind: enum io.expansionsignals.schema.UsageKind index 2");
  }

  @Test
  void randomPayloadsNeverThrowAndAreNeverMisclassified() {
    Random random = new Random(7);
    for (int i = 0; i < 5_000; i++) {
      byte[] payload = new byte[random.nextInt(60)];
      random.nextBytes(payload);
      DecodeResult<UsageEvent> result =
          decoder.decode(AvroBytes.concat(ConfluentWireFormat.header(CURRENT), payload));
      if (!result.isOk()) {
        assertThat(result.reason()).as(result.toString()).isEqualTo(DeadLetterReason.UNDECODABLE);
      }
    }
  }

  @Test
  void writerMissingARequiredFieldIsIncompatibleAndResolvedOnlyOnce() {
    Schema writer = TestSchemas.usageWithoutMetric();
    GenericData.Record old = record(writer, "e-1", "acct-1", 1L, 5L,
        new GenericData.EnumSymbol(writer.getField("kind").schema(), "GAUGE"));
    for (int i = 0; i < 3; i++) {
      DecodeResult<UsageEvent> result = decoder.decode(framed(WITHOUT_METRIC, writer, old));
      assertThat(result.reason()).isEqualTo(DeadLetterReason.INCOMPATIBLE_SCHEMA);
      assertThat(result.detail()).contains("writer schema id 2").contains("metric");
    }
    assertThat(lookups).hasValue(1);
  }

  @Test
  void newerWriterWithAnExtraFieldStillDecodes() {
    Schema writer = TestSchemas.usageWithRegion();
    GenericData.Record newer = record(writer, "e-1", "acct-1", 1_700_000_000_000L, "storage_gb", 7L,
        new GenericData.EnumSymbol(writer.getField("kind").schema(), "GAUGE"), "us");
    DecodeResult<UsageEvent> result = decoder.decode(framed(WITH_REGION, writer, newer));
    assertThat(result.isOk()).as(result.toString()).isTrue();
    assertThat(result.record().getMetric()).isEqualTo("storage_gb");
    assertThat(result.record().getQuantity()).isEqualTo(7L);
    assertThat(result.record().getOccurredAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
  }

  @Test
  void olderWriterGetsTheReaderDefaults() {
    Schema writer = TestSchemas.engagementV1();
    GenericData.Record old = record(writer, "e-1", "acct-1", 1L,
        new GenericData.EnumSymbol(writer.getField("type").schema(), "FEATURE_USED"), null, "exports", null);
    ConfluentAvroDecoder<EngagementEvent> engagement = new ConfluentAvroDecoder<>(EngagementEvent.class, lookup);
    DecodeResult<EngagementEvent> result = engagement.decode(framed(ENGAGEMENT_V1, writer, old));
    assertThat(result.isOk()).as(result.toString()).isTrue();
    assertThat(result.record().getType()).isEqualTo(EngagementType.FEATURE_USED);
    assertThat(result.record().getFeature()).isEqualTo("exports");
    assertThat(result.record().getNpsScore()).isNull();
    assertThat(result.record().getSentiment()).isNull();
  }

  @Test
  void aNonAvroSchemaIsIncompatibleAndLookedUpOnlyOnce() {
    AtomicInteger calls = new AtomicInteger();
    ConfluentAvroDecoder<UsageEvent> d = new ConfluentAvroDecoder<>(UsageEvent.class, id -> {
      calls.incrementAndGet();
      throw new NotAvroSchemaException("schema id " + id + " is a JSON schema, not Avro", null);
    });
    for (int i = 0; i < 3; i++) {
      DecodeResult<UsageEvent> result = d.decode(framed(5, UsageEvent.getClassSchema(), usageEvent("e")));
      assertThat(result.reason()).isEqualTo(DeadLetterReason.INCOMPATIBLE_SCHEMA);
      assertThat(result.schemaId()).isEqualTo(5);
      assertThat(result.detail()).contains("JSON");
    }
    assertThat(calls).as("a schema id's format never changes").hasValue(1);
  }

  @Test
  void registryOutagePropagatesAndTheDecoderRecovers() {
    AtomicInteger calls = new AtomicInteger();
    ConfluentAvroDecoder<UsageEvent> d = new ConfluentAvroDecoder<>(UsageEvent.class, id -> {
      if (calls.incrementAndGet() == 1) {
        throw new RegistryUnavailableException("down", null);
      }
      return UsageEvent.getClassSchema();
    });
    byte[] bytes = framed(CURRENT, UsageEvent.getClassSchema(), usageEvent("e-1"));
    assertThatThrownBy(() -> d.decode(bytes)).isInstanceOf(RegistryUnavailableException.class);
    assertThat(d.decode(bytes).isOk()).isTrue();
  }

  @Test
  void decoderAndSerializerSurviveJavaSerializationAsFlinkShipsThem() throws Exception {
    RegistrySettings settings = RegistrySettings.of("http://registry:8080/apis/ccompat/v7/")
        .withBasicAuth("svc", "secret");
    Object[] originals = {new ConfluentAvroDecoder<>(UsageEvent.class, settings),
        new ConfluentAvroSerializer<>(UsageEvent.class, "usage-events", settings)};
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(originals);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      Object[] copies = (Object[]) in.readObject();
      assertThat(((ConfluentAvroSerializer<?>) copies[1]).subject()).isEqualTo("usage-events-value");
      // A decoder needs no registry for bad headers, so a deserialized copy can show it works.
      assertThat(((ConfluentAvroDecoder<?>) copies[0]).decode(new byte[] {9}).reason())
          .isEqualTo(DeadLetterReason.UNDECODABLE);
    }
    assertThat(settings.url()).isEqualTo("http://registry:8080/apis/ccompat/v7");
    assertThat(settings.toString()).doesNotContain("secret").contains("svc");
  }

  private static void assertUndecodable(DecodeResult<?> result, String detail) {
    assertThat(result.isOk()).isFalse();
    assertThat(result.reason()).isEqualTo(DeadLetterReason.UNDECODABLE);
    assertThat(result.detail()).contains(detail);
  }
}
