/* What each ingesting service's file (dossier.c, staffing.c, finance.c,
 * egov.c) gives the rest: its struct ingest_service, with its record types
 * and its state. Each service's folder builds its file as a library of its
 * own, cchc_<name>_records, which both its program (service_main.c) and the
 * record-parser fuzz target (tests/fuzz/records_fuzz.c) link. */
#ifndef CCHC_SERVICES_SERVICE_H
#define CCHC_SERVICES_SERVICE_H

#include "ingest/ingest.h"

/* A new service, with a fresh state; the caller frees it with
 * cchc_service_free(). */
struct ingest_service *cchc_service_new(void);
void cchc_service_free(struct ingest_service *svc);

#endif
