/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabConference"

#include "config.h"

#include "conference/confab-conference.h"
#include "conference/confab-conference-model-private.h"
#include "confab-enums.h"

#include <string.h>

/* ConfabConference: the room's properties, signals and accessors; the
 * merge of documents is in confab-conference-merge.c. */

G_DEFINE_FINAL_TYPE (ConfabConference, confab_conference, G_TYPE_OBJECT)

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

static void
confab_conference_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  ConfabConference *self = CONFAB_CONFERENCE (object);

  switch (prop_id) {
  case PROP_URI:
    g_value_set_string (value, self->uri);
    break;
  case PROP_SELF_URI:
    g_value_set_string (value, self->self_uri);
    break;
  case PROP_DISPLAY_TEXT:
    g_value_set_string (value, self->display_text);
    break;
  case PROP_SUBJECT:
    g_value_set_string (value, self->subject);
    break;
  case PROP_FREE_TEXT:
    g_value_set_string (value, self->free_text);
    break;
  case PROP_USER_COUNT:
    g_value_set_uint (value, self->user_count);
    break;
  case PROP_ACTIVE:
    g_value_set_boolean (value, self->active);
    break;
  case PROP_LOCKED:
    g_value_set_boolean (value, self->locked);
    break;
  case PROP_VERSION:
    g_value_set_uint (value, self->version);
    break;
  case PROP_SUBSCRIPTION_STATE:
    g_value_set_enum (value, self->subscription_state);
    break;
  case PROP_SUBSCRIPTION_ERROR:
    g_value_set_string (value, self->subscription_error);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_conference_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  ConfabConference *self = CONFAB_CONFERENCE (object);

  switch (prop_id) {
  case PROP_URI:
    self->uri = g_value_dup_string (value);
    self->uri_key = _confab_conference_normalize_address (self->uri);
    break;
  case PROP_SELF_URI:
    confab_conference_set_self_uri (self, g_value_get_string (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_conference_dispose (GObject *object)
{
  ConfabConference *self = CONFAB_CONFERENCE (object);
  ConfabConferenceSip *sip = g_steal_pointer (&self->sip);
  GDestroyNotify destroy = g_steal_pointer (&self->sip_destroy);

  /* The SIP side first: it may still look at the model. */
  if (sip && destroy)
    destroy (sip);
  g_clear_pointer (&self->by_entity, g_hash_table_unref);
  g_clear_object (&self->participants);
  g_clear_object (&self->files);

  G_OBJECT_CLASS (confab_conference_parent_class)->dispose (object);
}

static void
confab_conference_finalize (GObject *object)
{
  ConfabConference *self = CONFAB_CONFERENCE (object);

  g_free (self->uri);
  g_free (self->uri_key);
  g_free (self->self_uri);
  g_free (self->self_key);
  g_free (self->display_text);
  g_free (self->subject);
  g_free (self->free_text);
  g_free (self->subscription_error);

  G_OBJECT_CLASS (confab_conference_parent_class)->finalize (object);
}

static void
confab_conference_class_init (ConfabConferenceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = confab_conference_get_property;
  object_class->set_property = confab_conference_set_property;
  object_class->dispose = confab_conference_dispose;
  object_class->finalize = confab_conference_finalize;

  props[PROP_URI] =
    g_param_spec_string ("uri", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_SELF_URI] =
    g_param_spec_string ("self-uri", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_DISPLAY_TEXT] = g_param_spec_string ("display-text", NULL, NULL, NULL,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_SUBJECT] =
    g_param_spec_string ("subject", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_FREE_TEXT] = g_param_spec_string ("free-text", NULL, NULL, NULL,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_USER_COUNT] = g_param_spec_uint ("user-count", NULL, NULL, 0, G_MAXUINT, 0,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, FALSE,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_LOCKED] = g_param_spec_boolean ("locked", NULL, NULL, FALSE,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_VERSION] = g_param_spec_uint ("version", NULL, NULL, 0, G_MAXUINT, 0,
                                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_SUBSCRIPTION_STATE] =
    g_param_spec_enum ("subscription-state", NULL, NULL, CONFAB_TYPE_CONFERENCE_SUBSCRIPTION_STATE,
                       CONFAB_CONFERENCE_SUBSCRIPTION_IDLE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_SUBSCRIPTION_ERROR] = g_param_spec_string ("subscription-error", NULL, NULL, NULL,
                                                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[SIGNAL_PARTICIPANT_JOINED] =
    g_signal_new ("participant-joined", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, g_cclosure_marshal_VOID__OBJECT, G_TYPE_NONE, 1, CONFAB_TYPE_PARTICIPANT);
  g_signal_set_va_marshaller (signals[SIGNAL_PARTICIPANT_JOINED], G_TYPE_FROM_CLASS (klass),
                              g_cclosure_marshal_VOID__OBJECTv);
  signals[SIGNAL_PARTICIPANT_LEFT] =
    g_signal_new ("participant-left", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, g_cclosure_marshal_VOID__OBJECT, G_TYPE_NONE, 1, CONFAB_TYPE_PARTICIPANT);
  g_signal_set_va_marshaller (signals[SIGNAL_PARTICIPANT_LEFT], G_TYPE_FROM_CLASS (klass),
                              g_cclosure_marshal_VOID__OBJECTv);
  signals[SIGNAL_PARTICIPANT_CHANGED] =
    g_signal_new ("participant-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, g_cclosure_marshal_VOID__OBJECT, G_TYPE_NONE, 1, CONFAB_TYPE_PARTICIPANT);
  g_signal_set_va_marshaller (signals[SIGNAL_PARTICIPANT_CHANGED], G_TYPE_FROM_CLASS (klass),
                              g_cclosure_marshal_VOID__OBJECTv);
  signals[SIGNAL_UPDATED] = g_signal_new ("updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_REFER_PROGRESS] =
    g_signal_new ("refer-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 4, G_TYPE_STRING, CONFAB_TYPE_CONFERENCE_REFER_METHOD,
                  G_TYPE_UINT, G_TYPE_STRING);
}

static void
confab_conference_init (ConfabConference *self)
{
  self->participants = g_list_store_new (CONFAB_TYPE_PARTICIPANT);
  /* Keys are the participants' own entity strings: they live as long
   * as the value's reference. */
  self->by_entity = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  self->files = g_list_store_new (CONFAB_TYPE_ROOM_FILE);
  self->document_user_count = -1;
}

ConfabConference *
confab_conference_new (const char *uri)
{
  g_return_val_if_fail (uri != NULL, NULL);

  return g_object_new (CONFAB_TYPE_CONFERENCE, "uri", uri, NULL);
}

const char *
confab_conference_get_uri (ConfabConference *self)
{
  g_return_val_if_fail (CONFAB_IS_CONFERENCE (self), NULL);

  return self->uri;
}

const char *
confab_conference_get_self_uri (ConfabConference *self)
{
  g_return_val_if_fail (CONFAB_IS_CONFERENCE (self), NULL);

  return self->self_uri;
}

void
confab_conference_set_self_uri (ConfabConference *self,
                                const char       *self_uri)
{
  g_autoptr (GPtrArray) changed = NULL;
  GListModel *model;
  guint n_items;

  g_return_if_fail (CONFAB_IS_CONFERENCE (self));

  if (g_strcmp0 (self->self_uri, self_uri) == 0)
    return;
  g_free (self->self_uri);
  self->self_uri = g_strdup (self_uri);
  g_free (self->self_key);
  self->self_key = _confab_conference_normalize_address (self_uri);

  changed = g_ptr_array_new_with_free_func (g_object_unref);
  model = G_LIST_MODEL (self->participants);
  n_items = model ? g_list_model_get_n_items (model) : 0;
  for (guint i = 0; i < n_items; i++) {
    ConfabParticipant *participant = g_list_model_get_item (model, i);
    gboolean is_self =
      _confab_conference_is_self_entity (self, confab_participant_get_entity (participant));

    if (_confab_participant_set_is_self (participant, is_self))
      g_ptr_array_add (changed, participant);
    else
      g_object_unref (participant);
  }
  _confab_conference_notify (self, PROP_SELF_URI);
  for (guint i = 0; i < changed->len; i++)
    _confab_conference_emit (self, SIGNAL_PARTICIPANT_CHANGED, changed->pdata[i]);
}

const char *
confab_conference_get_display_text (ConfabConference *self)
{
  g_return_val_if_fail (CONFAB_IS_CONFERENCE (self), NULL);

  return self->display_text;
}

const char *
confab_conference_get_subject (ConfabConference *self)
{
  g_return_val_if_fail (CONFAB_IS_CONFERENCE (self), NULL);

  return self->subject;
}

const char *
confab_conference_get_free_text (ConfabConference *self)
{
  g_return_val_if_fail (CONFAB_IS_CONFERENCE (self), NULL);

  return self->free_text;
}

guint
confab_conference_get_user_count (ConfabConference *self)
{
  g_return_val_if_fail (CONFAB_IS_CONFERENCE (self), 0);

  return self->user_count;
}

gboolean
confab_conference_get_active (ConfabConference *self)
{
  g_return_val_if_fail (CONFAB_IS_CONFERENCE (self), FALSE);

  return self->active;
}

gboolean
confab_conference_get_locked (ConfabConference *self)
{
  g_return_val_if_fail (CONFAB_IS_CONFERENCE (self), FALSE);

  return self->locked;
}

guint
confab_conference_get_version (ConfabConference *self)
{
  g_return_val_if_fail (CONFAB_IS_CONFERENCE (self), 0);

  return self->version;
}

GListModel *
confab_conference_get_participants (ConfabConference *self)
{
  g_return_val_if_fail (CONFAB_IS_CONFERENCE (self), NULL);

  return G_LIST_MODEL (self->participants);
}

ConfabParticipant *
confab_conference_find_participant (ConfabConference *self,
                                    const char       *entity)
{
  g_return_val_if_fail (CONFAB_IS_CONFERENCE (self), NULL);
  g_return_val_if_fail (entity != NULL, NULL);

  return self->by_entity ? g_hash_table_lookup (self->by_entity, entity) : NULL;
}

GListModel *
confab_conference_get_files (ConfabConference *self)
{
  g_return_val_if_fail (CONFAB_IS_CONFERENCE (self), NULL);

  return G_LIST_MODEL (self->files);
}


ConfabConferenceSubscriptionState
confab_conference_get_subscription_state (ConfabConference *self)
{
  g_return_val_if_fail (CONFAB_IS_CONFERENCE (self), CONFAB_CONFERENCE_SUBSCRIPTION_IDLE);

  return self->subscription_state;
}

const char *
confab_conference_get_subscription_error (ConfabConference *self)
{
  g_return_val_if_fail (CONFAB_IS_CONFERENCE (self), NULL);

  return self->subscription_error;
}

ConfabConferenceSip *
_confab_conference_get_sip (ConfabConference *self)
{
  g_return_val_if_fail (CONFAB_IS_CONFERENCE (self), NULL);

  return self->sip;
}

void
_confab_conference_set_sip (ConfabConference    *self,
                            ConfabConferenceSip *sip,
                            GDestroyNotify       destroy)
{
  ConfabConferenceSip *old;
  GDestroyNotify old_destroy;

  g_return_if_fail (CONFAB_IS_CONFERENCE (self));

  old = g_steal_pointer (&self->sip);
  old_destroy = g_steal_pointer (&self->sip_destroy);
  self->sip = sip;
  self->sip_destroy = destroy;
  if (old && old != sip && old_destroy)
    old_destroy (old);
}

void
_confab_conference_set_subscription_state (ConfabConference                 *self,
                                           ConfabConferenceSubscriptionState state,
                                           const char                       *error)
{
  g_return_if_fail (CONFAB_IS_CONFERENCE (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->subscription_state != state) {
    self->subscription_state = state;
    _confab_conference_notify (self, PROP_SUBSCRIPTION_STATE);
  }
  _confab_conference_set_string (self, &self->subscription_error,
                                 state == CONFAB_CONFERENCE_SUBSCRIPTION_FAILED ? error : NULL,
                                 PROP_SUBSCRIPTION_ERROR);
  g_object_thaw_notify (G_OBJECT (self));
}

void
_confab_conference_emit_refer_progress (ConfabConference           *self,
                                        const char                 *uri,
                                        ConfabConferenceReferMethod method,
                                        guint                       status,
                                        const char                 *phrase)
{
  g_return_if_fail (CONFAB_IS_CONFERENCE (self));

  g_signal_emit (self, signals[SIGNAL_REFER_PROGRESS], 0, uri, method, status, phrase);
}

const char *
confab_conference_subscription_state_to_string (ConfabConferenceSubscriptionState state)
{
  switch (state) {
  case CONFAB_CONFERENCE_SUBSCRIPTION_IDLE:
    return "idle";
  case CONFAB_CONFERENCE_SUBSCRIPTION_SUBSCRIBING:
    return "subscribing";
  case CONFAB_CONFERENCE_SUBSCRIPTION_PENDING:
    return "pending";
  case CONFAB_CONFERENCE_SUBSCRIPTION_ACTIVE:
    return "active";
  case CONFAB_CONFERENCE_SUBSCRIPTION_FAILED:
    return "failed";
  default:
    return "unknown";
  }
}

/* As written in Refer-To: <uri>;method=… */
const char *
confab_conference_refer_method_to_string (ConfabConferenceReferMethod method)
{
  switch (method) {
  case CONFAB_CONFERENCE_REFER_INVITE:
    return "INVITE";
  case CONFAB_CONFERENCE_REFER_BYE:
    return "BYE";
  default:
    return "unknown";
  }
}

void
_confab_conference_notify (ConfabConference *self,
                           guint             prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), props[prop_id]);
}

void
_confab_conference_emit (ConfabConference  *self,
                         guint              signal_id,
                         ConfabParticipant *participant)
{
  if (participant)
    g_signal_emit (self, signals[signal_id], 0, participant);
  else
    g_signal_emit (self, signals[signal_id], 0);
}
