package io.expansionsignals.io.registry;

import org.apache.avro.Schema;

/** Writer schemas built by hand, as other (older, newer, broken) producers would have them. */
final class TestSchemas {
  private TestSchemas() {}

  private static final String KIND =
      "{\"type\":\"enum\",\"name\":\"UsageKind\",\"symbols\":[\"DELTA\",\"GAUGE\"]}";
  private static final String TS = "{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}";

  /** UsageEvent without "metric", which the reader requires and has no default for. */
  static Schema usageWithoutMetric() {
    return parse("{\"type\":\"record\",\"name\":\"UsageEvent\",\"namespace\":\"io.expansionsignals.schema\","
        + "\"fields\":[{\"name\":\"eventId\",\"type\":\"string\"},{\"name\":\"accountId\",\"type\":\"string\"},"
        + "{\"name\":\"occurredAt\",\"type\":" + TS + "},{\"name\":\"quantity\",\"type\":\"long\"},"
        + "{\"name\":\"kind\",\"type\":" + KIND + "}]}");
  }

  /** A newer UsageEvent with an extra field "region" that today's reader does not know. */
  static Schema usageWithRegion() {
    return parse("{\"type\":\"record\",\"name\":\"UsageEvent\",\"namespace\":\"io.expansionsignals.schema\","
        + "\"fields\":[{\"name\":\"eventId\",\"type\":\"string\"},{\"name\":\"accountId\",\"type\":\"string\"},"
        + "{\"name\":\"occurredAt\",\"type\":" + TS + "},{\"name\":\"metric\",\"type\":\"string\"},"
        + "{\"name\":\"quantity\",\"type\":\"long\"},{\"name\":\"kind\",\"type\":" + KIND + "},"
        + "{\"name\":\"region\",\"type\":\"string\",\"default\":\"eu\"}]}");
  }

  /** A UsageEvent with a new required field: readers of this version cannot read old data. */
  static Schema usageWithRequiredRegion() {
    return parse(usageWithRegion().toString().replace(",\"default\":\"eu\"", ""));
  }

  /** An older EngagementEvent, before "sentiment" and "npsScore" (both default null) existed. */
  static Schema engagementV1() {
    return parse("{\"type\":\"record\",\"name\":\"EngagementEvent\",\"namespace\":\"io.expansionsignals.schema\","
        + "\"fields\":[{\"name\":\"eventId\",\"type\":\"string\"},{\"name\":\"accountId\",\"type\":\"string\"},"
        + "{\"name\":\"occurredAt\",\"type\":" + TS + "},"
        + "{\"name\":\"type\",\"type\":{\"type\":\"enum\",\"name\":\"EngagementType\",\"symbols\":"
        + "[\"ACTIVE_USERS\",\"FEATURE_USED\",\"FEATURE_GATE_HIT\",\"SUPPORT_TICKET\",\"NPS_RESPONSE\","
        + "\"PAYMENT_FAILED\",\"PAYMENT_RECOVERED\"]}},"
        + "{\"name\":\"activeUsers\",\"type\":[\"null\",\"int\"],\"default\":null},"
        + "{\"name\":\"feature\",\"type\":[\"null\",\"string\"],\"default\":null},"
        + "{\"name\":\"featureTier\",\"type\":[\"null\",\"string\"],\"default\":null}]}");
  }

  static Schema parse(String json) {
    return new Schema.Parser().parse(json);
  }
}
