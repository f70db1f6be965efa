/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A real confab-cli on 127.0.0.1 (--json, --local-port 0) that a UI test
 * talks to: its JSON events are echoed as TAP comments and kept. */
typedef struct
{
  const char  *name;
  GSubprocess *process;
  char        *contact;  /* from its "listening" event */
  GPtrArray   *events;   /* JsonObject* of every JSON line */
  gboolean     exited;
  gboolean     exit_ok;
} ConfabTestPeer;

/* @command: the confab-cli command and its options, NULL-terminated;
 * @data_dir: its XDG_DATA_HOME (its own chat history), or NULL. */
void     confab_test_peer_start (ConfabTestPeer     *peer,
                                 const char * const *command,
                                 const char         *data_dir);
void     confab_test_peer_write (ConfabTestPeer     *peer,
                                 const char         *line);
void     confab_test_peer_stop  (ConfabTestPeer     *peer);
/* Whether the peer printed an event of @type whose @member is @value. */
gboolean confab_test_peer_saw   (ConfabTestPeer     *peer,
                                 const char         *type,
                                 const char         *member,
                                 const char         *value);

G_END_DECLS
