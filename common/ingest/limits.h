/* The sizes a service takes: what a client such as cchc-import must know to
 * split its input, without linking the service side. */
#ifndef CCHC_INGEST_LIMITS_H
#define CCHC_INGEST_LIMITS_H

#define INGEST_LINE_MAX 65536       /* bytes in one record line */
#define INGEST_BODY_MAX (64u << 20) /* bytes in one POST */
#define INGEST_ID_MAX 128           /* bytes in a record id */

#endif
