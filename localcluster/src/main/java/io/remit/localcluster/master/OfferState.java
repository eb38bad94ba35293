package io.remit.localcluster.master;

import io.remit.localcluster.resources.Resources;

/** An outstanding offer. */
record OfferState(String id, String frameworkId, String agentId, Resources resources) {
}
