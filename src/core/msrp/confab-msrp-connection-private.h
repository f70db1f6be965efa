/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "confab-msrp-connection.h"
#include "confab-msrp-parser.h"

G_BEGIN_DECLS

/* ConfabMsrpConnection is split in two: confab-msrp-connection.c (reading,
 * writing, transactions, closing) and confab-msrp-connection-open.c
 * (connecting, TLS handshakes). They share this struct. */

struct _ConfabMsrpConnection
{
  GObject                   parent_instance;

  ConfabMsrpConnectionState state;
  gboolean                  incoming;
  gboolean                  tls;
  gboolean                  relay;
  char                     *host;
  guint                     port;
  char                     *key;
  char                     *description;
  GTlsCertificate          *certificate; /* ours */
  GTlsDatabase             *database;    /* for a relay */
  GIOStream                *stream;
  GCancellable             *cancellable;
  GList                    *open_waiters; /* GTask* */
  GError                   *open_error;

  ConfabMsrpParser         *parser;
  guint8                   *read_buffer;
  gboolean                  reading;
  gboolean                  read_paused;

  GQueue                    writes; /* WriteItem* */
  gboolean                  writing;
  guint                     writing_items;  /* at the head of writes, in the writev under way */
  GArray                   *write_vectors;  /* GOutputVector: theirs, or write_buffer's */
  GByteArray               *write_buffer;   /* TLS: their bytes, copied together */
  GSource                  *write_timer;
  GSource                  *flush_timer;  /* closing once the writes are out */
  gsize                     queued_bytes;
  GHashTable               *transactions; /* transaction id -> Transaction* */
};

/* Open: reading and writing start, the waiters are told. */
void    _confab_msrp_connection_become_open      (ConfabMsrpConnection *self);
/* Takes @error. */
void    _confab_msrp_connection_close_with_error (ConfabMsrpConnection *self,
                                                  GError               *error);
GError *_confab_msrp_connection_new_closed_error (ConfabMsrpConnection *self);

G_END_DECLS
