package io.expansionsignals.functions;

import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.internal.DecodedRecord;
import java.util.List;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;

/**
 * Flink's keyed-broadcast operator around {@link AccountProcessor}, plus the two hooks its
 * {@link AccountStateCache} needs: switching the key to write back an account other than the
 * current one, and a flush of buffered accounts before every checkpoint barrier.
 */
public final class AccountOperator extends CoBroadcastWithKeyedOperator<String, DecodedRecord, DecodedRecord, ExpansionSignal> {
    private static final long serialVersionUID = 1L;

    public AccountOperator(AccountProcessor function) {
        super(function, List.of(CatalogState.DESCRIPTOR));
    }

    @Override
    public void open() throws Exception {
        super.open();
        ((AccountProcessor) userFunction).bufferWrites(new AccountStateCache.KeyContext() {
            @Override
            public void setCurrentKey(String key) {
                AccountOperator.this.setCurrentKey(key);
            }

            @Override
            public String getCurrentKey() {
                return (String) AccountOperator.this.getCurrentKey();
            }
        });
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        ((AccountProcessor) userFunction).flush(); // every change of this checkpoint in the backend before it snapshots
        super.prepareSnapshotPreBarrier(checkpointId);
    }
}
