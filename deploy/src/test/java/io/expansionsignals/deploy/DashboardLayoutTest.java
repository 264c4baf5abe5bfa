package io.expansionsignals.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's grid: Grafana pushes overlapping panels around on load, so a panel added at a
 * taken position lands somewhere else than its author meant, or under a row it does not belong to.
 */
class DashboardLayoutTest {
    private record Box(String title, int x, int y, int w, int h) {
        boolean overlaps(Box o) {
            return x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h;
        }
    }

    private static List<Box> boxes(JsonNode dashboard) {
        List<Box> boxes = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            JsonNode g = p.path("gridPos");
            boxes.add(new Box(p.path("title").asText(), g.path("x").asInt(), g.path("y").asInt(), g.path("w").asInt(),
                    g.path("h").asInt()));
        }
        return boxes;
    }

    static List<String> overlaps(JsonNode dashboard) {
        List<Box> boxes = boxes(dashboard);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) {
            for (int j = i + 1; j < boxes.size(); j++) {
                if (boxes.get(i).overlaps(boxes.get(j))) {
                    out.add(boxes.get(i).title() + " / " + boxes.get(j).title());
                }
            }
        }
        return out;
    }

    private static JsonNode dashboard() throws Exception {
        return new ObjectMapper().readTree(Files.readString(DeployPaths.dashboard()));
    }

    @Test
    void no_two_panels_share_a_grid_cell() throws Exception {
        assertEquals(List.of(), overlaps(dashboard()));
    }

    @Test
    void panels_fit_the_24_column_grid_and_ids_are_unique() throws Exception {
        JsonNode dashboard = dashboard();
        Set<Integer> ids = new HashSet<>();
        for (JsonNode p : dashboard.path("panels")) {
            JsonNode g = p.path("gridPos");
            assertTrue(g.path("w").asInt() > 0 && g.path("x").asInt() + g.path("w").asInt() <= 24, p.path("title").asText());
            assertTrue(ids.add(p.path("id").asInt()), "duplicate panel id " + p.path("id").asInt());
        }
    }

    @Test
    void an_overlap_is_caught() throws Exception {
        JsonNode two = new ObjectMapper().readTree("""
                {"panels": [{"title": "a", "gridPos": {"x": 0, "y": 80, "w": 24, "h": 1}},
                            {"title": "b", "gridPos": {"x": 0, "y": 79, "w": 12, "h": 8}},
                            {"title": "c", "gridPos": {"x": 12, "y": 80, "w": 12, "h": 8}}]}""");
        assertEquals(List.of("a / b", "a / c"), overlaps(two));
    }
}
