package io.remit.registry.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Every key of a range as of one revision, read in pages of {@value #PAGE} keys so a large prefix
 * never exceeds gRPC's message limit. All pages after the first are read at the first page's
 * revision, so the listing is one consistent snapshot.
 *
 * @param values   in key order, keys relative to the range
 * @param revision the store revision the listing reflects; a watch continues from
 *                 {@code revision + 1}
 */
public record Listing(List<StoredValue> values, long revision) {

    static final int PAGE = 500;

    /** Reads {@code range} asynchronously; each page has the request timeout. */
    public static CompletableFuture<Listing> read(Etcd etcd, KeyRange range) {
        if (!range.isPrefix()) {
            return etcd.call(() -> etcd.client().getKVClient().get(range.beginBytes()))
                    .thenApply(r -> new Listing(r.getKvs().stream().map(range::toStored).toList(),
                            r.getHeader().getRevision()));
        }
        return page(etcd, range, range.beginBytes(), 0, new ArrayList<>());
    }

    private static CompletableFuture<Listing> page(Etcd etcd, KeyRange range, ByteSequence from, long revision,
                                                   List<StoredValue> acc) {
        GetOption option = GetOption.builder()
                .withRange(range.endBytes())
                .withLimit(PAGE)
                .withRevision(revision)
                .withSortField(GetOption.SortTarget.KEY)
                .withSortOrder(GetOption.SortOrder.ASCEND)
                .build();
        return etcd.call(() -> etcd.client().getKVClient().get(from, option)).thenCompose((GetResponse r) -> {
            long rev = revision == 0 ? r.getHeader().getRevision() : revision;
            r.getKvs().forEach(kv -> acc.add(range.toStored(kv)));
            if (!r.isMore() || r.getKvs().isEmpty()) {
                return CompletableFuture.completedFuture(new Listing(List.copyOf(acc), rev));
            }
            byte[] last = r.getKvs().get(r.getKvs().size() - 1).getKey().getBytes();
            byte[] next = Arrays.copyOf(last, last.length + 1); // the smallest key after it
            return page(etcd, range, ByteSequence.from(next), rev, acc);
        });
    }
}
