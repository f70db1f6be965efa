/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "conference/confab-conference-private.h"
#include "confab-account.h"
#include "confab-engine-private.h"

G_BEGIN_DECLS

/* For the session manager: a conference reached through @account. The
 * SIP side (SUBSCRIBE dialog, REFERs) lives on the account's user agent;
 * its handles carry the conference as magic, so the session manager
 * passes their events here. */
void     _confab_conference_attach       (ConfabConference *self,
                                          ConfabAccount    *account);
ConfabAccount *_confab_conference_get_account (ConfabConference *self);
/* SUBSCRIBE Event: conference (again after leave or failure). With
 * @retry_unknown_room a 480 is tried again a few times (the room is being
 * made by our INVITE); otherwise it fails the subscription. */
void     _confab_conference_subscribe    (ConfabConference *self,
                                          gboolean          retry_unknown_room);
gboolean _confab_conference_handle_event (ConfabConference *self,
                                          nua_event_t       event,
                                          int               status,
                                          const char       *phrase,
                                          nua_handle_t     *nh,
                                          const sip_t      *sip,
                                          tagi_t            tags[]);

G_END_DECLS
