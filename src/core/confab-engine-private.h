/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "confab-engine.h"

#include <sofia-sip/nua.h>
#include <sofia-sip/su_tag.h>

G_BEGIN_DECLS

/* One user agent per account. The engine owns the nua and calls the handler
 * for every event on the GLib main context. */
typedef void (*ConfabUaHandler) (nua_event_t   event,
                                 int           status,
                                 const char   *phrase,
                                 nua_t        *nua,
                                 nua_handle_t *nh,
                                 const sip_t  *sip,
                                 tagi_t        tags[],
                                 gpointer      user_data);

typedef struct _ConfabUa ConfabUa;

ConfabUa *_confab_engine_create_ua (ConfabEngine    *self,
                                    ConfabUaHandler  handler,
                                    gpointer         user_data,
                                    GError         **error,
                                    tag_type_t       tag,
                                    tag_value_t      value,
                                    ...);
nua_t    *_confab_ua_get_nua (ConfabUa *ua);
/* Shuts the user agent down (un-REGISTERs, ends usages) and frees it once
 * sofia confirms; the handler is not called any more. `done` runs when the
 * agent is gone. */
void      _confab_engine_release_ua (ConfabEngine   *self,
                                     ConfabUa       *ua,
                                     GDestroyNotify  done,
                                     gpointer        done_data);

/* Everything but registration goes to the session manager, when there is
 * one; it returns FALSE for events it does not own. */
typedef struct _ConfabAccount ConfabAccount;
typedef gboolean (*ConfabCallHandler) (ConfabAccount *account,
                                       nua_event_t    event,
                                       int            status,
                                       const char    *phrase,
                                       nua_t         *nua,
                                       nua_handle_t  *nh,
                                       const sip_t   *sip,
                                       tagi_t         tags[],
                                       gpointer       user_data);

void      _confab_engine_set_call_handler (ConfabEngine      *self,
                                           ConfabCallHandler  handler,
                                           gpointer           user_data);
/* MESSAGE requests and responses go to the pager (core/im) first; without
 * one, incoming MESSAGEs are refused with 480. */
void      _confab_engine_set_message_handler (ConfabEngine      *self,
                                              ConfabCallHandler  handler,
                                              gpointer           user_data);
gboolean  _confab_engine_dispatch_call    (ConfabEngine      *self,
                                           ConfabAccount     *account,
                                           nua_event_t        event,
                                           int                status,
                                           const char        *phrase,
                                           nua_t             *nua,
                                           nua_handle_t      *nh,
                                           const sip_t       *sip,
                                           tagi_t             tags[]);

G_END_DECLS
