/* The sizes a service takes: what a client such as cchc-import must know to
 * split its input, without linking the service side. */
#ifndef CCHC_INGEST_LIMITS_H
#define CCHC_INGEST_LIMITS_H

#define INGEST_LINE_MAX 65536       /* bytes in one record line */
#define INGEST_BODY_MAX (64u << 20) /* bytes in one POST: more is answered 413 */
#define INGEST_LINES_MAX 65536u     /* lines in one POST: more is answered 413, none taken */
#define INGEST_ID_MAX 128           /* bytes in a record id */

/* An answer: each rejected line's reason is cut to INGEST_REASON_MAX bytes;
 * once the results pass 4 bytes a byte of the body plus 64 KiB, the reasons
 * of further rejected lines are this fixed text (the reject log keeps them,
 * within its own bounds). So an answer is at most 4 x body + 64 KiB + 2.5 KiB
 * (the result that passes) + 128 bytes a line (INGEST_LINES_MAX: 8 MiB). */
#define INGEST_REASON_MAX 256
#define INGEST_REASON_NOT_KEPT "(reason not kept: answer bound)"

/* The largest X-CCHC-First-Line a service takes (cchc-import numbers the
 * lines of its files with it); past it, lines are numbered from 1. */
#define INGEST_FIRST_LINE_MAX (1L << 50)

#endif
