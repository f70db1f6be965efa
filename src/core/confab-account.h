/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "confab-engine.h"

G_BEGIN_DECLS

typedef enum
{
  CONFAB_ACCOUNT_KIND_SIP,      /* a provider account */
  CONFAB_ACCOUNT_KIND_LOCAL,    /* the built-in account, sip:USER@HOST:PORT */
} ConfabAccountKind;

typedef enum
{
  CONFAB_TRANSPORT_UDP,
  CONFAB_TRANSPORT_TCP,
  CONFAB_TRANSPORT_TLS,
} ConfabTransport;

typedef enum
{
  CONFAB_ACCOUNT_STATE_DISABLED,
  CONFAB_ACCOUNT_STATE_READY,         /* online without registering */
  CONFAB_ACCOUNT_STATE_REGISTERING,
  CONFAB_ACCOUNT_STATE_REGISTERED,
  CONFAB_ACCOUNT_STATE_UNREGISTERING,
  CONFAB_ACCOUNT_STATE_FAILED,
} ConfabAccountState;

#define CONFAB_TYPE_ACCOUNT (confab_account_get_type ())
G_DECLARE_FINAL_TYPE (ConfabAccount, confab_account, CONFAB, ACCOUNT, GObject)

ConfabAccount     *confab_account_new              (const char     *address);
ConfabAccount     *confab_account_new_local        (const char     *username,
                                                    guint           port);
ConfabAccount     *confab_account_new_from_json    (JsonNode       *node,
                                                    GError        **error);
JsonNode          *confab_account_to_json          (ConfabAccount  *self);
gboolean           confab_account_validate         (ConfabAccount  *self,
                                                    GError        **error);

const char        *confab_account_get_id           (ConfabAccount  *self);
ConfabAccountKind  confab_account_get_kind         (ConfabAccount  *self);
const char        *confab_account_get_address      (ConfabAccount  *self);
void               confab_account_set_address      (ConfabAccount  *self,
                                                    const char     *address);
const char        *confab_account_get_display_name (ConfabAccount  *self);
void               confab_account_set_display_name (ConfabAccount  *self,
                                                    const char     *display_name);
const char        *confab_account_get_auth_username (ConfabAccount *self);
void               confab_account_set_auth_username (ConfabAccount *self,
                                                     const char    *auth_username);
const char        *confab_account_get_password     (ConfabAccount  *self);
void               confab_account_set_password     (ConfabAccount  *self,
                                                    const char     *password);
const char        *confab_account_get_proxy        (ConfabAccount  *self);
void               confab_account_set_proxy        (ConfabAccount  *self,
                                                    const char     *proxy);
ConfabTransport    confab_account_get_transport    (ConfabAccount  *self);
void               confab_account_set_transport    (ConfabAccount  *self,
                                                    ConfabTransport transport);
gboolean           confab_account_get_register     (ConfabAccount  *self);
void               confab_account_set_register     (ConfabAccount  *self,
                                                    gboolean        do_register);
guint              confab_account_get_expires      (ConfabAccount  *self);
void               confab_account_set_expires      (ConfabAccount  *self,
                                                    guint           expires);
const char        *confab_account_get_ca_file      (ConfabAccount  *self);
void               confab_account_set_ca_file      (ConfabAccount  *self,
                                                    const char     *ca_file);
gboolean           confab_account_get_enabled      (ConfabAccount  *self);
void               confab_account_set_enabled      (ConfabAccount  *self,
                                                    gboolean        enabled);
guint              confab_account_get_local_port   (ConfabAccount  *self);
void               confab_account_set_local_port   (ConfabAccount  *self,
                                                    guint           port);
guint              confab_account_get_retry_interval (ConfabAccount *self);
void               confab_account_set_retry_interval (ConfabAccount *self,
                                                      guint          seconds);

ConfabAccountState confab_account_get_state        (ConfabAccount  *self);
const char        *confab_account_get_state_reason (ConfabAccount  *self);
GQuark             confab_account_get_failure_domain (ConfabAccount *self);
int                confab_account_get_failure_code (ConfabAccount  *self);
const char        *confab_account_get_contact      (ConfabAccount  *self);
guint              confab_account_get_granted_expires (ConfabAccount *self);
char              *confab_account_dup_label        (ConfabAccount  *self);

gboolean           confab_account_go_online        (ConfabAccount  *self,
                                                    ConfabEngine   *engine,
                                                    GError        **error);
void               confab_account_go_offline       (ConfabAccount  *self);
gboolean           confab_account_is_online        (ConfabAccount  *self);

const char        *confab_transport_to_string      (ConfabTransport transport);
gboolean           confab_transport_from_string    (const char     *str,
                                                    ConfabTransport *transport);
const char        *confab_account_state_to_string  (ConfabAccountState state);

G_END_DECLS
