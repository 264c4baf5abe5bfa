package io.expansionsignals.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Times one premium feature hit its gate within the window. A POJO wrapper rather than a
 * {@code Map<String, List<Long>>}: Flink's type extraction treats nested collections as generic
 * (Kryo), which the job forbids.
 */
public class GateHits {
    public List<Long> times = new ArrayList<>();

    public GateHits() {}
}
