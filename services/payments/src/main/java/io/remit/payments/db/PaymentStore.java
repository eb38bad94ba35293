package io.remit.payments.db;

import io.remit.fx.api.Money;
import io.remit.payments.core.EventType;
import io.remit.payments.core.Payment;
import io.remit.payments.core.PaymentEvent;
import io.remit.payments.core.PaymentState;
import io.remit.payments.core.StateMachine;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Payments and their histories in PostgreSQL. Thread-safe; correct with any number of instances
 * on the same database: a transition locks the payment's row ({@code SELECT ... FOR UPDATE}) and
 * the history's primary key refuses a second event for one version.
 */
public final class PaymentStore {

    private static final String COLUMNS = "id, payer_id, school_id, reference, payment_method, state, quote_id, rate, "
            + "source_amount, source_currency, fee_amount, fee_currency, total_amount, total_currency, "
            + "target_amount, target_currency, version, created_at, updated_at, seq";

    private final Jdbi jdbi;

    public PaymentStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Inserts a new payment and its first event, within the caller's transaction {@code h}.
     *
     * @param claimToken the idempotency claim it is created under (unique: one payment per claim)
     */
    public void insert(Handle h, Payment p, PaymentEvent first, UUID claimToken) {
        h.createUpdate("INSERT INTO payments (id, payer_id, school_id, reference, payment_method, state, quote_id, rate, "
                        + "source_amount, source_currency, fee_amount, fee_currency, total_amount, total_currency, "
                        + "target_amount, target_currency, version, created_at, updated_at, claim_token) VALUES (:id, "
                        + ":payer, :school, :reference, :method, :state, :quote, :rate, :sourceAmount, :sourceCurrency, "
                        + ":feeAmount, :feeCurrency, :totalAmount, :totalCurrency, :targetAmount, :targetCurrency, :version, "
                        + ":createdAt, :updatedAt, :claimToken)")
                .bind("claimToken", claimToken)
                .bind("id", p.id())
                .bind("payer", p.payerId())
                .bind("school", p.schoolId())
                .bind("reference", p.reference())
                .bind("method", p.paymentMethod())
                .bind("state", p.state().name())
                .bind("quote", p.quoteId())
                .bind("rate", new BigDecimal(p.rate()))
                .bind("sourceAmount", p.source().amount())
                .bind("sourceCurrency", p.source().currency())
                .bind("feeAmount", p.fee().amount())
                .bind("feeCurrency", p.fee().currency())
                .bind("totalAmount", p.total().amount())
                .bind("totalCurrency", p.total().currency())
                .bind("targetAmount", p.target().amount())
                .bind("targetCurrency", p.target().currency())
                .bind("version", p.version())
                .bind("createdAt", timestamp(p.createdAt()))
                .bind("updatedAt", timestamp(p.updatedAt()))
                .execute();
        insertEvent(h, p.id(), first);
    }

    /** The payment with its history, read in one transaction. */
    public Optional<Stored> findWithHistory(UUID id) {
        return jdbi.inTransaction(h -> find(h, id, false).map(p -> new Stored(p, history(h, id))));
    }

    /**
     * One page of payments of a payer and/or a school (at least one of them), newest first.
     *
     * @param after the paging key of the previous page's last payment, or null for the first page
     * @param limit page size, at least 1
     */
    public Page list(String payerId, String schoolId, Long after, int limit) {
        if (payerId == null && schoolId == null) {
            throw new IllegalArgumentException("a payer or a school is needed");
        }
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM payments WHERE true");
        if (payerId != null) {
            sql.append(" AND payer_id = :payer");
        }
        if (schoolId != null) {
            sql.append(" AND school_id = :school");
        }
        if (after != null) {
            sql.append(" AND seq < :after");
        }
        sql.append(" ORDER BY seq DESC LIMIT :limit");
        return jdbi.withHandle(h -> {
            Query q = h.createQuery(sql.toString()).bind("limit", limit + 1);
            if (payerId != null) {
                q.bind("payer", payerId);
            }
            if (schoolId != null) {
                q.bind("school", schoolId);
            }
            if (after != null) {
                q.bind("after", after.longValue());
            }
            List<Row> rows = q.map((rs, ctx) -> new Row(payment(rs), rs.getLong("seq"))).list();
            boolean more = rows.size() > limit;
            List<Row> page = more ? rows.subList(0, limit) : rows;
            return new Page(page.stream().map(Row::payment).toList(), more ? page.get(page.size() - 1).seq() : null);
        });
    }

    /**
     * Applies {@code event} to payment {@code id} if the state machine allows it: locks the row,
     * moves the state, bumps the version and appends the event, in one transaction. An illegal
     * event changes nothing.
     */
    public Transition apply(UUID id, EventType event, String reason, Instant at) {
        return jdbi.inTransaction(h -> {
            Optional<Payment> found = find(h, id, true);
            if (found.isEmpty()) {
                return new Transition.NotFound();
            }
            Payment p = found.get();
            Optional<PaymentState> to = StateMachine.next(p.state(), event);
            if (to.isEmpty()) {
                return new Transition.Illegal(p.state(), StateMachine.legalEvents(p.state()));
            }
            int version = p.version() + 1;
            Instant when = timestamp(at);
            h.createUpdate("UPDATE payments SET state = :state, version = :version, updated_at = :at WHERE id = :id")
                    .bind("state", to.get().name())
                    .bind("version", version)
                    .bind("at", when)
                    .bind("id", id)
                    .execute();
            insertEvent(h, id, new PaymentEvent(version, event, p.state(), to.get(), when, reason));
            return new Transition.Applied(new Stored(find(h, id, false).orElseThrow(), history(h, id)));
        });
    }

    /** PostgreSQL keeps microseconds: store (and answer) exactly what will be read back. */
    public static Instant timestamp(Instant t) {
        return t.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    private static void insertEvent(Handle h, UUID paymentId, PaymentEvent e) {
        h.createUpdate("INSERT INTO payment_events (payment_id, sequence, type, from_state, to_state, reason, at) "
                        + "VALUES (:id, :sequence, :type, :from, :to, :reason, :at)")
                .bind("id", paymentId)
                .bind("sequence", e.sequence())
                .bind("type", e.type().wireName())
                .bind("from", e.from() == null ? null : e.from().name())
                .bind("to", e.to().name())
                .bind("reason", e.reason())
                .bind("at", timestamp(e.at()))
                .execute();
    }

    private static Optional<Payment> find(Handle h, UUID id, boolean lock) {
        return h.createQuery("SELECT " + COLUMNS + " FROM payments WHERE id = :id" + (lock ? " FOR UPDATE" : ""))
                .bind("id", id)
                .map((rs, ctx) -> payment(rs))
                .findOne();
    }

    private static List<PaymentEvent> history(Handle h, UUID id) {
        return h.createQuery("SELECT sequence, type, from_state, to_state, reason, at FROM payment_events "
                        + "WHERE payment_id = :id ORDER BY sequence")
                .bind("id", id)
                .map((rs, ctx) -> new PaymentEvent(rs.getInt("sequence"),
                        EventType.fromWire(rs.getString("type")).orElseThrow(),
                        rs.getString("from_state") == null ? null : PaymentState.valueOf(rs.getString("from_state")),
                        PaymentState.valueOf(rs.getString("to_state")),
                        instant(rs, "at"), rs.getString("reason")))
                .list();
    }

    private static Payment payment(ResultSet rs) throws SQLException {
        return new Payment(rs.getObject("id", UUID.class), rs.getString("payer_id"), rs.getString("school_id"),
                rs.getString("reference"), rs.getString("payment_method"), PaymentState.valueOf(rs.getString("state")),
                rs.getString("quote_id"), rs.getBigDecimal("rate").toPlainString(),
                money(rs, "source"), money(rs, "fee"), money(rs, "total"), money(rs, "target"),
                rs.getInt("version"), instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    private static Money money(ResultSet rs, String prefix) throws SQLException {
        return new Money(rs.getLong(prefix + "_amount"), rs.getString(prefix + "_currency"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    /** A payment with its history. */
    public record Stored(Payment payment, List<PaymentEvent> history) {
    }

    /** A page of payments; {@code nextAfter} is the paging key for the next page, null on the last. */
    public record Page(List<Payment> payments, Long nextAfter) {
    }

    private record Row(Payment payment, long seq) {
    }

    /** What {@link #apply} did. */
    public sealed interface Transition {
        record Applied(Stored payment) implements Transition {
        }

        record Illegal(PaymentState state, List<EventType> legal) implements Transition {
        }

        record NotFound() implements Transition {
        }
    }
}
