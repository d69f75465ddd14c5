package io.streamloader.bench.faults;

import io.streamloader.bench.Table;
import java.util.List;
import java.util.Map;

/** The campaign's tables and verdict as text, for the terminal and a note. */
final class CampaignReport {

    private CampaignReport() {}

    static String render(CampaignSettings settings, FaultCampaign.Result result) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                "%nFault campaign on topic %s: %,d events at %d/s over %d partitions, %.1f %% hostile, seed %d;"
                        + " %.0f s in all%n",
                result.topic(),
                settings.events(),
                settings.rate(),
                settings.partitions(),
                settings.hostilePercent(),
                settings.seed(),
                result.seconds()));
        Table sinks = new Table(
                "sink",
                "posted",
                "stored",
                "dead-lettered",
                "lost",
                "duplicated",
                "longest good wait s",
                "good never seen committed",
                "foreign ids in store");
        for (SinkOutcome s : result.sinks()) {
            sinks.row(
                    s.sink(),
                    s.posted(),
                    s.stored(),
                    s.deadLettered(),
                    s.lost(),
                    s.duplicated(),
                    Table.seconds(s.longestGoodWaitSeconds()),
                    s.goodNeverCommitted(),
                    s.foreignIds());
        }
        out.append(sinks);

        List<String> kinds = HostileCorpus.kinds();
        Table hostile = new Table("hostile kind (stored / dead-lettered / lost)", "elasticsearch", "mongo", "postgres");
        for (String kind : kinds) {
            if (result.sinks().stream().noneMatch(s -> s.hostile().containsKey(kind))) {
                continue;
            }
            Object[] row = new Object[4];
            row[0] = kind;
            for (int i = 0; i < 3; i++) {
                long[] o = result.sinks().get(i).hostile().getOrDefault(kind, new long[3]);
                row[i + 1] = o[0] + " / " + o[1] + " / " + o[2];
            }
            hostile.row(row);
        }
        out.append('\n').append(hostile);

        Table faults = new Table("at s", "until s", "fault", "detail");
        for (FaultInjector.Injected f : result.faults()) {
            faults.row(Table.seconds(f.startSeconds()), Table.seconds(f.endSeconds()), f.fault(), f.detail());
        }
        out.append('\n').append(faults);

        Table process = new Table("process and checks", "value");
        process.row("streamloader run starts (1 + restarts)", result.processStarts());
        process.row(
                "unplanned exits (restarted)",
                result.unplannedExits()
                        + (result.unplannedExits() == 0 ? "" : ", last: " + result.lastUnplannedExit()));
        process.row(
                "SIGTERM at the end", result.finalExitCode() == -2 ? "not running" : "exit " + result.finalExitCode());
        process.row("drained", result.drained() ? "yes" : result.drainDetail());
        process.row(
                "sends failed",
                result.failedSends() + (result.failedSends() == 0 ? "" : ", last: " + result.lastSendFailure()));
        process.row(
                "commit samples (broker did not answer)",
                result.commitSamples() + " (" + result.failedCommitSamples() + ")");
        for (Map.Entry<String, Long> e : result.deadLetters().lettersBySink().entrySet()) {
            process.row("DLQ letters from " + e.getKey(), e.getValue());
        }
        process.row("DLQ letters without source headers", result.deadLetters().unattributed());
        process.row("log", result.log());
        out.append('\n').append(process);

        for (SinkOutcome s : result.sinks()) {
            if (!s.lostSample().isEmpty()) {
                out.append("lost by ")
                        .append(s.sink())
                        .append(", e.g. ")
                        .append(s.lostSample())
                        .append('\n');
            }
        }
        out.append(result.passed() ? "verdict: PASS, nothing lost or duplicated" : "verdict: FAIL")
                .append('\n');
        return out.toString();
    }
}
