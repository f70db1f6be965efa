/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabAccount"

#include "config.h"

#include "confab-account-private.h"
#include "confab-enums.h"
#include "confab-error.h"
#include "confab-registration.h"
#include "confab-uri.h"

#include <glib/gi18n-lib.h>

#define DEFAULT_RETRY_INTERVAL 30

struct _ConfabAccount
{
  GObject             parent_instance;

  char               *id;
  ConfabAccountKind   kind;
  char               *address;
  char               *display_name;
  char               *auth_username;
  char               *password;
  char               *proxy;
  ConfabTransport     transport;
  gboolean            do_register;
  guint               expires;
  char               *ca_file;
  gboolean            enabled;
  guint               local_port;
  guint               bound_port;
  guint               retry_interval;
  JsonObject         *extra;

  ConfabAccountState  state;
  char               *state_reason;
  GQuark              failure_domain;
  int                 failure_code;
  char               *contact;
  guint               granted_expires;

  ConfabRegistration *registration;
};

G_DEFINE_FINAL_TYPE (ConfabAccount, confab_account, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_ADDRESS,
  PROP_DISPLAY_NAME,
  PROP_AUTH_USERNAME,
  PROP_PASSWORD,
  PROP_PROXY,
  PROP_TRANSPORT,
  PROP_REGISTER,
  PROP_EXPIRES,
  PROP_CA_FILE,
  PROP_ENABLED,
  PROP_LOCAL_PORT,
  PROP_RETRY_INTERVAL,
  PROP_STATE,
  PROP_STATE_REASON,
  PROP_CONTACT,
  PROP_GRANTED_EXPIRES,
  PROP_LABEL,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (value && !*value)
    value = NULL;
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
confab_account_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ConfabAccount *self = CONFAB_ACCOUNT (object);

  switch (prop_id) {
  case PROP_ID:
    g_value_set_string (value, self->id);
    break;
  case PROP_KIND:
    g_value_set_enum (value, self->kind);
    break;
  case PROP_ADDRESS:
    g_value_set_string (value, self->address);
    break;
  case PROP_DISPLAY_NAME:
    g_value_set_string (value, self->display_name);
    break;
  case PROP_AUTH_USERNAME:
    g_value_set_string (value, self->auth_username);
    break;
  case PROP_PASSWORD:
    g_value_set_string (value, self->password);
    break;
  case PROP_PROXY:
    g_value_set_string (value, self->proxy);
    break;
  case PROP_TRANSPORT:
    g_value_set_enum (value, self->transport);
    break;
  case PROP_REGISTER:
    g_value_set_boolean (value, self->do_register);
    break;
  case PROP_EXPIRES:
    g_value_set_uint (value, self->expires);
    break;
  case PROP_CA_FILE:
    g_value_set_string (value, self->ca_file);
    break;
  case PROP_ENABLED:
    g_value_set_boolean (value, self->enabled);
    break;
  case PROP_LOCAL_PORT:
    g_value_set_uint (value, self->local_port);
    break;
  case PROP_RETRY_INTERVAL:
    g_value_set_uint (value, self->retry_interval);
    break;
  case PROP_STATE:
    g_value_set_enum (value, self->state);
    break;
  case PROP_STATE_REASON:
    g_value_set_string (value, self->state_reason);
    break;
  case PROP_CONTACT:
    g_value_set_string (value, self->contact);
    break;
  case PROP_GRANTED_EXPIRES:
    g_value_set_uint (value, self->granted_expires);
    break;
  case PROP_LABEL:
    g_value_take_string (value, confab_account_dup_label (self));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_account_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  ConfabAccount *self = CONFAB_ACCOUNT (object);

  switch (prop_id) {
  case PROP_ID:
    self->id = g_value_dup_string (value);
    break;
  case PROP_KIND:
    self->kind = g_value_get_enum (value);
    break;
  case PROP_ADDRESS:
    confab_account_set_address (self, g_value_get_string (value));
    break;
  case PROP_DISPLAY_NAME:
    confab_account_set_display_name (self, g_value_get_string (value));
    break;
  case PROP_AUTH_USERNAME:
    confab_account_set_auth_username (self, g_value_get_string (value));
    break;
  case PROP_PASSWORD:
    confab_account_set_password (self, g_value_get_string (value));
    break;
  case PROP_PROXY:
    confab_account_set_proxy (self, g_value_get_string (value));
    break;
  case PROP_TRANSPORT:
    confab_account_set_transport (self, g_value_get_enum (value));
    break;
  case PROP_REGISTER:
    confab_account_set_register (self, g_value_get_boolean (value));
    break;
  case PROP_EXPIRES:
    confab_account_set_expires (self, g_value_get_uint (value));
    break;
  case PROP_CA_FILE:
    confab_account_set_ca_file (self, g_value_get_string (value));
    break;
  case PROP_ENABLED:
    confab_account_set_enabled (self, g_value_get_boolean (value));
    break;
  case PROP_LOCAL_PORT:
    confab_account_set_local_port (self, g_value_get_uint (value));
    break;
  case PROP_RETRY_INTERVAL:
    confab_account_set_retry_interval (self, g_value_get_uint (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_account_constructed (GObject *object)
{
  ConfabAccount *self = CONFAB_ACCOUNT (object);

  G_OBJECT_CLASS (confab_account_parent_class)->constructed (object);

  if (!self->id)
    self->id = g_uuid_string_random ();
}

static void
confab_account_dispose (GObject *object)
{
  ConfabAccount *self = CONFAB_ACCOUNT (object);

  if (self->registration) {
    _confab_registration_stop (self->registration);
    g_clear_object (&self->registration);
  }

  G_OBJECT_CLASS (confab_account_parent_class)->dispose (object);
}

static void
confab_account_finalize (GObject *object)
{
  ConfabAccount *self = CONFAB_ACCOUNT (object);

  g_free (self->id);
  g_free (self->address);
  g_free (self->display_name);
  g_free (self->auth_username);
  if (self->password)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  g_free (self->proxy);
  g_free (self->ca_file);
  g_free (self->state_reason);
  g_free (self->contact);
  g_clear_pointer (&self->extra, json_object_unref);

  G_OBJECT_CLASS (confab_account_parent_class)->finalize (object);
}

static void
confab_account_class_init (ConfabAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->get_property = confab_account_get_property;
  object_class->set_property = confab_account_set_property;
  object_class->constructed = confab_account_constructed;
  object_class->dispose = confab_account_dispose;
  object_class->finalize = confab_account_finalize;

  props[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, CONFAB_TYPE_ACCOUNT_KIND, CONFAB_ACCOUNT_KIND_SIP,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_ADDRESS] = g_param_spec_string ("address", NULL, NULL, NULL, rw);
  props[PROP_DISPLAY_NAME] = g_param_spec_string ("display-name", NULL, NULL, NULL, rw);
  props[PROP_AUTH_USERNAME] = g_param_spec_string ("auth-username", NULL, NULL, NULL, rw);
  /* Held in memory only: ConfabAccountManager keeps it in the Secret Service. */
  props[PROP_PASSWORD] = g_param_spec_string ("password", NULL, NULL, NULL, rw);
  props[PROP_PROXY] = g_param_spec_string ("proxy", NULL, NULL, NULL, rw);
  props[PROP_TRANSPORT] =
    g_param_spec_enum ("transport", NULL, NULL, CONFAB_TYPE_TRANSPORT, CONFAB_TRANSPORT_UDP, rw);
  props[PROP_REGISTER] = g_param_spec_boolean ("register", NULL, NULL, TRUE, rw);
  props[PROP_EXPIRES] =
    g_param_spec_uint ("expires", NULL, NULL, CONFAB_ACCOUNT_MIN_EXPIRES, 86400, CONFAB_ACCOUNT_DEFAULT_EXPIRES, rw);
  props[PROP_CA_FILE] = g_param_spec_string ("ca-file", NULL, NULL, NULL, rw);
  props[PROP_ENABLED] = g_param_spec_boolean ("enabled", NULL, NULL, TRUE, rw);
  props[PROP_LOCAL_PORT] = g_param_spec_uint ("local-port", NULL, NULL, 0, 65535, 5060, rw);
  props[PROP_RETRY_INTERVAL] =
    g_param_spec_uint ("retry-interval", NULL, NULL, 1, 3600, DEFAULT_RETRY_INTERVAL, rw);
  props[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, CONFAB_TYPE_ACCOUNT_STATE,
                       CONFAB_ACCOUNT_STATE_DISABLED, ro | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_STATE_REASON] = g_param_spec_string ("state-reason", NULL, NULL, NULL, ro);
  props[PROP_CONTACT] = g_param_spec_string ("contact", NULL, NULL, NULL, ro);
  props[PROP_GRANTED_EXPIRES] = g_param_spec_uint ("granted-expires", NULL, NULL, 0, G_MAXUINT, 0, ro);
  props[PROP_LABEL] = g_param_spec_string ("label", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
confab_account_init (ConfabAccount *self)
{
  self->do_register = TRUE;
  self->expires = CONFAB_ACCOUNT_DEFAULT_EXPIRES;
  self->enabled = TRUE;
  self->local_port = 5060;
  self->retry_interval = DEFAULT_RETRY_INTERVAL;
}

ConfabAccount *
confab_account_new (const char *address)
{
  return g_object_new (CONFAB_TYPE_ACCOUNT, "address", address, NULL);
}

/**
 * confab_account_new_local:
 * @username: (nullable): the user part, or %NULL for the login name
 * @port: the SIP port to listen on; 0 picks a free one
 *
 * The built-in account: no registrar, reachable as sip:USER@HOST:PORT.
 */
ConfabAccount *
confab_account_new_local (const char *username,
                          guint       port)
{
  g_autofree char *address = NULL;

  if (!username || !*username)
    username = g_get_user_name ();
  address = g_strdup_printf ("sip:%s@localhost", username);

  return g_object_new (CONFAB_TYPE_ACCOUNT,
                       "id", "local",
                       "kind", CONFAB_ACCOUNT_KIND_LOCAL,
                       "address", address,
                       "display-name", g_get_real_name (),
                       "register", FALSE,
                       "local-port", port,
                       NULL);
}

const char *
confab_account_get_id (ConfabAccount *self)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (self), NULL);
  return self->id;
}

ConfabAccountKind
confab_account_get_kind (ConfabAccount *self)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (self), CONFAB_ACCOUNT_KIND_SIP);
  return self->kind;
}

const char *
confab_account_get_address (ConfabAccount *self)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (self), NULL);
  return self->address;
}

void
confab_account_set_address (ConfabAccount *self,
                            const char    *address)
{
  g_autofree char *normalized = NULL;

  g_return_if_fail (CONFAB_IS_ACCOUNT (self));

  /* "alice@example.org" is accepted and stored as sip:alice@example.org */
  if (address && *address)
    normalized = confab_uri_normalize (address, NULL);
  if (set_string (&self->address, normalized ? normalized : address)) {
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ADDRESS]);
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LABEL]);
  }
}

const char *
confab_account_get_display_name (ConfabAccount *self)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (self), NULL);
  return self->display_name;
}

void
confab_account_set_display_name (ConfabAccount *self,
                                 const char    *display_name)
{
  g_return_if_fail (CONFAB_IS_ACCOUNT (self));
  if (set_string (&self->display_name, display_name)) {
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DISPLAY_NAME]);
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LABEL]);
  }
}

const char *
confab_account_get_auth_username (ConfabAccount *self)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (self), NULL);
  return self->auth_username;
}

void
confab_account_set_auth_username (ConfabAccount *self,
                                  const char    *auth_username)
{
  g_return_if_fail (CONFAB_IS_ACCOUNT (self));
  if (set_string (&self->auth_username, auth_username))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_AUTH_USERNAME]);
}

const char *
confab_account_get_password (ConfabAccount *self)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (self), NULL);
  return self->password;
}

void
confab_account_set_password (ConfabAccount *self,
                             const char    *password)
{
  g_return_if_fail (CONFAB_IS_ACCOUNT (self));
  if (g_strcmp0 (self->password, password) == 0)
    return;
  if (self->password)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  self->password = g_strdup (password);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PASSWORD]);
}

const char *
confab_account_get_proxy (ConfabAccount *self)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (self), NULL);
  return self->proxy;
}

void
confab_account_set_proxy (ConfabAccount *self,
                          const char    *proxy)
{
  g_return_if_fail (CONFAB_IS_ACCOUNT (self));
  if (set_string (&self->proxy, proxy))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PROXY]);
}

ConfabTransport
confab_account_get_transport (ConfabAccount *self)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (self), CONFAB_TRANSPORT_UDP);
  return self->transport;
}

void
confab_account_set_transport (ConfabAccount   *self,
                              ConfabTransport  transport)
{
  g_return_if_fail (CONFAB_IS_ACCOUNT (self));
  g_return_if_fail (transport <= CONFAB_TRANSPORT_TLS);
  if (self->transport == transport)
    return;
  self->transport = transport;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TRANSPORT]);
}

gboolean
confab_account_get_register (ConfabAccount *self)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (self), FALSE);
  return self->do_register;
}

void
confab_account_set_register (ConfabAccount *self,
                             gboolean       do_register)
{
  g_return_if_fail (CONFAB_IS_ACCOUNT (self));
  do_register = !!do_register;
  if (self->do_register == do_register)
    return;
  self->do_register = do_register;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_REGISTER]);
}

guint
confab_account_get_expires (ConfabAccount *self)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (self), 0);
  return self->expires;
}

void
confab_account_set_expires (ConfabAccount *self,
                            guint          expires)
{
  g_return_if_fail (CONFAB_IS_ACCOUNT (self));
  expires = CLAMP (expires, CONFAB_ACCOUNT_MIN_EXPIRES, 86400);
  if (self->expires == expires)
    return;
  self->expires = expires;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_EXPIRES]);
}

const char *
confab_account_get_ca_file (ConfabAccount *self)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (self), NULL);
  return self->ca_file;
}

void
confab_account_set_ca_file (ConfabAccount *self,
                            const char    *ca_file)
{
  g_return_if_fail (CONFAB_IS_ACCOUNT (self));
  if (set_string (&self->ca_file, ca_file))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CA_FILE]);
}

gboolean
confab_account_get_enabled (ConfabAccount *self)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (self), FALSE);
  return self->enabled;
}

void
confab_account_set_enabled (ConfabAccount *self,
                            gboolean       enabled)
{
  g_return_if_fail (CONFAB_IS_ACCOUNT (self));
  enabled = !!enabled;
  if (self->enabled == enabled)
    return;
  self->enabled = enabled;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ENABLED]);
}

guint
confab_account_get_local_port (ConfabAccount *self)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (self), 0);
  return self->local_port;
}

void
confab_account_set_local_port (ConfabAccount *self,
                               guint          port)
{
  g_return_if_fail (CONFAB_IS_ACCOUNT (self));
  g_return_if_fail (port <= 65535);
  if (self->local_port == port)
    return;
  self->local_port = port;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LOCAL_PORT]);
}

guint
confab_account_get_retry_interval (ConfabAccount *self)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (self), 0);
  return self->retry_interval;
}

void
confab_account_set_retry_interval (ConfabAccount *self,
                                   guint          seconds)
{
  g_return_if_fail (CONFAB_IS_ACCOUNT (self));
  seconds = CLAMP (seconds, 1, 3600);
  if (self->retry_interval == seconds)
    return;
  self->retry_interval = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RETRY_INTERVAL]);
}

ConfabAccountState
confab_account_get_state (ConfabAccount *self)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (self), CONFAB_ACCOUNT_STATE_DISABLED);
  return self->state;
}

const char *
confab_account_get_state_reason (ConfabAccount *self)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (self), NULL);
  return self->state_reason;
}

/**
 * confab_account_get_failure_domain:
 *
 * With confab_account_get_failure_code(), the kind of the last failure
 * (%CONFAB_ERROR and a #ConfabError), or 0 when the account has not failed.
 */
GQuark
confab_account_get_failure_domain (ConfabAccount *self)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (self), 0);
  return self->failure_domain;
}

int
confab_account_get_failure_code (ConfabAccount *self)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (self), 0);
  return self->failure_code;
}

const char *
confab_account_get_contact (ConfabAccount *self)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (self), NULL);
  return self->contact;
}

guint
confab_account_get_granted_expires (ConfabAccount *self)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (self), 0);
  return self->granted_expires;
}

/**
 * confab_account_dup_label:
 *
 * Returns: what to call the account in the UI: "Alice <sip:alice@example.org>"
 */
char *
confab_account_dup_label (ConfabAccount *self)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (self), NULL);

  if (self->display_name && self->address)
    return g_strdup_printf ("%s <%s>", self->display_name, self->address);
  return g_strdup (self->address ? self->address : "");
}

/**
 * confab_account_go_online:
 * @engine: the SIP engine
 *
 * Opens the account's user agent: registers when the account registers, or
 * just listens (local account, registration off).
 */
gboolean
confab_account_go_online (ConfabAccount  *self,
                          ConfabEngine   *engine,
                          GError        **error)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (CONFAB_IS_ENGINE (engine), FALSE);

  if (self->registration && _confab_registration_is_active (self->registration))
    return TRUE;
  g_clear_object (&self->registration);

  if (!confab_account_validate (self, error))
    return FALSE;

  self->registration = _confab_registration_new (self, engine);
  if (!_confab_registration_start (self->registration, error)) {
    g_clear_object (&self->registration);
    return FALSE;
  }
  return TRUE;
}

/**
 * confab_account_go_offline:
 *
 * Un-REGISTERs and closes the user agent; the state becomes
 * %CONFAB_ACCOUNT_STATE_DISABLED once the registrar has answered (or the
 * shutdown bound ran out).
 */
void
confab_account_go_offline (ConfabAccount *self)
{
  g_return_if_fail (CONFAB_IS_ACCOUNT (self));

  if (self->registration)
    _confab_registration_stop (self->registration);
}

gboolean
confab_account_is_online (ConfabAccount *self)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (self), FALSE);
  return self->registration && _confab_registration_is_active (self->registration);
}

void
_confab_account_set_state (ConfabAccount      *self,
                           ConfabAccountState  state,
                           const char         *reason,
                           const GError       *failure)
{
  gboolean changed_reason;

  g_return_if_fail (CONFAB_IS_ACCOUNT (self));

  g_object_freeze_notify (G_OBJECT (self));
  changed_reason = set_string (&self->state_reason, reason);
  self->failure_domain = failure ? failure->domain : 0;
  self->failure_code = failure ? failure->code : 0;
  if (changed_reason)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE_REASON]);
  /* A refresh that fails again still tells listeners, even with no change. */
  if (self->state != state || state == CONFAB_ACCOUNT_STATE_FAILED ||
      state == CONFAB_ACCOUNT_STATE_REGISTERED) {
    self->state = state;
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
  }
  g_object_thaw_notify (G_OBJECT (self));
}

void
_confab_account_set_contact (ConfabAccount *self,
                             const char    *contact)
{
  if (set_string (&self->contact, contact))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CONTACT]);
}

void
_confab_account_set_granted_expires (ConfabAccount *self,
                                     guint          expires)
{
  if (self->granted_expires == expires)
    return;
  self->granted_expires = expires;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_GRANTED_EXPIRES]);
}

void
_confab_account_set_bound_port (ConfabAccount *self,
                                guint          port)
{
  self->bound_port = port;
}

guint
_confab_account_get_bound_port (ConfabAccount *self)
{
  return self->bound_port;
}

JsonObject *
_confab_account_get_extra (ConfabAccount *self)
{
  return self->extra;
}

void
_confab_account_set_extra (ConfabAccount *self,
                           JsonObject    *extra)
{
  g_clear_pointer (&self->extra, json_object_unref);
  self->extra = extra ? json_object_ref (extra) : NULL;
}

struct nua_s *
_confab_account_get_nua (ConfabAccount *self)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (self), NULL);
  return self->registration ? _confab_registration_get_nua (self->registration) : NULL;
}
