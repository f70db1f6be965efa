/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A real Kamailio on 127.0.0.1, started by tests/peers/kamailio-peer.py. */
typedef struct
{
  char  *dir;
  char  *ca_file;
  guint  udp_port;
  guint  tcp_port;
  guint  tls_port;
} ConfabTestKamailio;

ConfabTestKamailio *confab_test_kamailio_start   (const char         *users);
gboolean            confab_test_kamailio_restart (ConfabTestKamailio *kamailio);
void                confab_test_kamailio_stop    (ConfabTestKamailio *kamailio);
gboolean            confab_test_kamailio_lookup  (ConfabTestKamailio *kamailio,
                                                  const char         *user,
                                                  char              **contacts);
char               *confab_test_kamailio_proxy   (ConfabTestKamailio *kamailio,
                                                  const char         *transport);
void                confab_test_kamailio_free    (ConfabTestKamailio *kamailio);

G_END_DECLS
