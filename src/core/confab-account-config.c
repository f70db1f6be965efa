/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabAccount"

#include "config.h"

#include "confab-account-private.h"
#include "confab-error.h"
#include "confab-uri.h"

#include <glib/gi18n-lib.h>

/* ConfabAccount as configuration: its entry in accounts.json, validation,
 * and the names of its enums on the wire and in the CLI. */

/* Keys this version writes; anything else found in accounts.json is kept
 * as-is so that a newer Confab's fields survive a round trip. */
static const char *const known_keys[] = {
  "id", "kind", "address", "display-name", "auth-username", "proxy",
  "transport", "register", "expires", "ca-file", "enabled", NULL
};

static const char *
json_get_string (JsonObject *object,
                 const char *key)
{
  JsonNode *node = json_object_get_member (object, key);

  if (!node || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/**
 * confab_account_new_from_json:
 *
 * Builds an account from one entry of accounts.json. Unknown keys are kept
 * and written back by confab_account_to_json().
 */
ConfabAccount *
confab_account_new_from_json (JsonNode  *node,
                              GError   **error)
{
  g_autoptr (ConfabAccount) self = NULL;
  JsonObject *object;
  const char *id, *address, *transport;
  ConfabTransport tp = CONFAB_TRANSPORT_UDP;
  g_autoptr (GList) members = NULL;
  g_autoptr (JsonObject) extra = NULL;

  g_return_val_if_fail (node != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node)) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID, "An account entry is not an object");
    return NULL;
  }
  object = json_node_get_object (node);

  address = json_get_string (object, "address");
  if (!address) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID, "An account entry has no address");
    return NULL;
  }
  id = json_get_string (object, "id");
  transport = json_get_string (object, "transport");
  if (transport && !confab_transport_from_string (transport, &tp)) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 "Account %s has an unknown transport “%s”", address, transport);
    return NULL;
  }

  self = g_object_new (CONFAB_TYPE_ACCOUNT,
                       "id", (id && *id) ? id : NULL,
                       "address", address,
                       "display-name", json_get_string (object, "display-name"),
                       "auth-username", json_get_string (object, "auth-username"),
                       "proxy", json_get_string (object, "proxy"),
                       "ca-file", json_get_string (object, "ca-file"),
                       "transport", tp,
                       NULL);

  confab_account_set_register (self,
                               json_object_get_boolean_member_with_default (object, "register",
                                                                            TRUE));
  confab_account_set_enabled (self,
                              json_object_get_boolean_member_with_default (object, "enabled",
                                                                           TRUE));
  if (json_object_has_member (object, "expires")) {
    gint64 expires = json_object_get_int_member_with_default (object, "expires",
                                                              CONFAB_ACCOUNT_DEFAULT_EXPIRES);

    confab_account_set_expires (self, (guint) CLAMP (expires, CONFAB_ACCOUNT_MIN_EXPIRES, 86400));
  }

  members = json_object_get_members (object);
  for (GList *l = members; l; l = l->next) {
    const char *key = l->data;

    if (g_strv_contains (known_keys, key))
      continue;
    if (!extra)
      extra = json_object_new ();
    json_object_set_member (extra, key, json_node_copy (json_object_get_member (object, key)));
  }
  _confab_account_set_extra (self, extra);

  if (!confab_account_validate (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

JsonNode *
confab_account_to_json (ConfabAccount *self)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  JsonObject *extra;
  const char *display_name, *auth_username, *proxy, *ca_file;

  g_return_val_if_fail (CONFAB_IS_ACCOUNT (self), NULL);

  display_name = confab_account_get_display_name (self);
  auth_username = confab_account_get_auth_username (self);
  proxy = confab_account_get_proxy (self);
  ca_file = confab_account_get_ca_file (self);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, confab_account_get_id (self));
  json_builder_set_member_name (builder, "address");
  json_builder_add_string_value (builder, confab_account_get_address (self)
                                          ? confab_account_get_address (self) : "");
#define ADD_OPTIONAL_STRING(key, field) \
  if (field) { \
    json_builder_set_member_name (builder, key); \
    json_builder_add_string_value (builder, field); \
  }
  ADD_OPTIONAL_STRING ("display-name", display_name);
  ADD_OPTIONAL_STRING ("auth-username", auth_username);
  ADD_OPTIONAL_STRING ("proxy", proxy);
  ADD_OPTIONAL_STRING ("ca-file", ca_file);
#undef ADD_OPTIONAL_STRING
  json_builder_set_member_name (builder, "transport");
  json_builder_add_string_value (builder, confab_transport_to_string (confab_account_get_transport (self)));
  json_builder_set_member_name (builder, "register");
  json_builder_add_boolean_value (builder, confab_account_get_register (self));
  json_builder_set_member_name (builder, "expires");
  json_builder_add_int_value (builder, confab_account_get_expires (self));
  json_builder_set_member_name (builder, "enabled");
  json_builder_add_boolean_value (builder, confab_account_get_enabled (self));

  extra = _confab_account_get_extra (self);
  if (extra) {
    g_autoptr (GList) members = json_object_get_members (extra);

    for (GList *l = members; l; l = l->next) {
      json_builder_set_member_name (builder, l->data);
      json_builder_add_value (builder, json_node_copy (json_object_get_member (extra, l->data)));
    }
  }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * confab_account_validate:
 *
 * Checks that the address, proxy and CA file make a usable account; the
 * error message is meant for the user.
 */
gboolean
confab_account_validate (ConfabAccount  *self,
                         GError        **error)
{
  g_autoptr (ConfabUri) uri = NULL;
  g_autoptr (GError) local_error = NULL;
  const char *address, *proxy_text, *ca_file;

  g_return_val_if_fail (CONFAB_IS_ACCOUNT (self), FALSE);

  address = confab_account_get_address (self);
  proxy_text = confab_account_get_proxy (self);
  ca_file = confab_account_get_ca_file (self);
  if (!address) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID, _("The SIP address is missing."));
    return FALSE;
  }
  uri = confab_uri_parse (address, &local_error);
  if (!uri || (uri->scheme != CONFAB_URI_SCHEME_SIP && uri->scheme != CONFAB_URI_SCHEME_SIPS) ||
      !uri->user) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("“%s” is not a SIP address like sip:alice@example.org."), address);
    return FALSE;
  }
  if (proxy_text) {
    g_autoptr (ConfabUri) proxy = confab_uri_parse (proxy_text, NULL);

    if (!proxy || (proxy->scheme != CONFAB_URI_SCHEME_SIP &&
                   proxy->scheme != CONFAB_URI_SCHEME_SIPS)) {
      g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                   _("The outbound proxy “%s” is not a SIP URI like sip:proxy.example.org."),
                   proxy_text);
      return FALSE;
    }
  }
  if (ca_file && !g_file_test (ca_file, G_FILE_TEST_IS_REGULAR)) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("The CA file “%s” does not exist."), ca_file);
    return FALSE;
  }
  return TRUE;
}

const char *
confab_transport_to_string (ConfabTransport transport)
{
  switch (transport) {
  case CONFAB_TRANSPORT_UDP:
    return "udp";
  case CONFAB_TRANSPORT_TCP:
    return "tcp";
  case CONFAB_TRANSPORT_TLS:
    return "tls";
  default:
    return "udp";
  }
}

gboolean
confab_transport_from_string (const char      *str,
                              ConfabTransport *transport)
{
  g_return_val_if_fail (transport != NULL, FALSE);

  if (!str)
    return FALSE;
  if (g_ascii_strcasecmp (str, "udp") == 0)
    *transport = CONFAB_TRANSPORT_UDP;
  else if (g_ascii_strcasecmp (str, "tcp") == 0)
    *transport = CONFAB_TRANSPORT_TCP;
  else if (g_ascii_strcasecmp (str, "tls") == 0)
    *transport = CONFAB_TRANSPORT_TLS;
  else
    return FALSE;
  return TRUE;
}

/* The names used on the CLI's JSON events (../shared/CLI.md). */
const char *
confab_account_state_to_string (ConfabAccountState state)
{
  switch (state) {
  case CONFAB_ACCOUNT_STATE_DISABLED:
    return "unregistered";
  case CONFAB_ACCOUNT_STATE_READY:
    return "ready";
  case CONFAB_ACCOUNT_STATE_REGISTERING:
    return "registering";
  case CONFAB_ACCOUNT_STATE_REGISTERED:
    return "registered";
  case CONFAB_ACCOUNT_STATE_UNREGISTERING:
    return "unregistering";
  case CONFAB_ACCOUNT_STATE_FAILED:
    return "failed";
  default:
    return "unknown";
  }
}
