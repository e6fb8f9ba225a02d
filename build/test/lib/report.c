/* SPDX-License-Identifier: MIT */
/* report.c: TEMPORARY bodies until the reports land (helper "reports"). */
#include "report.h"

int
report_digest(struct store *s, const struct config *cfg, int64_t now,
              struct strbuf *out, struct err *err)
{
    (void)s; (void)cfg; (void)now; (void)err;
    strbuf_puts(out, "(digest not implemented yet)");
    return 0;
}

int
report_monthly(struct store *s, const struct config *cfg, int64_t now,
               struct strbuf *out, struct err *err)
{
    (void)s; (void)cfg; (void)now; (void)err;
    strbuf_puts(out, "(monthly report not implemented yet)");
    return 0;
}

int
report_sla_status(struct store *s, const struct config *cfg, int64_t now,
                  struct strbuf *out, struct err *err)
{
    (void)s; (void)cfg; (void)now; (void)err;
    strbuf_puts(out, "(SLA status not implemented yet)");
    return 0;
}
