/* fuzz_frame: any bytes as a bus frame (proto_header_decode). An accepted
 * header points inside the bytes (its signature room just before the body),
 * names a valid publisher, and encodes back (proto_header_encode, its
 * signature, then the same body) to the same bytes, which decode to the
 * same fields. Signatures are not checked here (proto_frame_verify needs a
 * key; proto_test.c flips every byte of signed frames). */
#include "base/err.h"
#include "fuzz.h"
#include "proto/frame.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct proto_header h;
    char why[256];
    why[0] = 0;
    int rc = proto_header_decode(data, size, &h, why, sizeof why);
    if (rc) {
        FUZZ_CHECK(rc == CCHC_EPROTO, "rc %d", rc);
        FUZZ_CHECK(memchr(why, 0, sizeof why) && why[0], "no reason given");
        return 0;
    }
    FUZZ_CHECK(h.body >= data && h.body + h.body_len == data + size, "body outside the frame");
    FUZZ_CHECK(h.sig && h.sig_len == PROTO_SIG_LEN && h.sig >= data && h.sig + h.sig_len == h.body,
               "signature room outside the header");
    size_t plen = strnlen(h.publisher, sizeof h.publisher);
    FUZZ_CHECK(plen >= 1 && plen <= PROTO_PUBLISHER_MAX, "publisher length %zu", plen);

    /* encode writes the signature room zeroed: put the signature back, and
     * the frame is the same bytes again. */
    uint8_t out[PROTO_HEADER_MAX];
    size_t hl;
    rc = proto_header_encode(&h, out, sizeof out, &hl);
    FUZZ_CHECK(rc == CCHC_OK, "an accepted header does not encode: rc %d", rc);
    FUZZ_CHECK(hl + h.body_len == size, "encoded header of %zu bytes, was %zu", hl,
               size - h.body_len);
    uint8_t *again = malloc(size);
    memcpy(again, out, hl);
    memcpy(again + hl - PROTO_SIG_LEN, h.sig, PROTO_SIG_LEN);
    memcpy(again + hl, h.body, h.body_len);
    FUZZ_CHECK(memcmp(again, data, size) == 0, "re-encoded frame differs from its bytes");
    struct proto_header h2;
    rc = proto_header_decode(again, size, &h2, why, sizeof why);
    FUZZ_CHECK(rc == CCHC_OK, "re-encoded frame refused: %s", why);
    FUZZ_CHECK(h2.version == h.version && h2.kind == h.kind && h2.flags == h.flags &&
                   h2.epoch == h.epoch && h2.seq == h.seq && h2.count == h.count &&
                   h2.body_len == h.body_len && !strcmp(h2.publisher, h.publisher) &&
                   !memcmp(h2.body, h.body, h.body_len) && !memcmp(h2.sig, h.sig, PROTO_SIG_LEN),
               "fields differ after a round trip");
    free(again);
    return 0;
}
