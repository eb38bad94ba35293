package io.remit.registry.election;

/**
 * Hears this candidate's leadership begin and end. Calls alternate ({@code elected}, {@code revoked},
 * {@code elected}, ...), on the election's listener thread, one at a time. After {@code revoked()}
 * the process must stop acting as leader at once: another candidate may already lead.
 */
public interface LeadershipListener {

    LeadershipListener NONE = new LeadershipListener() {
        @Override
        public void elected() {
        }

        @Override
        public void revoked() {
        }
    };

    void elected();

    void revoked();
}
