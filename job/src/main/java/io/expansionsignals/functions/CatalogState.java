package io.expansionsignals.functions;

import io.expansionsignals.schema.PlanCatalogUpdate;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/** The broadcast state holding the plan catalog in force on every parallel instance. */
public final class CatalogState {
    public static final String KEY = "catalog";
    public static final MapStateDescriptor<String, PlanCatalogUpdate> DESCRIPTOR =
            new MapStateDescriptor<>("plan-catalog", Types.STRING, new AvroTypeInfo<>(PlanCatalogUpdate.class));

    private CatalogState() {}
}
