/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabApp"

#include "config.h"

#include "confab-account-row.h"

#include <glib/gi18n.h>

/* One account in a list: who it is, its state in words, and a switch to
 * turn it on or off. In the preferences it also offers Edit and Remove,
 * which activate the "account.edit" and "account.remove" actions with the
 * account id as target. */

struct _ConfabAccountRow
{
  AdwActionRow   parent_instance;

  ConfabAccount *account;
  gboolean       editable;

  GtkImage      *kind_icon;
  GtkWidget     *status_box;
  GtkSpinner    *spinner;
  GtkImage      *status_icon;
  GtkLabel      *status_label;
  GtkWidget     *edit_button;
  GtkWidget     *remove_button;
  GtkSwitch     *enabled_switch;
};

G_DEFINE_FINAL_TYPE (ConfabAccountRow, confab_account_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_ACCOUNT,
  PROP_EDITABLE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static gboolean
is_local (ConfabAccountRow *self)
{
  return confab_account_get_kind (self->account) == CONFAB_ACCOUNT_KIND_LOCAL;
}

static void
update_labels (ConfabAccountRow *self)
{
  const char *address = confab_account_get_address (self->account);

  if (is_local (self)) {
    const char *contact = confab_account_get_contact (self->account);

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), _("This computer"));
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self),
                                 contact ? contact : _("Not reachable from other computers"));
  } else {
    const char *display_name = confab_account_get_display_name (self->account);
    const char *transport = confab_transport_to_string (confab_account_get_transport (self->account));
    g_autofree char *transport_name = g_ascii_strup (transport ? transport : "", -1);
    g_autofree char *subtitle = NULL;

    /* Translators: the subtitle of an account: its address and transport */
    subtitle = g_strdup_printf (_("%s · %s"), address ? address : "", transport_name);
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self),
                                   display_name ? display_name : (address ? address : ""));
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  }
}

static void
update_status (ConfabAccountRow *self)
{
  ConfabAccountState state = confab_account_get_state (self->account);
  const char *reason = confab_account_get_state_reason (self->account);
  const char *text = NULL;
  const char *icon = NULL;
  const char *style = NULL;
  g_autofree char *tooltip = NULL;
  gboolean busy = FALSE;

  switch (state) {
  case CONFAB_ACCOUNT_STATE_REGISTERED:
    text = _("Registered");
    icon = "emblem-ok-symbolic";
    style = "success";
    break;
  case CONFAB_ACCOUNT_STATE_REGISTERING:
    text = _("Registering…");
    busy = TRUE;
    break;
  case CONFAB_ACCOUNT_STATE_UNREGISTERING:
    text = _("Signing off…");
    busy = TRUE;
    break;
  case CONFAB_ACCOUNT_STATE_READY:
    text = _("Ready");
    if (reason) {
      /* e.g. "port 5060 is in use, listening on 5061 instead" */
      icon = "dialog-warning-symbolic";
      style = "warning";
      tooltip = g_strdup (reason);
    } else {
      icon = "emblem-ok-symbolic";
      style = "success";
    }
    break;
  case CONFAB_ACCOUNT_STATE_FAILED:
    /* The reason says what went wrong, e.g. "wrong password (401)". */
    text = reason ? reason : _("Failed");
    icon = "dialog-error-symbolic";
    style = "error";
    /* Translators: the tooltip of a failed account; %s is the reason */
    tooltip = reason ? g_strdup_printf (_("Failed: %s"), reason) : NULL;
    break;
  case CONFAB_ACCOUNT_STATE_DISABLED:
  default:
    text = confab_account_get_enabled (self->account) ? _("Offline") : _("Disabled");
    style = "dim-label";
    break;
  }

  gtk_label_set_label (self->status_label, text);
  gtk_widget_set_tooltip_text (self->status_box, tooltip);
  gtk_image_set_from_icon_name (self->status_icon, icon);
  gtk_widget_set_visible (GTK_WIDGET (self->status_icon), icon != NULL);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);

  gtk_widget_remove_css_class (self->status_box, "success");
  gtk_widget_remove_css_class (self->status_box, "warning");
  gtk_widget_remove_css_class (self->status_box, "error");
  gtk_widget_remove_css_class (self->status_box, "dim-label");
  if (style)
    gtk_widget_add_css_class (self->status_box, style);
}

static void
on_account_notify (ConfabAccount    *account,
                   GParamSpec       *pspec,
                   ConfabAccountRow *self)
{
  const char *name = pspec->name;

  if (g_str_equal (name, "state") || g_str_equal (name, "state-reason") ||
      g_str_equal (name, "enabled"))
    update_status (self);
  else if (g_str_equal (name, "address") || g_str_equal (name, "display-name") ||
           g_str_equal (name, "transport") || g_str_equal (name, "contact"))
    update_labels (self);
}

static void
update_activatable (ConfabAccountRow *self)
{
  /* In the preferences a click on the row edits the account. */
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self),
                                         self->editable ? self->edit_button : NULL);
}

static void
confab_account_row_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ConfabAccountRow *self = CONFAB_ACCOUNT_ROW (object);

  switch (prop_id) {
  case PROP_ACCOUNT:
    g_value_set_object (value, self->account);
    break;
  case PROP_EDITABLE:
    g_value_set_boolean (value, self->editable);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_account_row_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  ConfabAccountRow *self = CONFAB_ACCOUNT_ROW (object);

  switch (prop_id) {
  case PROP_ACCOUNT:
    self->account = g_value_dup_object (value);
    break;
  case PROP_EDITABLE:
    confab_account_row_set_editable (self, g_value_get_boolean (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_account_row_constructed (GObject *object)
{
  ConfabAccountRow *self = CONFAB_ACCOUNT_ROW (object);
  const char *id;

  G_OBJECT_CLASS (confab_account_row_parent_class)->constructed (object);

  g_assert (CONFAB_IS_ACCOUNT (self->account));

  id = confab_account_get_id (self->account);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->edit_button), "s", id ? id : "");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->remove_button), "s", id ? id : "");
  if (is_local (self))
    gtk_image_set_from_icon_name (self->kind_icon, "computer-symbolic");

  g_object_bind_property (self->account, "enabled", self->enabled_switch, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->account, "notify", G_CALLBACK (on_account_notify), self, 0);

  update_labels (self);
  update_status (self);
  update_activatable (self);
}

static void
confab_account_row_dispose (GObject *object)
{
  ConfabAccountRow *self = CONFAB_ACCOUNT_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CONFAB_TYPE_ACCOUNT_ROW);
  g_clear_object (&self->account);

  G_OBJECT_CLASS (confab_account_row_parent_class)->dispose (object);
}

static void
confab_account_row_class_init (ConfabAccountRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = confab_account_row_get_property;
  object_class->set_property = confab_account_row_set_property;
  object_class->constructed = confab_account_row_constructed;
  object_class->dispose = confab_account_row_dispose;

  props[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, CONFAB_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * ConfabAccountRow:editable:
   *
   * Whether the row offers Edit and Remove buttons (in the preferences).
   */
  props[PROP_EDITABLE] =
    g_param_spec_boolean ("editable", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/confab/Confab/confab-account-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountRow, kind_icon);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountRow, status_box);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountRow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountRow, edit_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountRow, remove_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountRow, enabled_switch);
}

static void
confab_account_row_init (ConfabAccountRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
confab_account_row_new (ConfabAccount *account)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (account), NULL);

  return g_object_new (CONFAB_TYPE_ACCOUNT_ROW, "account", account, NULL);
}

/**
 * confab_account_row_get_account:
 *
 * Returns: (transfer none): the account the row shows
 */
ConfabAccount *
confab_account_row_get_account (ConfabAccountRow *self)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT_ROW (self), NULL);
  return self->account;
}

gboolean
confab_account_row_get_editable (ConfabAccountRow *self)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT_ROW (self), FALSE);
  return self->editable;
}

void
confab_account_row_set_editable (ConfabAccountRow *self,
                                 gboolean          editable)
{
  g_return_if_fail (CONFAB_IS_ACCOUNT_ROW (self));

  editable = !!editable;
  if (self->editable == editable)
    return;
  self->editable = editable;
  gtk_widget_set_visible (self->edit_button, editable);
  gtk_widget_set_visible (self->remove_button, editable);
  if (self->account)
    update_activatable (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_EDITABLE]);
}

/**
 * confab_account_row_get_status_text:
 *
 * Returns: the state as the row shows it in words, e.g. "Registered" or,
 *   for a failed account, the reason
 */
const char *
confab_account_row_get_status_text (ConfabAccountRow *self)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT_ROW (self), NULL);
  return gtk_label_get_label (self->status_label);
}
