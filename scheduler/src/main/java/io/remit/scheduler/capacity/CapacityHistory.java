package io.remit.scheduler.capacity;

import io.remit.scheduler.state.CapacityDays;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Allocation over time, kept in etcd ({@link CapacityDays}) so it survives scheduler restarts and failovers: one key per
 * UTC day ({@code /remit/capacity/history/2026-11-28}) holding one CSV line per sample, about 60
 * bytes each (a day of minute samples is under 100 KB, far below etcd's value limit). Days older
 * than the retention are deleted as new ones begin.
 */
public final class CapacityHistory {

    public static final String CSV_HEADER = "at,cpusTotal,cpusAllocated,memMbTotal,memMbAllocated,diskMbTotal,"
            + "diskMbAllocated,portsTotal,portsAllocated,remitInstances";
    private static final Logger LOG = LoggerFactory.getLogger(CapacityHistory.class);

    /** One sample. */
    public record Sample(Instant at, Amounts total, Amounts allocated, int remitInstances) {

        String csv() {
            return at.getEpochSecond() + "," + total.cpus() + "," + allocated.cpus() + "," + total.memMb() + ","
                    + allocated.memMb() + "," + total.diskMb() + "," + allocated.diskMb() + "," + total.ports() + ","
                    + allocated.ports() + "," + remitInstances;
        }

        static Optional<Sample> parse(String line) {
            String[] f = line.split(",");
            if (f.length != 10) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Sample(Instant.ofEpochSecond(Long.parseLong(f[0])),
                        new Amounts(Double.parseDouble(f[1]), Long.parseLong(f[3]), Long.parseLong(f[5]), Long.parseLong(f[7])),
                        new Amounts(Double.parseDouble(f[2]), Long.parseLong(f[4]), Long.parseLong(f[6]), Long.parseLong(f[8])),
                        Integer.parseInt(f[9])));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        /** As a CSV row with the instant in ISO-8601, for export. */
        public String exportCsv() {
            return at + csv().substring(csv().indexOf(','));
        }
    }

    private final CapacityDays days;
    private final Clock clock;
    private final int retentionDays;

    public CapacityHistory(CapacityDays days, Clock clock, int retentionDays) {
        this.days = days;
        this.clock = clock;
        this.retentionDays = retentionDays;
    }

    /** Appends a sample to its day (compare-and-set, so two writers never lose each other's lines). */
    public void append(Sample sample) {
        LocalDate day = LocalDate.ofInstant(sample.at(), ZoneOffset.UTC);
        String line = sample.csv() + "\n";
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<CapacityDays.Day> current = days.get(day);
            if (current.isEmpty()) {
                if (days.create(day, line)) {
                    prune(day);
                    return;
                }
            } else if (days.replace(day, current.get().modRevision(), current.get().text() + line)) {
                return;
            }
        }
        LOG.warn("capacity sample of {} not stored: the day's key kept changing", sample.at());
    }

    /** Samples from {@code since} on, oldest first. */
    public List<Sample> since(Instant since) {
        List<Sample> out = new ArrayList<>();
        LocalDate first = LocalDate.ofInstant(since, ZoneOffset.UTC);
        LocalDate last = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            days.get(d).ifPresent(v -> v.text().lines()
                    .map(Sample::parse).flatMap(Optional::stream)
                    .filter(s -> !s.at().isBefore(since)).forEach(out::add));
        }
        return out;
    }

    private void prune(LocalDate today) {
        LocalDate oldest = today.minusDays(retentionDays);
        for (LocalDate day : days.days()) {
            if (day.isBefore(oldest)) {
                days.delete(day);
            }
        }
    }
}
