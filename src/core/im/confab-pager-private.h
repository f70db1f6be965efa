/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "im/confab-pager.h"
#include "im/confab-imdn.h"

#include <sofia-sip/nua.h>

G_BEGIN_DECLS

/* Shared by the sending side (confab-pager.c) and the receiving side
 * (confab-pager-incoming.c); not public API. */

char     *_confab_pager_new_message_id       (void);
gboolean  _confab_pager_send_request         (ConfabPager        *self,
                                              ConfabAccount      *account,
                                              const char         *request_uri,
                                              const char         *to_uri,
                                              const char         *content_type,
                                              GBytes             *payload,
                                              ConfabChatMessage  *message,
                                              GTask              *task,
                                              GError            **error);
void      _confab_pager_handle_notification  (ConfabPager        *self,
                                              const ConfabImdn   *imdn);
void      _confab_pager_emit_received        (ConfabPager        *self,
                                              ConfabChatMessage  *message);
void      _confab_pager_emit_composing       (ConfabPager        *self,
                                              const char         *sender_uri,
                                              gboolean            active,
                                              guint               timeout);
/* Answers an incoming MESSAGE and acts on it. */
void      _confab_pager_receive              (ConfabPager        *self,
                                              ConfabAccount      *account,
                                              nua_t              *nua,
                                              nua_handle_t       *nh,
                                              const sip_t        *sip);

G_END_DECLS
