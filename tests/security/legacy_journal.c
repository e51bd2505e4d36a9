/* legacy_journal PATH ID UNIT AT_MS [ID UNIT AT_MS]...: writes a dossier
 * service's journal as it was written before sources existed: one satisfied
 * survey a triple, without "src" or "dg" (security_legacy_id_other_source). */
#include "base/err.h"
#include "bus/journal.h"
#include "proto/event.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc < 5 || (argc - 2) % 3) {
        fprintf(stderr, "usage: legacy_journal PATH ID UNIT AT_MS [ID UNIT AT_MS]...\n");
        return 2;
    }
    struct journal *j;
    char why[256];
    if (journal_open(argv[1], NULL, NULL, &j, why, sizeof why)) {
        fprintf(stderr, "legacy_journal: %s\n", why);
        return 1;
    }
    int rc = CCHC_OK;
    for (int i = 2; rc == CCHC_OK && i + 2 < argc; i += 3) {
        struct proto_event ev = {.type = proto_cstr("dossier.survey"),
                                 .id = proto_cstr(argv[i]),
                                 .unit = proto_cstr(argv[i + 1]),
                                 .at_ms = strtoll(argv[i + 2], NULL, 10),
                                 .b = 1,
                                 .has = PROTO_HAS_B};
        ev.m[ev.nm++] = (struct proto_metric){proto_cstr("survey"), 1};
        ev.m[ev.nm++] = (struct proto_metric){proto_cstr("survey_satisfied"), 1};
        uint8_t *buf = NULL;
        size_t len = 0, cap = 0;
        rc = proto_event_encode(&ev, &buf, &len, &cap);
        if (rc == CCHC_OK)
            rc = journal_append(j, buf, len);
        g_free(buf);
    }
    if (rc == CCHC_OK)
        rc = journal_sync(j);
    journal_close(j);
    if (rc)
        fprintf(stderr, "legacy_journal: %s\n", cchc_strerror(rc));
    return rc ? 1 : 0;
}
