package io.expansionsignals.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.domain.AccountEngine;
import io.expansionsignals.domain.AccountState;
import io.expansionsignals.domain.EngineSettings;
import io.expansionsignals.domain.PeriodTotals;
import io.expansionsignals.schema.UsageEvent;
import io.expansionsignals.testutils.Catalogs;
import io.expansionsignals.testutils.Events;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The account state is a Flink POJO all the way down, no field falling back to Kryo: the job
 * writes it with {@code AccountStateSerializer}, but state of 0.1 was written by the POJO
 * serializer, and restoring it reads it with that serializer before migrating.
 */
class StateSerializationTest {
    private static SerializerConfigImpl noGenericTypes() {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false); // what pipeline.generic-types: false does in the job
        return config;
    }

    @Test
    void accountStateIsAPojoWithoutGenericFields() {
        TypeInformation<AccountState> info = TypeInformation.of(AccountState.class);
        assertThat(info).isInstanceOf(PojoTypeInfo.class);
        PojoTypeInfo<AccountState> pojo = (PojoTypeInfo<AccountState>) info;
        for (int i = 0; i < pojo.getArity(); i++) {
            assertThat(pojo.getPojoFieldAt(i).getTypeInformation())
                    .as("field %s", pojo.getPojoFieldAt(i).getField().getName())
                    .isNotInstanceOf(GenericTypeInfo.class);
        }
        assertThat(TypeInformation.of(PeriodTotals.class)).isInstanceOf(PojoTypeInfo.class);
    }

    @Test
    void aFilledAccountStateRoundTripsThroughItsSerializerWithGenericTypesDisabled() throws Exception {
        AccountEngine engine = new AccountEngine(EngineSettings.builder().fx(Catalogs.fx()).catalog(Catalogs.standard()).build());
        AccountState a = AccountEngine.newAccount("acme");
        engine.onSubscription(a, Events.created("acme", Events.day(0), 10_000, Map.of("api_calls", 100L)), 0);
        UsageEvent u = Events.gauge("acme", "storage_gb", 90, Events.day(1));
        engine.onUsage(a, u, 0);
        engine.onEngagement(a, Events.gateHit("acme", "sso", "growth", Events.day(2)), 0);
        engine.onEngagement(a, Events.activeUsers("acme", 10, Events.day(2)), 0);
        io.expansionsignals.domain.RecentEventIds.remember(a, "evt-1", Events.day(2).toEpochMilli(), 86_400_000L, 1024);

        TypeSerializer<AccountState> serializer = TypeInformation.of(AccountState.class).createSerializer(noGenericTypes());
        DataOutputSerializer out = new DataOutputSerializer(1024);
        serializer.serialize(a, out);
        AccountState copy = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        // subscriptionFacts, metricArrays and the metrics' derived* fields are transient caches rebuilt on first use: not state
        assertThat(copy).usingRecursiveComparison().ignoringFieldsMatchingRegexes("subscriptionFacts", "metricArrays", ".*\\.derived[A-Za-z]*").isEqualTo(a);
        assertThat(copy.subscriptions).containsKey("acme-sub-1");
        assertThat(io.expansionsignals.domain.RecentEventIds.contains(copy, "evt-1")).isTrue();
        assertThat(io.expansionsignals.domain.ScoreHistory.size(copy)).isPositive();
        assertThat(copy.metrics.get("storage_gb").disarmed).isEqualTo(a.metrics.get("storage_gb").disarmed);
    }
}
