package io.streamloader.generator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.random.RandomGenerator;

/** Seed 002's two producers: {@code GET /somedata/<vehicle>?number=1..4} and football match arrays to /footdata. */
final class Seed002 {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] VEHICLES = {"car", "truck", "van", "motorbike", "bike"};
    private static final String[][] TEAMS = {
        {"Paris Saint-Germain FC", "PSG"},
        {"Olympique de Marseille", "MAR"},
        {"AS Monaco FC", "ASM"},
        {"Stade Rennais FC 1901", "REN"},
        {"LOSC Lille", "LIL"},
        {"Olympique Lyonnais", "OL"},
        {"RC Lens", "RCL"},
        {"OGC Nice", "NIC"}
    };
    private static final String[][] COMPETITIONS = {{"2015", "Ligue 1", "FL1"}, {"2001", "UEFA Champions League", "CL"}
    };

    /** Both producers call their API every 10 s (and run 120 s, so about 12 messages: without --count we run on). */
    static final double ORIGINAL_RATE = 0.1;

    private Seed002() {}

    static Workload somedata(String path) {
        return everyTenSeconds((base, seq, random) -> Workload.get(
                        base,
                        path + "/" + VEHICLES[random.nextInt(VEHICLES.length)] + "?number=" + (1 + random.nextInt(4)))
                .build());
    }

    static Workload footdata(String path) {
        return everyTenSeconds((base, seq, random) -> {
            ArrayNode matches = JSON.createArrayNode();
            int n = 1 + random.nextInt(5);
            for (int i = 0; i < n; i++) {
                matches.add(match(seq * 10 + i, random));
            }
            try {
                return Workload.post(base, path, "application/json", JSON.writeValueAsBytes(matches))
                        .build();
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static Workload everyTenSeconds(Workload w) {
        return new Workload() {
            @Override
            public Request request(java.net.URI base, long seq, RandomGenerator random) {
                return w.request(base, seq, random);
            }

            @Override
            public double naturalRate() {
                return ORIGINAL_RATE;
            }
        };
    }

    static ObjectNode match(long id, RandomGenerator random) {
        String[] home = TEAMS[random.nextInt(TEAMS.length)];
        String[] away = TEAMS[random.nextInt(TEAMS.length)];
        String[] comp = COMPETITIONS[random.nextInt(COMPETITIONS.length)];
        int h = random.nextInt(5);
        int a = random.nextInt(5);
        ObjectNode m = JSON.createObjectNode()
                .put("id", 400_000 + id)
                .put(
                        "utcDate",
                        Instant.now()
                                .plus(random.nextInt(14), ChronoUnit.DAYS)
                                .truncatedTo(ChronoUnit.HOURS)
                                .toString())
                .put("status", random.nextBoolean() ? "FINISHED" : "TIMED")
                .put("matchday", 1 + random.nextInt(38))
                .put("stage", "REGULAR_SEASON");
        m.putObject("competition")
                .put("id", Integer.parseInt(comp[0]))
                .put("name", comp[1])
                .put("code", comp[2]);
        m.putObject("homeTeam").put("name", home[0]).put("tla", home[1]);
        m.putObject("awayTeam").put("name", away[0]).put("tla", away[1]);
        ObjectNode score = m.putObject("score").put("winner", h > a ? "HOME_TEAM" : h < a ? "AWAY_TEAM" : "DRAW");
        score.putObject("fullTime").put("home", h).put("away", a);
        return m;
    }
}
