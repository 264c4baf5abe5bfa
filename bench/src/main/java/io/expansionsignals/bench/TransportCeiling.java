package io.expansionsignals.bench;

import io.expansionsignals.io.registry.ConfluentAvroDecoder;
import io.expansionsignals.io.registry.DecodeResult;
import io.expansionsignals.schema.EngagementEvent;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.UsageEvent;

/**
 * The transport ceiling: one plain consumer reading and Avro-decoding (the job's own decoder,
 * writer-to-reader resolution included) every pre-loaded record, doing nothing else.
 */
public final class TransportCeiling {
    private TransportCeiling() {}

    public static Measurement run(Infra infra, Preloader.Loaded in) {
        ConfluentAvroDecoder<?>[] decoders = decoders(infra);
        long[] ok = new long[1];
        CpuClock clock = new CpuClock();
        TopicReader.readAll(infra.bootstrap(), in.topics(), in.records(), (topic, r) -> {
            DecodeResult<?> d = decoders[topic].decode(r.value());
            if (d.isOk()) {
                ok[0]++;
            }
        });
        long end = System.nanoTime();
        if (ok[0] == 0) {
            throw new IllegalStateException("nothing decoded: the transport ceiling would be meaningless");
        }
        return new Measurement("transport ceiling (consumer + Avro decode)", in.accounts(), in.records(),
                clock.wallSeconds(end), clock.cpuSeconds(), -1, -1);
    }

    static ConfluentAvroDecoder<?>[] decoders(Infra infra) {
        return new ConfluentAvroDecoder<?>[] {
            new ConfluentAvroDecoder<>(SubscriptionEvent.class, infra.registry()),
            new ConfluentAvroDecoder<>(UsageEvent.class, infra.registry()),
            new ConfluentAvroDecoder<>(EngagementEvent.class, infra.registry())};
    }
}
