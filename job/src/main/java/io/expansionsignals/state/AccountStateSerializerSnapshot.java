package io.expansionsignals.state;

import io.expansionsignals.domain.AccountState;
import io.expansionsignals.schema.BillingInterval;
import io.expansionsignals.schema.HealthBand;
import io.expansionsignals.schema.Segment;
import io.expansionsignals.schema.UsageKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * What a checkpoint records of the {@link AccountStateSerializer} that wrote it: the format version
 * and the constants of each enum in the order their indexes were written. On restore it decides:
 *
 * <ul>
 *   <li>state of this format whose enum indexes still mean the same constants: read as is;
 *   <li>this format with enum constants reordered: migrated (read with the old tables, rewritten);
 *   <li>state written by Flink's POJO serializer (version 0.1 and every savepoint before this
 *       serializer): migrated, read with the POJO serializer restored from its own snapshot, so
 *       the POJO schema evolution of that version still applies;
 *   <li>anything else: incompatible, and the restore fails naming the state.
 * </ul>
 */
public final class AccountStateSerializerSnapshot implements TypeSerializerSnapshot<AccountState> {
    private static final int VERSION = 1;

    private List<List<String>> enumNames;

    /** For Flink, which creates the snapshot by reflection and then reads it. */
    public AccountStateSerializerSnapshot() {}

    AccountStateSerializerSnapshot(AccountStateSerializer serializer) {
        enumNames = new ArrayList<>();
        for (EnumTable<?> table : serializer.enumTables()) {
            enumNames.add(table.names());
        }
    }

    @Override
    public int getCurrentVersion() {
        return VERSION;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
        out.writeInt(enumNames.size());
        for (List<String> names : enumNames) {
            out.writeInt(names.size());
            for (String name : names) {
                out.writeUTF(name);
            }
        }
    }

    @Override
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) throws IOException {
        if (readVersion != VERSION) {
            throw new IOException("account state serializer snapshot version " + readVersion + " is newer than this "
                    + "version of the job reads (" + VERSION + "): restore with the version that wrote it");
        }
        int tables = in.readInt();
        enumNames = new ArrayList<>(tables);
        for (int t = 0; t < tables; t++) {
            int n = in.readInt();
            List<String> names = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                names.add(in.readUTF());
            }
            enumNames.add(names);
        }
    }

    @Override
    public TypeSerializer<AccountState> restoreSerializer() {
        return new AccountStateSerializer(EnumTable.of(Segment.class, enumNames.get(0)),
                EnumTable.of(HealthBand.class, enumNames.get(1)), EnumTable.of(BillingInterval.class, enumNames.get(2)),
                EnumTable.of(UsageKind.class, enumNames.get(3)));
    }

    /** Called on the current serializer's snapshot with the one the restored state was written under. */
    @Override
    public TypeSerializerSchemaCompatibility<AccountState> resolveSchemaCompatibility(
            TypeSerializerSnapshot<AccountState> old) {
        if (old instanceof AccountStateSerializerSnapshot previous) {
            List<EnumTable<?>> then = ((AccountStateSerializer) previous.restoreSerializer()).enumTables();
            List<EnumTable<?>> now = ((AccountStateSerializer) restoreSerializer()).enumTables();
            for (int i = 0; i < now.size(); i++) {
                if (!then.get(i).readsAs(now.get(i))) {
                    return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
                }
            }
            return TypeSerializerSchemaCompatibility.compatibleAsIs();
        }
        if (old instanceof PojoSerializerSnapshot) {
            return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
        return TypeSerializerSchemaCompatibility.incompatible();
    }
}
