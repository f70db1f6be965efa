/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "confab-account.h"
#include "confab-engine.h"
#include "im/confab-chat-message.h"

G_BEGIN_DECLS

/* Page-mode instant messages (SIP MESSAGE, RFC 3428) for every account of
 * an engine, the local account included: one pager per engine.
 *
 * Sent messages travel in CPIM (RFC 3862) asking for delivery and display
 * notifications (IMDN, RFC 5438) unless CONFAB_PAGER_SEND_PLAIN is given.
 * Received ones are answered (200, or 415/413/400), unwrapped and emitted
 * as "message-received"; a requested positive-delivery notification is
 * sent back at once. Notifications about sent messages update their state
 * and emit "delivery"; is-composing documents emit "composing".
 *
 * Signals:
 *  - "message-received" (ConfabChatMessage *message): incoming, state
 *    RECEIVED; its conversation is the sender's address
 *  - "delivery" (const char *message_id, ConfabChatState state): a sent
 *    message is now SENT, DELIVERED, DISPLAYED or FAILED
 *  - "composing" (const char *sender_uri, gboolean active, guint timeout):
 *    the peer started (active; lapses after @timeout seconds) or stopped
 *    typing */

#define CONFAB_PAGER_MAX_BODY (64 * 1024) /* bytes in a MESSAGE we accept */

typedef enum
{
  CONFAB_PAGER_SEND_DEFAULT = 0,       /* CPIM, asking for IMDN */
  CONFAB_PAGER_SEND_PLAIN   = 1 << 0,  /* the body as given: no CPIM, no IMDN */
  CONFAB_PAGER_SEND_NO_IMDN = 1 << 1,  /* CPIM without a notification request */
} ConfabPagerSendFlags;

#define CONFAB_TYPE_PAGER (confab_pager_get_type ())
G_DECLARE_FINAL_TYPE (ConfabPager, confab_pager, CONFAB, PAGER, GObject)

ConfabPager       *confab_pager_new                   (ConfabEngine          *engine);
ConfabChatMessage *confab_pager_send_async            (ConfabPager           *self,
                                                       ConfabAccount         *account,
                                                       const char            *to_uri,
                                                       const char            *content_type,
                                                       GBytes                *body,
                                                       ConfabPagerSendFlags   flags,
                                                       GCancellable          *cancellable,
                                                       GAsyncReadyCallback    callback,
                                                       gpointer               user_data);
gboolean           confab_pager_send_finish           (ConfabPager           *self,
                                                       GAsyncResult          *result,
                                                       guint                 *sip_status,
                                                       GError               **error);
/* Tells the sender of a received message that it was shown, when it asked. */
gboolean           confab_pager_send_displayed        (ConfabPager           *self,
                                                       ConfabChatMessage     *message,
                                                       GError               **error);
/* A sent message still waiting for notifications, by its id. */
ConfabChatMessage *confab_pager_find_sent             (ConfabPager           *self,
                                                       const char            *message_id);

G_END_DECLS
