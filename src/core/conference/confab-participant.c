/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabConference"

#include "config.h"

#include "conference/confab-participant.h"

#include <string.h>

/* ConfabParticipant keeps what the focus said about one user (its
 * endpoints, copied) and derives the properties a list row shows from
 * them. Every update compares old and new values, so a property notifies
 * only when it really changed; a focus like SylkServer repeats the whole
 * room in every NOTIFY and most users stay exactly as they were. */

struct _ConfabParticipant
{
  GObject    parent_instance;

  char      *entity;
  char      *display_text;      /* as the focus wrote it; NULL if absent */
  char      *display_name;      /* display_text, else the user part of the entity */
  GStrv      roles;             /* never NULL */
  gboolean   is_self;
  char      *status;
  GStrv      media;             /* never NULL */
  gboolean   on_hold;
  gboolean   muted;
  char      *screen_image_url;
  GDateTime *joined_at;
  GPtrArray *endpoints;         /* ConfabConferenceInfoEndpoint*, owned */

  gboolean   constructing;      /* no notifications while _new fills it */
};

G_DEFINE_FINAL_TYPE (ConfabParticipant, confab_participant, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ENTITY,
  PROP_DISPLAY_NAME,
  PROP_ROLES,
  PROP_IS_SELF,
  PROP_STATUS,
  PROP_MEDIA,
  PROP_ON_HOLD,
  PROP_MUTED,
  PROP_SCREEN_IMAGE_URL,
  PROP_JOINED_AT,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static const char *const empty_strv[] = { NULL };

static void
notify (ConfabParticipant *self,
        guint              prop_id)
{
  if (!self->constructing)
    g_object_notify_by_pspec (G_OBJECT (self), props[prop_id]);
}

/* Plain field update: TRUE if the value changed. */
static gboolean
replace_string (char       **field,
                const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static gboolean
set_string_property (ConfabParticipant  *self,
                     char              **field,
                     const char         *value,
                     guint               prop_id)
{
  if (!replace_string (field, value))
    return FALSE;
  notify (self, prop_id);
  return TRUE;
}

static gboolean
set_boolean_property (ConfabParticipant *self,
                      gboolean          *field,
                      gboolean           value,
                      guint              prop_id)
{
  value = !!value;
  if (*field == value)
    return FALSE;
  *field = value;
  notify (self, prop_id);
  return TRUE;
}

static gboolean
strv_equal (const char *const *a,
            const char *const *b)
{
  return g_strv_equal (a ? a : empty_strv, b ? b : empty_strv);
}

/* Takes @value. */
static gboolean
set_strv_property (ConfabParticipant *self,
                   GStrv             *field,
                   GStrv              value,
                   guint              prop_id)
{
  if (strv_equal ((const char *const *) *field, (const char *const *) value)) {
    g_strfreev (value);
    return FALSE;
  }
  g_strfreev (*field);
  *field = value;
  notify (self, prop_id);
  return TRUE;
}

static gboolean
date_time_equal (GDateTime *a,
                 GDateTime *b)
{
  if (!a || !b)
    return a == b;
  return g_date_time_equal (a, b);
}

static gboolean
replace_date_time (GDateTime **field,
                   GDateTime  *value)
{
  if (date_time_equal (*field, value))
    return FALSE;
  g_clear_pointer (field, g_date_time_unref);
  *field = value ? g_date_time_ref (value) : NULL;
  return TRUE;
}

static gboolean
media_equal (const ConfabConferenceInfoMedia *a,
             const ConfabConferenceInfoMedia *b)
{
  return g_strcmp0 (a->id, b->id) == 0 && g_strcmp0 (a->type, b->type) == 0 &&
         g_strcmp0 (a->display_text, b->display_text) == 0 &&
         g_strcmp0 (a->label, b->label) == 0 && g_strcmp0 (a->status, b->status) == 0;
}

/* The state attribute says how to merge, it is not data: ignored. */
static gboolean
endpoint_equal (const ConfabConferenceInfoEndpoint *a,
                const ConfabConferenceInfoEndpoint *b)
{
  if (g_strcmp0 (a->entity, b->entity) != 0 ||
      g_strcmp0 (a->display_text, b->display_text) != 0 ||
      g_strcmp0 (a->status, b->status) != 0 ||
      g_strcmp0 (a->joining_method, b->joining_method) != 0 ||
      g_strcmp0 (a->referred_by, b->referred_by) != 0 ||
      !date_time_equal (a->joined_at, b->joined_at) || a->media->len != b->media->len)
    return FALSE;
  for (guint i = 0; i < a->media->len; i++) {
    if (!media_equal (g_ptr_array_index (a->media, i), g_ptr_array_index (b->media, i)))
      return FALSE;
  }
  return TRUE;
}

static ConfabConferenceInfoEndpoint *
copy_endpoint (const ConfabConferenceInfoEndpoint *endpoint)
{
  ConfabConferenceInfoEndpoint *copy = confab_conference_info_endpoint_copy (endpoint);

  copy->state = CONFAB_CONFERENCE_INFO_FULL;
  return copy;
}

/* Whether our endpoints are those of @user (its deleted ones left out). */
static gboolean
endpoints_equal_to_user (GPtrArray                      *endpoints,
                         const ConfabConferenceInfoUser *user)
{
  guint n = 0;

  for (guint i = 0; i < user->endpoints->len; i++) {
    const ConfabConferenceInfoEndpoint *endpoint = g_ptr_array_index (user->endpoints, i);

    if (endpoint->state == CONFAB_CONFERENCE_INFO_DELETED)
      continue;
    if (n >= endpoints->len || !endpoint_equal (g_ptr_array_index (endpoints, n), endpoint))
      return FALSE;
    n++;
  }
  return n == endpoints->len;
}

static int
find_endpoint (ConfabParticipant *self,
               const char        *entity)
{
  for (guint i = 0; i < self->endpoints->len; i++) {
    const ConfabConferenceInfoEndpoint *endpoint = g_ptr_array_index (self->endpoints, i);

    if (g_strcmp0 (endpoint->entity, entity) == 0)
      return (int) i;
  }
  return -1;
}

/* A partial <media>: only the fields it carries change. */
static gboolean
merge_media (ConfabConferenceInfoMedia       *media,
             const ConfabConferenceInfoMedia *update)
{
  gboolean changed = FALSE;

  if (update->type)
    changed |= replace_string (&media->type, update->type);
  if (update->display_text)
    changed |= replace_string (&media->display_text, update->display_text);
  if (update->label)
    changed |= replace_string (&media->label, update->label);
  if (update->status)
    changed |= replace_string (&media->status, update->status);
  return changed;
}

static gboolean
merge_endpoint (ConfabConferenceInfoEndpoint       *endpoint,
                const ConfabConferenceInfoEndpoint *update)
{
  gboolean changed = FALSE;

  if (update->display_text)
    changed |= replace_string (&endpoint->display_text, update->display_text);
  if (update->status)
    changed |= replace_string (&endpoint->status, update->status);
  if (update->joining_method)
    changed |= replace_string (&endpoint->joining_method, update->joining_method);
  if (update->referred_by)
    changed |= replace_string (&endpoint->referred_by, update->referred_by);
  if (update->joined_at)
    changed |= replace_date_time (&endpoint->joined_at, update->joined_at);

  for (guint i = 0; i < update->media->len; i++) {
    const ConfabConferenceInfoMedia *media = g_ptr_array_index (update->media, i);
    guint j;

    for (j = 0; j < endpoint->media->len; j++) {
      ConfabConferenceInfoMedia *old = g_ptr_array_index (endpoint->media, j);

      if (g_strcmp0 (old->id, media->id) == 0) {
        changed |= merge_media (old, media);
        break;
      }
    }
    if (j == endpoint->media->len) {
      g_ptr_array_add (endpoint->media, confab_conference_info_media_copy (media));
      changed = TRUE;
    }
  }
  return changed;
}

/* "sip:carol@example.org;transport=tls" -> "carol". */
static char *
user_part (const char *entity)
{
  const char *start;
  const char *end;
  const char *colon;

  if (!entity)
    return g_strdup ("");
  start = entity;
  if (*start == '<')
    start++;
  colon = strchr (start, ':');
  if (colon && colon < start + strcspn (start, "@;?>"))
    start = colon + 1;
  end = start + strcspn (start, "@;?>");
  if (end == start)
    return g_strdup (entity);
  {
    g_autofree char *escaped = g_strndup (start, end - start);
    char *unescaped = g_uri_unescape_string (escaped, NULL);

    if (unescaped && g_utf8_validate (unescaped, -1, NULL))
      return unescaped;
    g_free (unescaped);
    return g_steal_pointer (&escaped);
  }
}

/* On the call, even if on hold or muted by the focus. */
static gboolean
endpoint_is_present (const ConfabConferenceInfoEndpoint *endpoint)
{
  return !endpoint->status || g_str_equal (endpoint->status, "connected") ||
         g_str_equal (endpoint->status, "on-hold") ||
         g_str_equal (endpoint->status, "muted-via-focus");
}

static gboolean
endpoint_has_audio_status (const ConfabConferenceInfoEndpoint *endpoint,
                           const char                         *status1,
                           const char                         *status2)
{
  for (guint i = 0; i < endpoint->media->len; i++) {
    const ConfabConferenceInfoMedia *media = g_ptr_array_index (endpoint->media, i);

    if (g_strcmp0 (media->type, "audio") == 0 && media->status &&
        (g_str_equal (media->status, status1) || g_strcmp0 (media->status, status2) == 0))
      return TRUE;
  }
  return FALSE;
}

static const char *
best_status (GPtrArray *endpoints)
{
  const char *first = NULL;

  for (guint i = 0; i < endpoints->len; i++) {
    const ConfabConferenceInfoEndpoint *endpoint = g_ptr_array_index (endpoints, i);

    if (g_strcmp0 (endpoint->status, "connected") == 0)
      return endpoint->status;
    if (!first)
      first = endpoint->status;
  }
  return first;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static GStrv
collect_media (GPtrArray *endpoints)
{
  g_autoptr (GPtrArray) types = g_ptr_array_new ();
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv media;

  for (guint i = 0; i < endpoints->len; i++) {
    const ConfabConferenceInfoEndpoint *endpoint = g_ptr_array_index (endpoints, i);

    if (g_strcmp0 (endpoint->status, "disconnected") == 0)
      continue;
    for (guint j = 0; j < endpoint->media->len; j++) {
      const ConfabConferenceInfoMedia *item = g_ptr_array_index (endpoint->media, j);

      if (item->type && *item->type)
        g_ptr_array_add (types, item->type);
    }
  }
  g_ptr_array_sort (types, compare_strings);
  for (guint i = 0; i < types->len; i++) {
    if (i == 0 || strcmp (g_ptr_array_index (types, i), g_ptr_array_index (types, i - 1)) != 0)
      g_strv_builder_add (builder, g_ptr_array_index (types, i));
  }
  media = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return media;
}

/* Recomputes what derives from the display text and the endpoints. */
static gboolean
update_derived (ConfabParticipant *self)
{
  gboolean changed = FALSE;
  gboolean on_hold = FALSE;
  gboolean muted = FALSE;
  guint present = 0;
  guint held = 0;
  GDateTime *joined_at = NULL;

  if (self->display_text && *self->display_text) {
    changed |= set_string_property (self, &self->display_name, self->display_text,
                                    PROP_DISPLAY_NAME);
  } else {
    g_autofree char *name = user_part (self->entity);

    changed |= set_string_property (self, &self->display_name, name, PROP_DISPLAY_NAME);
  }

  changed |= set_string_property (self, &self->status, best_status (self->endpoints), PROP_STATUS);
  changed |= set_strv_property (self, &self->media, collect_media (self->endpoints), PROP_MEDIA);

  for (guint i = 0; i < self->endpoints->len; i++) {
    const ConfabConferenceInfoEndpoint *endpoint = g_ptr_array_index (self->endpoints, i);

    if (endpoint->joined_at &&
        (!joined_at || g_date_time_compare (endpoint->joined_at, joined_at) < 0))
      joined_at = endpoint->joined_at;
    if (!endpoint_is_present (endpoint))
      continue;
    present++;
    if (g_strcmp0 (endpoint->status, "on-hold") == 0 ||
        endpoint_has_audio_status (endpoint, "sendonly", "inactive"))
      held++;
    if (g_strcmp0 (endpoint->status, "muted-via-focus") == 0 ||
        endpoint_has_audio_status (endpoint, "recvonly", NULL))
      muted = TRUE;
  }
  on_hold = present > 0 && held == present;
  changed |= set_boolean_property (self, &self->on_hold, on_hold, PROP_ON_HOLD);
  changed |= set_boolean_property (self, &self->muted, muted, PROP_MUTED);
  if (replace_date_time (&self->joined_at, joined_at)) {
    notify (self, PROP_JOINED_AT);
    changed = TRUE;
  }
  return changed;
}

static gboolean
set_roles (ConfabParticipant *self,
           char *const       *roles)
{
  if (strv_equal ((const char *const *) self->roles, (const char *const *) roles))
    return FALSE;
  return set_strv_property (self, &self->roles,
                            g_strdupv ((char **) (roles ? roles : (char *const *) empty_strv)),
                            PROP_ROLES);
}

static void
confab_participant_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ConfabParticipant *self = CONFAB_PARTICIPANT (object);

  switch (prop_id) {
  case PROP_ENTITY:
    g_value_set_string (value, self->entity);
    break;
  case PROP_DISPLAY_NAME:
    g_value_set_string (value, self->display_name);
    break;
  case PROP_ROLES:
    g_value_set_boxed (value, self->roles);
    break;
  case PROP_IS_SELF:
    g_value_set_boolean (value, self->is_self);
    break;
  case PROP_STATUS:
    g_value_set_string (value, self->status);
    break;
  case PROP_MEDIA:
    g_value_set_boxed (value, self->media);
    break;
  case PROP_ON_HOLD:
    g_value_set_boolean (value, self->on_hold);
    break;
  case PROP_MUTED:
    g_value_set_boolean (value, self->muted);
    break;
  case PROP_SCREEN_IMAGE_URL:
    g_value_set_string (value, self->screen_image_url);
    break;
  case PROP_JOINED_AT:
    g_value_set_boxed (value, self->joined_at);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_participant_finalize (GObject *object)
{
  ConfabParticipant *self = CONFAB_PARTICIPANT (object);

  g_free (self->entity);
  g_free (self->display_text);
  g_free (self->display_name);
  g_strfreev (self->roles);
  g_free (self->status);
  g_strfreev (self->media);
  g_free (self->screen_image_url);
  g_clear_pointer (&self->joined_at, g_date_time_unref);
  g_ptr_array_unref (self->endpoints);

  G_OBJECT_CLASS (confab_participant_parent_class)->finalize (object);
}

static void
confab_participant_class_init (ConfabParticipantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = confab_participant_get_property;
  object_class->finalize = confab_participant_finalize;

  props[PROP_ENTITY] =
    g_param_spec_string ("entity", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_DISPLAY_NAME] = g_param_spec_string ("display-name", NULL, NULL, NULL,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_ROLES] = g_param_spec_boxed ("roles", NULL, NULL, G_TYPE_STRV,
                                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_IS_SELF] = g_param_spec_boolean ("is-self", NULL, NULL, FALSE,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_MEDIA] = g_param_spec_boxed ("media", NULL, NULL, G_TYPE_STRV,
                                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_ON_HOLD] = g_param_spec_boolean ("on-hold", NULL, NULL, FALSE,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_MUTED] = g_param_spec_boolean ("muted", NULL, NULL, FALSE,
                                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_SCREEN_IMAGE_URL] = g_param_spec_string ("screen-image-url", NULL, NULL, NULL,
                                                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_JOINED_AT] = g_param_spec_boxed ("joined-at", NULL, NULL, G_TYPE_DATE_TIME,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
confab_participant_init (ConfabParticipant *self)
{
  self->roles = g_new0 (char *, 1);
  self->media = g_new0 (char *, 1);
  self->endpoints =
    g_ptr_array_new_with_free_func ((GDestroyNotify) confab_conference_info_endpoint_free);
}

ConfabParticipant *
_confab_participant_new (const ConfabConferenceInfoUser *user)
{
  ConfabParticipant *self;

  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (user->entity != NULL, NULL);

  self = g_object_new (CONFAB_TYPE_PARTICIPANT, NULL);
  self->entity = g_strdup (user->entity);
  self->constructing = TRUE;
  _confab_participant_replace (self, user);
  self->constructing = FALSE;
  return self;
}

/* Everything from @user; absent elements clear what we had. The entity
 * is the participant's identity and stays. */
gboolean
_confab_participant_replace (ConfabParticipant              *self,
                             const ConfabConferenceInfoUser *user)
{
  gboolean changed = FALSE;
  gboolean inputs_changed;

  g_return_val_if_fail (CONFAB_IS_PARTICIPANT (self), FALSE);
  g_return_val_if_fail (user != NULL, FALSE);

  g_object_freeze_notify (G_OBJECT (self));
  /* What the derived properties come from: unchanged, they are too. */
  inputs_changed = replace_string (&self->display_text, user->display_text);
  changed |= set_roles (self, user->roles);
  changed |= set_string_property (self, &self->screen_image_url, user->screen_image_url,
                                  PROP_SCREEN_IMAGE_URL);
  if (!endpoints_equal_to_user (self->endpoints, user)) {
    g_ptr_array_set_size (self->endpoints, 0);
    for (guint i = 0; i < user->endpoints->len; i++) {
      const ConfabConferenceInfoEndpoint *endpoint = g_ptr_array_index (user->endpoints, i);

      if (endpoint->state != CONFAB_CONFERENCE_INFO_DELETED)
        g_ptr_array_add (self->endpoints, copy_endpoint (endpoint));
    }
    changed = TRUE;
    inputs_changed = TRUE;
  }
  if (inputs_changed || self->constructing)
    changed |= update_derived (self);
  g_object_thaw_notify (G_OBJECT (self));
  return changed;
}

/* A partial <user>: what it names changes, endpoints are matched by
 * entity and their media by id. */
gboolean
_confab_participant_merge (ConfabParticipant              *self,
                           const ConfabConferenceInfoUser *user)
{
  gboolean changed = FALSE;

  g_return_val_if_fail (CONFAB_IS_PARTICIPANT (self), FALSE);
  g_return_val_if_fail (user != NULL, FALSE);

  g_object_freeze_notify (G_OBJECT (self));
  if (user->display_text)
    replace_string (&self->display_text, user->display_text);
  if (user->roles)
    changed |= set_roles (self, user->roles);
  if (user->screen_image_url)
    changed |= set_string_property (self, &self->screen_image_url, user->screen_image_url,
                                    PROP_SCREEN_IMAGE_URL);

  for (guint i = 0; i < user->endpoints->len; i++) {
    const ConfabConferenceInfoEndpoint *endpoint = g_ptr_array_index (user->endpoints, i);
    int index = find_endpoint (self, endpoint->entity);

    switch (endpoint->state) {
    case CONFAB_CONFERENCE_INFO_DELETED:
      if (index >= 0) {
        g_ptr_array_remove_index (self->endpoints, index);
        changed = TRUE;
      }
      break;
    case CONFAB_CONFERENCE_INFO_FULL:
      if (index < 0) {
        g_ptr_array_add (self->endpoints, copy_endpoint (endpoint));
        changed = TRUE;
      } else if (!endpoint_equal (g_ptr_array_index (self->endpoints, index), endpoint)) {
        confab_conference_info_endpoint_free (self->endpoints->pdata[index]);
        self->endpoints->pdata[index] = copy_endpoint (endpoint);
        changed = TRUE;
      }
      break;
    case CONFAB_CONFERENCE_INFO_PARTIAL:
    default:
      if (index < 0) {
        g_ptr_array_add (self->endpoints, copy_endpoint (endpoint));
        changed = TRUE;
      } else {
        changed |= merge_endpoint (g_ptr_array_index (self->endpoints, index), endpoint);
      }
      break;
    }
  }
  changed |= update_derived (self);
  g_object_thaw_notify (G_OBJECT (self));
  return changed;
}

gboolean
_confab_participant_set_is_self (ConfabParticipant *self,
                                 gboolean           is_self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANT (self), FALSE);

  return set_boolean_property (self, &self->is_self, is_self, PROP_IS_SELF);
}

const char *
confab_participant_get_entity (ConfabParticipant *self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANT (self), NULL);

  return self->entity;
}

const char *
confab_participant_get_display_name (ConfabParticipant *self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANT (self), NULL);

  return self->display_name;
}

const char *const *
confab_participant_get_roles (ConfabParticipant *self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANT (self), NULL);

  return (const char *const *) self->roles;
}

gboolean
confab_participant_is_self (ConfabParticipant *self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANT (self), FALSE);

  return self->is_self;
}

const char *
confab_participant_get_status (ConfabParticipant *self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANT (self), NULL);

  return self->status;
}

const char *const *
confab_participant_get_media (ConfabParticipant *self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANT (self), NULL);

  return (const char *const *) self->media;
}

gboolean
confab_participant_has_media (ConfabParticipant *self,
                              const char        *type)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANT (self), FALSE);
  g_return_val_if_fail (type != NULL, FALSE);

  return g_strv_contains ((const char *const *) self->media, type);
}

gboolean
confab_participant_get_on_hold (ConfabParticipant *self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANT (self), FALSE);

  return self->on_hold;
}

gboolean
confab_participant_get_muted (ConfabParticipant *self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANT (self), FALSE);

  return self->muted;
}

const char *
confab_participant_get_screen_image_url (ConfabParticipant *self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANT (self), NULL);

  return self->screen_image_url;
}

GDateTime *
confab_participant_get_joined_at (ConfabParticipant *self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANT (self), NULL);

  return self->joined_at;
}

GPtrArray *
confab_participant_get_endpoints (ConfabParticipant *self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANT (self), NULL);

  return self->endpoints;
}

/* The first letter of each of the first two words, upper case; a word's
 * "first letter" skips leading punctuation ("(Bob)" -> "B"). */
char *
confab_participant_dup_initials (ConfabParticipant *self)
{
  GString *initials;
  const char *p;
  guint words = 0;

  g_return_val_if_fail (CONFAB_IS_PARTICIPANT (self), NULL);

  initials = g_string_new (NULL);
  p = self->display_name ? self->display_name : "";
  while (*p && words < 2) {
    gunichar letter = 0;

    while (*p && g_unichar_isspace (g_utf8_get_char (p)))
      p = g_utf8_next_char (p);
    if (!*p)
      break;
    for (; *p && !g_unichar_isspace (g_utf8_get_char (p)); p = g_utf8_next_char (p)) {
      gunichar c = g_utf8_get_char (p);

      if (!letter && g_unichar_isalnum (c))
        letter = c;
    }
    if (letter) {
      g_string_append_unichar (initials, g_unichar_toupper (letter));
      words++;
    }
  }
  return g_string_free (initials, FALSE);
}
