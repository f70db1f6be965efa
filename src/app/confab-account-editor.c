/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabApp"

#include "config.h"

#include "confab-account-editor.h"
#include "confab-account-restart.h"

#include <glib/gi18n.h>

/* Adds a provider account or edits one. The fields are checked as they are
 * typed, with the same rules the core applies (confab_account_validate() on
 * a scratch account), and Add/Save stays off until they pass. */

struct _ConfabAccountEditor
{
  AdwWindow             parent_instance;

  ConfabAccountManager *manager;
  ConfabAccount        *account;          /* NULL when adding */
  char                 *save_error;
  char                 *address_error;
  char                 *connection_error;
  GtkWidget            *address_error_row;     /* the field in error, borrowed */
  GtkWidget            *connection_error_row;
  guint                 show_errors_id;

  GtkWidget            *save_button;
  GtkWidget            *save_error_group;
  GtkLabel             *save_error_label;
  AdwEntryRow          *address_row;
  AdwPasswordEntryRow  *password_row;
  AdwEntryRow          *display_name_row;
  GtkLabel             *address_error_label;
  AdwEntryRow          *auth_username_row;
  AdwComboRow          *transport_row;
  AdwEntryRow          *proxy_row;
  AdwEntryRow          *ca_file_row;
  GtkLabel             *connection_error_label;
  GtkSwitch            *register_switch;
  GtkSpinButton        *expires_spin;
};

G_DEFINE_FINAL_TYPE (ConfabAccountEditor, confab_account_editor, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_ACCOUNT_MANAGER,
  PROP_ACCOUNT,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

#define SHOW_ERRORS_DELAY_MS 700

/* Returns: (transfer full) (nullable): the trimmed text, %NULL when empty */
static char *
get_field (gpointer editable)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable)));

  g_strstrip (text);
  return *text ? g_steal_pointer (&text) : NULL;
}

static ConfabTransport
get_transport (ConfabAccountEditor *self)
{
  switch (adw_combo_row_get_selected (self->transport_row)) {
  case 1:
    return CONFAB_TRANSPORT_TCP;
  case 2:
    return CONFAB_TRANSPORT_TLS;
  case 0:
  default:
    return CONFAB_TRANSPORT_UDP;
  }
}

static void
show_error (GtkLabel   *label,
            GtkWidget  *row,
            const char *message)
{
  gtk_label_set_label (label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
  if (row && message)
    gtk_widget_add_css_class (row, "error");
}

static void
show_errors (ConfabAccountEditor *self)
{
  g_clear_handle_id (&self->show_errors_id, g_source_remove);

  gtk_widget_remove_css_class (GTK_WIDGET (self->address_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->proxy_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->ca_file_row), "error");
  show_error (self->address_error_label, self->address_error_row, self->address_error);
  show_error (self->connection_error_label, self->connection_error_row, self->connection_error);

  gtk_label_set_label (self->save_error_label, self->save_error ? self->save_error : "");
  gtk_widget_set_visible (self->save_error_group, self->save_error != NULL);
}

static gboolean
on_show_errors_timeout (gpointer user_data)
{
  ConfabAccountEditor *self = user_data;

  self->show_errors_id = 0;
  show_errors (self);
  return G_SOURCE_REMOVE;
}

static void
set_field_error (char       **field,
                 GtkWidget  **field_row,
                 GtkWidget   *row,
                 const char  *message)
{
  g_free (*field);
  *field = g_strdup (message);
  *field_row = row;
}

/* Checks the fields one group at a time, so that each message lands under
 * the field it is about. The messages are shown by show_errors(). */
static gboolean
validate (ConfabAccountEditor *self)
{
  g_autofree char *address = get_field (self->address_row);
  g_autofree char *proxy = get_field (self->proxy_row);
  g_autofree char *ca_file = get_field (self->ca_file_row);
  g_autoptr (ConfabAccount) scratch = NULL;
  g_autoptr (GError) error = NULL;
  ConfabAccount *existing;
  gboolean valid = FALSE;

  set_field_error (&self->address_error, &self->address_error_row, NULL, NULL);
  set_field_error (&self->connection_error, &self->connection_error_row, NULL, NULL);

  if (!address)
    goto out;

  scratch = confab_account_new (address);
  if (!confab_account_validate (scratch, &error)) {
    set_field_error (&self->address_error, &self->address_error_row,
                     GTK_WIDGET (self->address_row), error->message);
    goto out;
  }
  existing = confab_account_manager_find (self->manager, confab_account_get_address (scratch));
  if (existing && existing != self->account &&
      g_strcmp0 (confab_account_get_address (existing), confab_account_get_address (scratch)) == 0) {
    g_autofree char *message = g_strdup_printf (_("There is already an account %s."),
                                                confab_account_get_address (scratch));

    set_field_error (&self->address_error, &self->address_error_row,
                     GTK_WIDGET (self->address_row), message);
    goto out;
  }

  confab_account_set_proxy (scratch, proxy);
  if (!confab_account_validate (scratch, &error)) {
    set_field_error (&self->connection_error, &self->connection_error_row,
                     GTK_WIDGET (self->proxy_row), error->message);
    goto out;
  }
  if (get_transport (self) == CONFAB_TRANSPORT_TLS) {
    confab_account_set_ca_file (scratch, ca_file);
    if (!confab_account_validate (scratch, &error)) {
      set_field_error (&self->connection_error, &self->connection_error_row,
                       GTK_WIDGET (self->ca_file_row), error->message);
      goto out;
    }
  }
  valid = TRUE;

out:
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", valid);
  return valid;
}

/* A half-typed address is not a mistake yet: errors appear once typing
 * pauses, and go away at once. */
static void
validate_soon (ConfabAccountEditor *self)
{
  g_clear_pointer (&self->save_error, g_free);
  g_clear_handle_id (&self->show_errors_id, g_source_remove);
  if (validate (self) || (!self->address_error && !self->connection_error))
    show_errors (self);
  else
    self->show_errors_id = g_timeout_add (SHOW_ERRORS_DELAY_MS, on_show_errors_timeout, self);
}

static void
on_field_changed (ConfabAccountEditor *self)
{
  validate_soon (self);
}

static void
on_transport_changed (ConfabAccountEditor *self)
{
  /* The CA file only matters for TLS. */
  gtk_widget_set_visible (GTK_WIDGET (self->ca_file_row),
                          get_transport (self) == CONFAB_TRANSPORT_TLS);
  validate_soon (self);
}

static void
on_entry_activated (ConfabAccountEditor *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "editor.save", NULL);
}

static void
on_ca_file_chosen (GtkNativeDialog     *dialog,
                   int                  response,
                   ConfabAccountEditor *self)
{
  if (response == GTK_RESPONSE_ACCEPT) {
    g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
    g_autofree char *path = file ? g_file_get_path (file) : NULL;

    if (path)
      gtk_editable_set_text (GTK_EDITABLE (self->ca_file_row), path);
  }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
on_choose_ca_file (ConfabAccountEditor *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr (GtkFileFilter) certificates = gtk_file_filter_new ();
  g_autoptr (GtkFileFilter) all = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Choose a CA Certificate"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"),
                                         _("_Cancel"));
  gtk_file_filter_set_name (certificates, _("Certificates (PEM)"));
  gtk_file_filter_add_pattern (certificates, "*.pem");
  gtk_file_filter_add_pattern (certificates, "*.crt");
  gtk_file_filter_add_mime_type (certificates, "application/x-x509-ca-cert");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), certificates);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_ca_file_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_save (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  ConfabAccountEditor *self = CONFAB_ACCOUNT_EDITOR (widget);

  /* A failure shows in the editor, which stays open. */
  confab_account_editor_save (self, NULL);
}

static void
fill_fields (ConfabAccountEditor *self)
{
  ConfabAccount *account = self->account;
  const char *ca_file;

#define SET_TEXT(row, value) \
  gtk_editable_set_text (GTK_EDITABLE (row), (value) ? (value) : "")
  SET_TEXT (self->address_row, confab_account_get_address (account));
  SET_TEXT (self->password_row, confab_account_get_password (account));
  SET_TEXT (self->display_name_row, confab_account_get_display_name (account));
  SET_TEXT (self->auth_username_row, confab_account_get_auth_username (account));
  SET_TEXT (self->proxy_row, confab_account_get_proxy (account));
  ca_file = confab_account_get_ca_file (account);
  SET_TEXT (self->ca_file_row, ca_file);
#undef SET_TEXT

  switch (confab_account_get_transport (account)) {
  case CONFAB_TRANSPORT_TCP:
    adw_combo_row_set_selected (self->transport_row, 1);
    break;
  case CONFAB_TRANSPORT_TLS:
    adw_combo_row_set_selected (self->transport_row, 2);
    break;
  case CONFAB_TRANSPORT_UDP:
  default:
    adw_combo_row_set_selected (self->transport_row, 0);
    break;
  }
  gtk_switch_set_active (self->register_switch, confab_account_get_register (account));
  gtk_spin_button_set_value (self->expires_spin, confab_account_get_expires (account));
}

/* Copies the fields into @account (all but the address). */
static void
apply_fields (ConfabAccountEditor *self,
              ConfabAccount       *account)
{
  g_autofree char *display_name = get_field (self->display_name_row);
  g_autofree char *auth_username = get_field (self->auth_username_row);
  g_autofree char *proxy = get_field (self->proxy_row);
  g_autofree char *ca_file = get_field (self->ca_file_row);
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  ConfabTransport transport = get_transport (self);

  confab_account_set_display_name (account, display_name);
  confab_account_set_auth_username (account, auth_username);
  confab_account_set_proxy (account, proxy);
  confab_account_set_transport (account, transport);
  confab_account_set_ca_file (account, transport == CONFAB_TRANSPORT_TLS ? ca_file : NULL);
  confab_account_set_register (account, gtk_switch_get_active (self->register_switch));
  confab_account_set_expires (account, (guint) gtk_spin_button_get_value_as_int (self->expires_spin));
  /* An emptied field keeps the stored password rather than erasing it. */
  if (password && *password && g_strcmp0 (password, confab_account_get_password (account)) != 0)
    confab_account_set_password (account, password);
}

static char *
describe_account (ConfabAccount *account)
{
  g_autoptr (JsonNode) node = confab_account_to_json (account);
  g_autofree char *json = json_to_string (node, FALSE);
  const char *password = confab_account_get_password (account);

  return g_strconcat (json, "\n", password ? password : "", NULL);
}

static void
confab_account_editor_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  ConfabAccountEditor *self = CONFAB_ACCOUNT_EDITOR (object);

  switch (prop_id) {
  case PROP_ACCOUNT_MANAGER:
    g_value_set_object (value, self->manager);
    break;
  case PROP_ACCOUNT:
    g_value_set_object (value, self->account);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_account_editor_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  ConfabAccountEditor *self = CONFAB_ACCOUNT_EDITOR (object);

  switch (prop_id) {
  case PROP_ACCOUNT_MANAGER:
    self->manager = g_value_dup_object (value);
    break;
  case PROP_ACCOUNT:
    self->account = g_value_dup_object (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_account_editor_constructed (GObject *object)
{
  ConfabAccountEditor *self = CONFAB_ACCOUNT_EDITOR (object);

  G_OBJECT_CLASS (confab_account_editor_parent_class)->constructed (object);

  g_assert (CONFAB_IS_ACCOUNT_MANAGER (self->manager));

  if (self->account) {
    gtk_window_set_title (GTK_WINDOW (self), _("Edit Account"));
    gtk_button_set_label (GTK_BUTTON (self->save_button), _("_Save"));
    fill_fields (self);
  }
  on_transport_changed (self);
  /* Editing is mostly about a password that is missing or wrong. */
  if (self->account && !confab_account_get_password (self->account))
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->address_row));
}

static void
confab_account_editor_dispose (GObject *object)
{
  ConfabAccountEditor *self = CONFAB_ACCOUNT_EDITOR (object);

  g_clear_handle_id (&self->show_errors_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), CONFAB_TYPE_ACCOUNT_EDITOR);
  g_clear_object (&self->account);
  g_clear_object (&self->manager);

  G_OBJECT_CLASS (confab_account_editor_parent_class)->dispose (object);
}

static void
confab_account_editor_finalize (GObject *object)
{
  ConfabAccountEditor *self = CONFAB_ACCOUNT_EDITOR (object);

  g_free (self->save_error);
  g_free (self->address_error);
  g_free (self->connection_error);

  G_OBJECT_CLASS (confab_account_editor_parent_class)->finalize (object);
}

static void
confab_account_editor_class_init (ConfabAccountEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = confab_account_editor_get_property;
  object_class->set_property = confab_account_editor_set_property;
  object_class->constructed = confab_account_editor_constructed;
  object_class->dispose = confab_account_editor_dispose;
  object_class->finalize = confab_account_editor_finalize;

  props[PROP_ACCOUNT_MANAGER] =
    g_param_spec_object ("account-manager", NULL, NULL, CONFAB_TYPE_ACCOUNT_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, CONFAB_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, on_save);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/confab/Confab/confab-account-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountEditor, save_error_group);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountEditor, save_error_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountEditor, address_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountEditor, password_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountEditor, display_name_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountEditor, address_error_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountEditor, auth_username_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountEditor, transport_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountEditor, proxy_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountEditor, ca_file_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountEditor, connection_error_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountEditor, register_switch);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountEditor, expires_spin);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_transport_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_ca_file);
}

static void
confab_account_editor_init (ConfabAccountEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * confab_account_editor_new:
 * @transient_for: (nullable): the preferences window
 * @manager: where the account goes
 * @account: (nullable): the account to edit, or %NULL to add one
 *
 * The fields are template children that tests can reach with
 * gtk_widget_get_template_child(): address_row, password_row,
 * display_name_row, auth_username_row, transport_row, proxy_row,
 * ca_file_row, register_switch, expires_spin.
 */
ConfabAccountEditor *
confab_account_editor_new (GtkWindow            *transient_for,
                           ConfabAccountManager *manager,
                           ConfabAccount        *account)
{
  g_return_val_if_fail (!transient_for || GTK_IS_WINDOW (transient_for), NULL);
  g_return_val_if_fail (CONFAB_IS_ACCOUNT_MANAGER (manager), NULL);
  g_return_val_if_fail (!account || CONFAB_IS_ACCOUNT (account), NULL);

  return g_object_new (CONFAB_TYPE_ACCOUNT_EDITOR,
                       "transient-for", transient_for,
                       "account-manager", manager,
                       "account", account,
                       NULL);
}

/**
 * confab_account_editor_get_account:
 *
 * Returns: (transfer none) (nullable): the account being edited; %NULL when
 *   adding one
 */
ConfabAccount *
confab_account_editor_get_account (ConfabAccountEditor *self)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT_EDITOR (self), NULL);
  return self->account;
}

/**
 * confab_account_editor_get_can_save:
 *
 * Returns: whether the fields are complete and valid (Add/Save is on)
 */
gboolean
confab_account_editor_get_can_save (ConfabAccountEditor *self)
{
  gboolean valid;

  g_return_val_if_fail (CONFAB_IS_ACCOUNT_EDITOR (self), FALSE);

  valid = validate (self);
  show_errors (self);
  return valid;
}

/**
 * confab_account_editor_get_error_text:
 *
 * Returns: (nullable): the message shown about the fields or the last
 *   failed save, or %NULL when there is none
 */
const char *
confab_account_editor_get_error_text (ConfabAccountEditor *self)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT_EDITOR (self), NULL);

  if (self->save_error)
    return self->save_error;
  if (self->address_error)
    return self->address_error;
  return self->connection_error;
}

/**
 * confab_account_editor_save:
 *
 * What Add/Save does: adds the new account to the manager (its password
 * goes to the secret store), or updates the edited one, saves the accounts
 * file and restarts the account; then closes the editor.
 *
 * Returns: %TRUE on success; the editor stays open on failure
 */
gboolean
confab_account_editor_save (ConfabAccountEditor  *self,
                            GError              **error)
{
  g_autofree char *address = NULL;
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (CONFAB_IS_ACCOUNT_EDITOR (self), FALSE);

  g_clear_pointer (&self->save_error, g_free);
  if (!validate (self)) {
    const char *message = confab_account_editor_get_error_text (self);

    show_errors (self);
    g_set_error_literal (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                         message ? message : _("The SIP address is missing."));
    return FALSE;
  }

  address = get_field (self->address_row);
  if (!self->account) {
    g_autoptr (ConfabAccount) account = confab_account_new (address);

    apply_fields (self, account);
    if (!confab_account_manager_add (self->manager, account, &local_error)) {
      if (local_error->domain != CONFAB_ERROR && local_error->domain != G_FILE_ERROR &&
          confab_account_get_password (account)) {
        /* The password goes to the keyring first; the rest is plain files. */
        self->save_error =
          g_strdup_printf (_("The password could not be stored in the keyring: %s. "
                             "Check that a keyring (Secret Service) is running and "
                             "unlocked, then try again."),
                           local_error->message);
      }
      goto failed;
    }
  } else {
    g_autofree char *before = describe_account (self->account);
    g_autofree char *after = NULL;

    confab_account_set_address (self->account, address);
    apply_fields (self, self->account);
    after = describe_account (self->account);
    /* Written now rather than later, so that a failure shows here. */
    if (!confab_account_manager_save (self->manager, &local_error))
      goto failed;
    if (!g_str_equal (before, after))
      confab_account_restart (self->manager, self->account);
  }

  gtk_window_close (GTK_WINDOW (self));
  return TRUE;

failed:
  if (!self->save_error)
    self->save_error = g_strdup_printf (_("Could not save the account: %s"),
                                        local_error->message);
  show_errors (self);
  g_set_error_literal (error, local_error->domain, local_error->code, self->save_error);
  return FALSE;
}
