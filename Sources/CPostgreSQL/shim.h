#include <libpq-fe.h>

/// Field codes of PQresultErrorField are character macros; these name the ones smsbatch reads.
static inline int cpq_diag_sqlstate(void) { return 'C'; }

/// A notice processor that drops server notices ("relation already exists, skipping") instead of printing them.
static inline void cpq_ignore_notice(void *arg, const char *message) { (void)arg; (void)message; }
static inline void cpq_silence_notices(PGconn *conn) { PQsetNoticeProcessor(conn, cpq_ignore_notice, 0); }
