/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Is-composing indications (RFC 3994): the application/im-iscomposing+xml
 * document a chat peer sends when the user starts or stops typing. Parsed
 * with libxml2 without network access, DTDs or entity expansion (a
 * document with a DOCTYPE is refused). */

#define CONFAB_IS_COMPOSING_CONTENT_TYPE    "application/im-iscomposing+xml"
#define CONFAB_IS_COMPOSING_NAMESPACE       "urn:ietf:params:xml:ns:im-iscomposing"
#define CONFAB_IS_COMPOSING_DEFAULT_REFRESH 120   /* seconds an "active" lasts without refresh */
#define CONFAB_IS_COMPOSING_IDLE_AFTER      10    /* seconds without typing before "idle" */
#define CONFAB_IS_COMPOSING_MAX_LENGTH      16384 /* bytes in one document */

typedef enum
{
  CONFAB_COMPOSING_STATE_IDLE,
  CONFAB_COMPOSING_STATE_ACTIVE,
} ConfabComposingState;

typedef struct
{
  ConfabComposingState state;
  char                *content_type; /* what is being composed; NULL for text */
  GDateTime           *last_active;  /* or NULL */
  guint                refresh;      /* seconds; 0 when not given */
} ConfabIsComposing;

ConfabIsComposing *confab_is_composing_new         (ConfabComposingState     state);
void               confab_is_composing_free        (ConfabIsComposing       *composing);
ConfabIsComposing *confab_is_composing_parse       (const char              *data,
                                                    gsize                    length,
                                                    GError                 **error);
char              *confab_is_composing_to_xml      (const ConfabIsComposing *composing,
                                                    GError                 **error);
guint              confab_is_composing_get_timeout (const ConfabIsComposing *composing);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConfabIsComposing, confab_is_composing_free)

G_END_DECLS
