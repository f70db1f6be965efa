/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabAccountManager"

#include "config.h"

#include "confab-account-manager.h"
#include "confab-error.h"
#include "confab-uri.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

/* The provider accounts as a GListModel, persisted to
 * $XDG_CONFIG_HOME/confab/accounts.json (passwords go to the secret store),
 * plus the built-in local account, which lives outside the list. While
 * online, every enabled account has its user agent running; toggling
 * "enabled" brings one up or down. */

#define CONFIG_VERSION 1
#define MAX_CONFIG_SIZE (4 * 1024 * 1024)
#define SAVE_DELAY_MS 300

struct _ConfabAccountManager
{
  GObject            parent_instance;

  ConfabEngine      *engine;
  ConfabSecretStore *secrets;
  char              *config_path;
  GPtrArray         *accounts;       /* ConfabAccount*, owned */
  ConfabAccount     *local_account;
  JsonObject        *extra;          /* top-level keys of newer versions */
  GCancellable      *cancellable;
  guint              save_id;
  gboolean           online;
};

static void confab_account_manager_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ConfabAccountManager, confab_account_manager, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      confab_account_manager_list_model_init))

enum {
  PROP_0,
  PROP_LOCAL_ACCOUNT,
  PROP_ONLINE,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static GType
confab_account_manager_get_item_type (GListModel *model)
{
  return CONFAB_TYPE_ACCOUNT;
}

static guint
confab_account_manager_get_n_items (GListModel *model)
{
  return CONFAB_ACCOUNT_MANAGER (model)->accounts->len;
}

static gpointer
confab_account_manager_get_item (GListModel *model,
                                 guint       position)
{
  ConfabAccountManager *self = CONFAB_ACCOUNT_MANAGER (model);

  if (position >= self->accounts->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->accounts, position));
}

static void
confab_account_manager_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = confab_account_manager_get_item_type;
  iface->get_n_items = confab_account_manager_get_n_items;
  iface->get_item = confab_account_manager_get_item;
}

static void
bring_online (ConfabAccountManager *self,
              ConfabAccount        *account)
{
  g_autoptr (GError) error = NULL;

  if (!self->online || !self->engine || !confab_account_get_enabled (account) ||
      confab_account_is_online (account))
    return;
  if (!confab_account_go_online (account, self->engine, &error))
    g_warning ("%s: %s", confab_account_get_address (account), error->message);
}

static gboolean
save_now (gpointer user_data)
{
  ConfabAccountManager *self = user_data;
  g_autoptr (GError) error = NULL;

  self->save_id = 0;
  if (!confab_account_manager_save (self, &error))
    g_warning ("Could not save the accounts: %s", error->message);
  return G_SOURCE_REMOVE;
}

static void
schedule_save (ConfabAccountManager *self)
{
  if (self->save_id == 0)
    self->save_id = g_timeout_add (SAVE_DELAY_MS, save_now, self);
}

static void
on_password_stored (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr (GError) error = NULL;

  if (!confab_secret_store_store_finish (CONFAB_SECRET_STORE (source), result, &error))
    g_warning ("Could not store the password in the keyring: %s", error->message);
}

static void
on_account_notify (ConfabAccount        *account,
                   GParamSpec           *pspec,
                   ConfabAccountManager *self)
{
  const char *name = pspec->name;

  if (g_str_equal (name, "state") || g_str_equal (name, "state-reason") ||
      g_str_equal (name, "contact") || g_str_equal (name, "granted-expires") ||
      g_str_equal (name, "label") || g_str_equal (name, "retry-interval"))
    return;

  if (g_str_equal (name, "password")) {
    const char *password = confab_account_get_password (account);
    g_autofree char *label = confab_account_dup_label (account);

    if (password && self->secrets)
      confab_secret_store_store_async (self->secrets, confab_account_get_id (account), label,
                                       password, self->cancellable, on_password_stored, NULL);
    return;
  }

  schedule_save (self);

  if (g_str_equal (name, "enabled")) {
    if (confab_account_get_enabled (account))
      bring_online (self, account);
    else
      confab_account_go_offline (account);
  }
}

static void
track_account (ConfabAccountManager *self,
               ConfabAccount        *account)
{
  g_signal_connect_object (account, "notify", G_CALLBACK (on_account_notify), self, 0);
}

static void
confab_account_manager_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  ConfabAccountManager *self = CONFAB_ACCOUNT_MANAGER (object);

  switch (prop_id) {
  case PROP_LOCAL_ACCOUNT:
    g_value_set_object (value, self->local_account);
    break;
  case PROP_ONLINE:
    g_value_set_boolean (value, self->online);
    break;
  case PROP_N_ITEMS:
    g_value_set_uint (value, self->accounts->len);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_account_manager_dispose (GObject *object)
{
  ConfabAccountManager *self = CONFAB_ACCOUNT_MANAGER (object);

  if (self->save_id) {
    g_clear_handle_id (&self->save_id, g_source_remove);
    save_now (self);
  }
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->accounts)
    g_ptr_array_set_size (self->accounts, 0);
  g_clear_object (&self->local_account);
  g_clear_object (&self->secrets);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (confab_account_manager_parent_class)->dispose (object);
}

static void
confab_account_manager_finalize (GObject *object)
{
  ConfabAccountManager *self = CONFAB_ACCOUNT_MANAGER (object);

  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_pointer (&self->extra, json_object_unref);
  g_free (self->config_path);

  G_OBJECT_CLASS (confab_account_manager_parent_class)->finalize (object);
}

static void
confab_account_manager_class_init (ConfabAccountManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = confab_account_manager_get_property;
  object_class->dispose = confab_account_manager_dispose;
  object_class->finalize = confab_account_manager_finalize;

  props[PROP_LOCAL_ACCOUNT] =
    g_param_spec_object ("local-account", NULL, NULL, CONFAB_TYPE_ACCOUNT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_ONLINE] =
    g_param_spec_boolean ("online", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
confab_account_manager_init (ConfabAccountManager *self)
{
  self->accounts = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
}

/**
 * confab_account_manager_new:
 * @engine: (nullable): the SIP engine; without one accounts never go online
 * @secrets: (nullable): where passwords live; %NULL keeps them in memory
 * @config_path: (nullable): accounts.json; %NULL for the default location
 */
ConfabAccountManager *
confab_account_manager_new (ConfabEngine      *engine,
                            ConfabSecretStore *secrets,
                            const char        *config_path)
{
  ConfabAccountManager *self = g_object_new (CONFAB_TYPE_ACCOUNT_MANAGER, NULL);

  self->engine = engine ? g_object_ref (engine) : NULL;
  self->secrets = secrets ? g_object_ref (secrets) : confab_memory_secret_store_new ();
  self->config_path = config_path ? g_strdup (config_path)
                                  : confab_account_manager_default_config_path ();
  return self;
}

char *
confab_account_manager_default_config_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "confab", "accounts.json", NULL);
}

const char *
confab_account_manager_get_config_path (ConfabAccountManager *self)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT_MANAGER (self), NULL);
  return self->config_path;
}

/**
 * confab_account_manager_load:
 *
 * Reads accounts.json. A missing file is an empty list; a broken one is an
 * error and leaves the file untouched (it is never overwritten by an empty
 * list). Entries that do not validate are skipped with a warning.
 */
gboolean
confab_account_manager_load (ConfabAccountManager  *self,
                             GError               **error)
{
  g_autofree char *contents = NULL;
  g_autoptr (GError) local_error = NULL;
  gsize length = 0;

  g_return_val_if_fail (CONFAB_IS_ACCOUNT_MANAGER (self), FALSE);

  if (!g_file_get_contents (self->config_path, &contents, &length, &local_error)) {
    if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
      return TRUE;
    g_propagate_error (error, g_steal_pointer (&local_error));
    return FALSE;
  }
  return confab_account_manager_load_from_data (self, contents, length, error);
}

/**
 * confab_account_manager_load_from_data:
 *
 * Replaces the accounts with those in @data (the text of accounts.json).
 */
gboolean
confab_account_manager_load_from_data (ConfabAccountManager  *self,
                                       const char            *data,
                                       gsize                  length,
                                       GError               **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local_error = NULL;
  JsonNode *root;
  JsonObject *object;
  JsonArray *array;
  guint removed;

  g_return_val_if_fail (CONFAB_IS_ACCOUNT_MANAGER (self), FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  if (length > MAX_CONFIG_SIZE) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("%s is too large to be an accounts file"), self->config_path);
    return FALSE;
  }
  if (!json_parser_load_from_data (parser, data ? data : "", (gssize) length, &local_error)) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID, _("%s is not valid JSON: %s"),
                 self->config_path, local_error->message);
    return FALSE;
  }
  root = json_parser_get_root (parser);
  if (!root || !JSON_NODE_HOLDS_OBJECT (root)) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("%s does not hold an accounts object"), self->config_path);
    return FALSE;
  }
  object = json_node_get_object (root);
  if (json_object_get_int_member_with_default (object, "version", 1) > CONFIG_VERSION)
    g_message ("%s was written by a newer Confab; unknown fields are kept", self->config_path);

  removed = self->accounts->len;
  g_ptr_array_set_size (self->accounts, 0);
  g_clear_pointer (&self->extra, json_object_unref);

  array = NULL;
  if (json_object_has_member (object, "accounts") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "accounts")))
    array = json_object_get_array_member (object, "accounts");
  for (guint i = 0; array && i < json_array_get_length (array); i++) {
    g_autoptr (GError) entry_error = NULL;
    ConfabAccount *account;

    account = confab_account_new_from_json (json_array_get_element (array, i), &entry_error);
    if (!account) {
      g_warning ("%s: account %u skipped: %s", self->config_path, i, entry_error->message);
      continue;
    }
    if (confab_account_manager_find (self, confab_account_get_id (account))) {
      g_warning ("%s: duplicate account id %s skipped", self->config_path,
                 confab_account_get_id (account));
      g_object_unref (account);
      continue;
    }
    track_account (self, account);
    g_ptr_array_add (self->accounts, account);
  }

  {
    g_autoptr (GList) members = json_object_get_members (object);

    for (GList *l = members; l; l = l->next) {
      if (g_str_equal (l->data, "version") || g_str_equal (l->data, "accounts"))
        continue;
      if (!self->extra)
        self->extra = json_object_new ();
      json_object_set_member (self->extra, l->data,
                              json_node_copy (json_object_get_member (object, l->data)));
    }
  }

  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->accounts->len);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_ITEMS]);
  return TRUE;
}

/**
 * confab_account_manager_save:
 *
 * Writes accounts.json atomically with mode 0600. Passwords are not in it.
 */
gboolean
confab_account_manager_save (ConfabAccountManager  *self,
                             GError               **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *text = NULL;
  gsize length;

  g_return_val_if_fail (CONFAB_IS_ACCOUNT_MANAGER (self), FALSE);

  g_clear_handle_id (&self->save_id, g_source_remove);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, CONFIG_VERSION);
  json_builder_set_member_name (builder, "accounts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->accounts->len; i++)
    json_builder_add_value (builder, confab_account_to_json (g_ptr_array_index (self->accounts, i)));
  json_builder_end_array (builder);
  if (self->extra) {
    g_autoptr (GList) members = json_object_get_members (self->extra);

    for (GList *l = members; l; l = l->next) {
      json_builder_set_member_name (builder, l->data);
      json_builder_add_value (builder, json_node_copy (json_object_get_member (self->extra,
                                                                                l->data)));
    }
  }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &length);

  dir = g_path_get_dirname (self->config_path);
  if (g_mkdir_with_parents (dir, 0700) != 0) {
    int saved_errno = errno;

    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                 _("Could not create %s: %s"), dir, g_strerror (saved_errno));
    return FALSE;
  }
  return g_file_set_contents_full (self->config_path, text, (gssize) length,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/**
 * confab_account_manager_load_passwords:
 *
 * Fetches each account's password from the secret store (blocking: the CLI
 * and tests; the app brings accounts online and lets this happen first in a
 * worker through confab_account_manager_set_online()).
 */
gboolean
confab_account_manager_load_passwords (ConfabAccountManager  *self,
                                       GError               **error)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT_MANAGER (self), FALSE);

  for (guint i = 0; i < self->accounts->len; i++) {
    ConfabAccount *account = g_ptr_array_index (self->accounts, i);
    g_autofree char *password = NULL;

    if (confab_account_get_password (account))
      continue;
    password = confab_secret_store_lookup (self->secrets, confab_account_get_id (account),
                                           NULL, error);
    if (error && *error)
      return FALSE;
    if (password) {
      /* Set without re-storing what the store just gave us. */
      g_signal_handlers_block_by_func (account, on_account_notify, self);
      confab_account_set_password (account, password);
      g_signal_handlers_unblock_by_func (account, on_account_notify, self);
      memset (password, 0, strlen (password));
    }
  }
  return TRUE;
}

gboolean
confab_account_manager_add (ConfabAccountManager  *self,
                            ConfabAccount         *account,
                            GError               **error)
{
  const char *password;

  g_return_val_if_fail (CONFAB_IS_ACCOUNT_MANAGER (self), FALSE);
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (account), FALSE);

  if (!confab_account_validate (account, error))
    return FALSE;
  if (confab_account_manager_find (self, confab_account_get_address (account))) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID, _("There is already an account %s."),
                 confab_account_get_address (account));
    return FALSE;
  }

  password = confab_account_get_password (account);
  if (password) {
    g_autofree char *label = confab_account_dup_label (account);

    if (!confab_secret_store_store (self->secrets, confab_account_get_id (account), label,
                                    password, NULL, error))
      return FALSE;
  }

  g_ptr_array_add (self->accounts, g_object_ref (account));
  track_account (self, account);
  if (!confab_account_manager_save (self, error)) {
    g_signal_handlers_disconnect_by_data (account, self);
    g_ptr_array_remove (self->accounts, account);
    return FALSE;
  }
  g_list_model_items_changed (G_LIST_MODEL (self), self->accounts->len - 1, 0, 1);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_ITEMS]);
  bring_online (self, account);
  return TRUE;
}

gboolean
confab_account_manager_remove (ConfabAccountManager  *self,
                               ConfabAccount         *account,
                               GError               **error)
{
  guint position;
  g_autoptr (ConfabAccount) hold = NULL;
  g_autoptr (GError) secret_error = NULL;

  g_return_val_if_fail (CONFAB_IS_ACCOUNT_MANAGER (self), FALSE);
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (account), FALSE);

  if (!g_ptr_array_find (self->accounts, account, &position)) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_NOT_FOUND, _("No such account: %s"),
                 confab_account_get_address (account));
    return FALSE;
  }

  hold = g_object_ref (account);
  g_signal_handlers_disconnect_by_data (account, self);
  confab_account_go_offline (account);
  g_ptr_array_remove_index (self->accounts, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_ITEMS]);

  /* A keyring that is locked or gone must not keep the account around. */
  if (!confab_secret_store_clear (self->secrets, confab_account_get_id (account), NULL,
                                  &secret_error))
    g_warning ("Could not remove the password of %s: %s", confab_account_get_address (account),
               secret_error->message);

  return confab_account_manager_save (self, error);
}

/**
 * confab_account_manager_find:
 * @id_or_address: an account id, SIP address (with or without "sip:") or
 *   display name
 *
 * Returns: (transfer none) (nullable): the account
 */
ConfabAccount *
confab_account_manager_find (ConfabAccountManager *self,
                             const char           *id_or_address)
{
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (CONFAB_IS_ACCOUNT_MANAGER (self), NULL);
  g_return_val_if_fail (id_or_address != NULL, NULL);

  normalized = confab_uri_normalize (id_or_address, NULL);
  for (guint i = 0; i < self->accounts->len; i++) {
    ConfabAccount *account = g_ptr_array_index (self->accounts, i);

    if (g_strcmp0 (confab_account_get_id (account), id_or_address) == 0 ||
        g_strcmp0 (confab_account_get_address (account), normalized) == 0 ||
        g_strcmp0 (confab_account_get_display_name (account), id_or_address) == 0)
      return account;
  }
  return NULL;
}

/**
 * confab_account_manager_get_local_account:
 *
 * Returns: (transfer none) (nullable): the built-in account
 */
ConfabAccount *
confab_account_manager_get_local_account (ConfabAccountManager *self)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT_MANAGER (self), NULL);
  return self->local_account;
}

void
confab_account_manager_set_local_account (ConfabAccountManager *self,
                                          ConfabAccount        *account)
{
  g_return_if_fail (CONFAB_IS_ACCOUNT_MANAGER (self));
  g_return_if_fail (!account || confab_account_get_kind (account) == CONFAB_ACCOUNT_KIND_LOCAL);

  if (self->local_account == account)
    return;
  if (self->local_account) {
    g_signal_handlers_disconnect_by_data (self->local_account, self);
    confab_account_go_offline (self->local_account);
  }
  g_set_object (&self->local_account, account);
  if (account) {
    g_signal_connect_object (account, "notify::enabled", G_CALLBACK (on_account_notify), self, 0);
    bring_online (self, account);
  }
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LOCAL_ACCOUNT]);
}

/**
 * confab_account_manager_get_engine:
 *
 * Returns: (transfer none) (nullable): the engine
 */
ConfabEngine *
confab_account_manager_get_engine (ConfabAccountManager *self)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT_MANAGER (self), NULL);
  return self->engine;
}

typedef struct
{
  ConfabAccountManager *manager;
  ConfabAccount        *account;
} PasswordLookup;

static void
on_password_looked_up (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  PasswordLookup *lookup = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *password = NULL;

  password = confab_secret_store_lookup_finish (CONFAB_SECRET_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    goto out;
  if (error)
    g_warning ("Could not read the password of %s from the keyring: %s",
               confab_account_get_address (lookup->account), error->message);
  if (password) {
    g_signal_handlers_block_by_func (lookup->account, on_account_notify, lookup->manager);
    confab_account_set_password (lookup->account, password);
    g_signal_handlers_unblock_by_func (lookup->account, on_account_notify, lookup->manager);
    memset (password, 0, strlen (password));
  }
  bring_online (lookup->manager, lookup->account);

out:
  g_object_unref (lookup->manager);
  g_object_unref (lookup->account);
  g_free (lookup);
}

/**
 * confab_account_manager_set_online:
 *
 * Brings every enabled account online (fetching passwords from the secret
 * store first, off the main thread), or takes them all offline.
 */
void
confab_account_manager_set_online (ConfabAccountManager *self,
                                   gboolean              online)
{
  g_return_if_fail (CONFAB_IS_ACCOUNT_MANAGER (self));

  online = !!online;
  if (self->online == online)
    return;
  self->online = online;

  if (self->local_account) {
    if (online)
      bring_online (self, self->local_account);
    else
      confab_account_go_offline (self->local_account);
  }
  for (guint i = 0; i < self->accounts->len; i++) {
    ConfabAccount *account = g_ptr_array_index (self->accounts, i);

    if (!online) {
      confab_account_go_offline (account);
    } else if (confab_account_get_enabled (account) && !confab_account_get_password (account)) {
      PasswordLookup *lookup = g_new0 (PasswordLookup, 1);

      lookup->manager = g_object_ref (self);
      lookup->account = g_object_ref (account);
      confab_secret_store_lookup_async (self->secrets, confab_account_get_id (account),
                                        self->cancellable, on_password_looked_up, lookup);
    } else {
      bring_online (self, account);
    }
  }
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ONLINE]);
}

gboolean
confab_account_manager_get_online (ConfabAccountManager *self)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT_MANAGER (self), FALSE);
  return self->online;
}
