/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "conference/confab-conference.h"

G_BEGIN_DECLS

/* confab-conference.c keeps the model; confab-conference-sip.c the SIP
 * dialogs. This is how the two meet. */

/* The SIP side's state, owned by the conference: @destroy runs on dispose
 * (or when replaced). */
typedef struct _ConfabConferenceSip ConfabConferenceSip;
ConfabConferenceSip *_confab_conference_get_sip (ConfabConference    *self);
void                 _confab_conference_set_sip (ConfabConference    *self,
                                                 ConfabConferenceSip *sip,
                                                 GDestroyNotify       destroy);

/* Sets "subscription-state" and "subscription-error" (NULL unless FAILED),
 * notifying each only on change. */
void _confab_conference_set_subscription_state (ConfabConference                  *self,
                                                ConfabConferenceSubscriptionState  state,
                                                const char                        *error);
void _confab_conference_emit_refer_progress    (ConfabConference                  *self,
                                                const char                        *uri,
                                                ConfabConferenceReferMethod        method,
                                                guint                              status,
                                                const char                        *phrase);

G_END_DECLS
