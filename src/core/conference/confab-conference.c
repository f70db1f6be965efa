/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabConference"

#include "config.h"

#include "conference/confab-conference.h"
#include "conference/confab-conference-private.h"
#include "confab-enums.h"

#include <string.h>

/* The room as the focus describes it. Documents are merged in place:
 * participants keep their object while they stay, the list model changes
 * in as few items-changed as possible (a 10,000-user room arrives in one
 * splice), and properties notify only on change. */

struct _ConfabConference
{
  GObject                           parent_instance;

  char                             *uri;
  char                             *uri_key;      /* normalize_address (uri) */
  char                             *self_uri;
  char                             *self_key;     /* normalize_address (self_uri) */

  char                             *display_text;
  char                             *subject;
  char                             *free_text;
  gint64                            document_user_count; /* -1: count the participants */
  guint                             user_count;
  gboolean                          active;
  gboolean                          locked;

  guint                             version;
  gboolean                          have_version; /* a document applied since creation/reset */
  gboolean                          have_full;    /* a full one, so partials can apply */

  GListStore                       *participants; /* ConfabParticipant, in order of arrival */
  GHashTable                       *by_entity;    /* entity (the participant's) -> ConfabParticipant */
  GListStore                       *files;        /* ConfabRoomFile, in document order */

  ConfabConferenceSubscriptionState subscription_state;
  char                             *subscription_error;

  ConfabConferenceSip              *sip;
  GDestroyNotify                    sip_destroy;
};

G_DEFINE_FINAL_TYPE (ConfabConference, confab_conference, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_URI,
  PROP_SELF_URI,
  PROP_DISPLAY_TEXT,
  PROP_SUBJECT,
  PROP_FREE_TEXT,
  PROP_USER_COUNT,
  PROP_ACTIVE,
  PROP_LOCKED,
  PROP_VERSION,
  PROP_SUBSCRIPTION_STATE,
  PROP_SUBSCRIPTION_ERROR,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum {
  SIGNAL_PARTICIPANT_JOINED,
  SIGNAL_PARTICIPANT_LEFT,
  SIGNAL_PARTICIPANT_CHANGED,
  SIGNAL_UPDATED,
  SIGNAL_REFER_PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What one document did, for the signals once the model is consistent. */
typedef struct
{
  GPtrArray  *left;     /* ConfabParticipant*, owned */
  GPtrArray  *joined;   /* ConfabParticipant*, owned, not yet in the model */
  GPtrArray  *changed;  /* ConfabParticipant*, owned */
  GHashTable *touched;  /* ConfabParticipant* -> Touched: who the document named */
} Changes;

typedef enum
{
  TOUCHED_SEEN = 1,
  TOUCHED_CHANGED,      /* in Changes.changed */
  TOUCHED_JOINED,       /* in Changes.joined */
} Touched;

typedef struct
{
  guint position;
  guint count;
} Run;

static void
changes_init (Changes *changes)
{
  changes->left = g_ptr_array_new_with_free_func (g_object_unref);
  changes->joined = g_ptr_array_new_with_free_func (g_object_unref);
  changes->changed = g_ptr_array_new_with_free_func (g_object_unref);
  changes->touched = g_hash_table_new (NULL, NULL);
}

static void
changes_clear (Changes *changes)
{
  g_clear_pointer (&changes->left, g_ptr_array_unref);
  g_clear_pointer (&changes->joined, g_ptr_array_unref);
  g_clear_pointer (&changes->changed, g_ptr_array_unref);
  g_clear_pointer (&changes->touched, g_hash_table_unref);
}

/* "Alice <SIP:Alice@Example.org;transport=tls>" -> "alice@example.org":
 * no display name, no sip:/sips: scheme, no parameters or headers, lower
 * case. Other schemes stay, so tel: never matches sip:. */
static char *
normalize_address (const char *address)
{
  const char *start;
  const char *end;
  const char *at;
  g_autofree char *bare = NULL;

  if (!address)
    return NULL;
  start = strchr (address, '<');
  if (start) {
    start++;
    end = strchr (start, '>');
    if (!end)
      end = start + strlen (start);
  } else {
    start = address;
    end = start + strlen (start);
  }
  while (start < end && g_ascii_isspace (*start))
    start++;
  while (end > start && g_ascii_isspace (end[-1]))
    end--;
  if (end - start >= 4 && g_ascii_strncasecmp (start, "sip:", 4) == 0)
    start += 4;
  else if (end - start >= 5 && g_ascii_strncasecmp (start, "sips:", 5) == 0)
    start += 5;

  /* Parameters follow the host; a user part may hold a ';' of its own. */
  at = memchr (start, '@', end - start);
  for (const char *p = at ? at : start; p < end; p++) {
    if (*p == ';' || *p == '?') {
      end = p;
      break;
    }
  }
  bare = g_strndup (start, end - start);
  return g_utf8_strdown (bare, -1);
}

static gboolean
is_self_entity (ConfabConference *self,
                const char       *entity)
{
  g_autofree char *key = NULL;

  if (!self->self_key || !entity)
    return FALSE;
  key = normalize_address (entity);
  return g_strcmp0 (key, self->self_key) == 0;
}

static gboolean
set_string (ConfabConference  *self,
            char             **field,
            const char        *value,
            guint              prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), props[prop_id]);
  return TRUE;
}

static void
set_boolean (ConfabConference *self,
             gboolean         *field,
             gboolean          value,
             guint             prop_id)
{
  value = !!value;
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), props[prop_id]);
}

static void
set_uint (ConfabConference *self,
          guint            *field,
          guint             value,
          guint             prop_id)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), props[prop_id]);
}

static void
update_user_count (ConfabConference *self)
{
  guint count;

  if (self->document_user_count >= 0)
    count = (guint) MIN (self->document_user_count, (gint64) G_MAXUINT);
  else
    count = g_list_model_get_n_items (G_LIST_MODEL (self->participants));
  set_uint (self, &self->user_count, count, PROP_USER_COUNT);
}

/* Removes every participant in @gone (a set) from the model and the
 * index, one splice per contiguous run, and queues "participant-left". */
static void
remove_participants (ConfabConference *self,
                     GHashTable       *gone,
                     Changes          *changes)
{
  GListModel *model = G_LIST_MODEL (self->participants);
  g_autoptr (GArray) runs = NULL;
  guint n_items = g_list_model_get_n_items (model);

  if (g_hash_table_size (gone) == 0)
    return;

  runs = g_array_new (FALSE, FALSE, sizeof (Run));
  for (guint i = 0; i < n_items; i++) {
    g_autoptr (ConfabParticipant) participant = g_list_model_get_item (model, i);
    Run *last = runs->len > 0 ? &g_array_index (runs, Run, runs->len - 1) : NULL;

    if (!g_hash_table_contains (gone, participant))
      continue;
    if (last && last->position + last->count == i) {
      last->count++;
    } else {
      Run run = { i, 1 };

      g_array_append_val (runs, run);
    }
    g_ptr_array_add (changes->left, g_steal_pointer (&participant));
  }

  /* Last run first, so earlier positions stay valid. */
  for (guint r = runs->len; r > 0; r--) {
    const Run *run = &g_array_index (runs, Run, r - 1);

    g_list_store_splice (self->participants, run->position, run->count, NULL, 0);
  }
  for (guint i = 0; i < changes->left->len; i++) {
    ConfabParticipant *participant = g_ptr_array_index (changes->left, i);
    const char *entity = confab_participant_get_entity (participant);

    /* Unless it left and came back within the document. */
    if (g_hash_table_lookup (self->by_entity, entity) == participant)
      g_hash_table_remove (self->by_entity, entity);
  }
}

static void
add_joined (ConfabConference *self,
            Changes          *changes)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->participants));

  if (changes->joined->len > 0)
    g_list_store_splice (self->participants, n_items, 0, changes->joined->pdata,
                         changes->joined->len);
}

static Touched
touched (Changes           *changes,
         ConfabParticipant *participant)
{
  return GPOINTER_TO_INT (g_hash_table_lookup (changes->touched, participant));
}

static void
join (ConfabConference               *self,
      const ConfabConferenceInfoUser *user,
      Changes                        *changes)
{
  ConfabParticipant *participant = _confab_participant_new (user);

  _confab_participant_set_is_self (participant, is_self_entity (self, user->entity));
  g_ptr_array_add (changes->joined, participant);
  g_hash_table_replace (self->by_entity, (gpointer) confab_participant_get_entity (participant),
                        g_object_ref (participant));
  g_hash_table_insert (changes->touched, participant, GINT_TO_POINTER (TOUCHED_JOINED));
}

/* After a replace or merge of @participant: a user that joined in this
 * document is announced as joined only, and each at most once. */
static void
note_changed (Changes           *changes,
              ConfabParticipant *participant,
              gboolean           changed)
{
  Touched state = touched (changes, participant);

  if (state == TOUCHED_JOINED || state == TOUCHED_CHANGED)
    return;
  if (changed) {
    g_ptr_array_add (changes->changed, g_object_ref (participant));
    g_hash_table_insert (changes->touched, participant, GINT_TO_POINTER (TOUCHED_CHANGED));
  } else {
    g_hash_table_insert (changes->touched, participant, GINT_TO_POINTER (TOUCHED_SEEN));
  }
}

/* A user that left within the document it joined in never reaches the
 * model, and is not announced. */
static void
drop_participant (ConfabConference  *self,
                  ConfabParticipant *participant,
                  GHashTable        *gone,
                  Changes           *changes)
{
  g_autoptr (ConfabParticipant) keep = g_object_ref (participant);
  Touched state = touched (changes, participant);

  g_hash_table_remove (self->by_entity, confab_participant_get_entity (participant));
  g_hash_table_remove (changes->touched, participant);
  if (state == TOUCHED_CHANGED)
    g_ptr_array_remove (changes->changed, participant);
  if (state == TOUCHED_JOINED)
    g_ptr_array_remove (changes->joined, participant);
  else
    g_hash_table_add (gone, g_object_ref (participant));
}

/* users state="full": whoever is not in the document leaves. */
static void
apply_full_users (ConfabConference           *self,
                  const ConfabConferenceInfo *info,
                  Changes                    *changes)
{
  g_autoptr (GHashTable) gone = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  GListModel *model = G_LIST_MODEL (self->participants);
  guint n_items = g_list_model_get_n_items (model);

  for (guint i = 0; i < info->users->len; i++) {
    const ConfabConferenceInfoUser *user = g_ptr_array_index (info->users, i);
    ConfabParticipant *participant;

    if (!user->entity || user->state == CONFAB_CONFERENCE_INFO_DELETED)
      continue;
    participant = g_hash_table_lookup (self->by_entity, user->entity);
    if (!participant)
      join (self, user, changes);
    else if (!touched (changes, participant))
      note_changed (changes, participant, _confab_participant_replace (participant, user));
    /* else: the same user twice in one document; the first wins. */
  }

  for (guint i = 0; i < n_items; i++) {
    g_autoptr (ConfabParticipant) participant = g_list_model_get_item (model, i);

    if (!g_hash_table_contains (changes->touched, participant))
      g_hash_table_add (gone, g_steal_pointer (&participant));
  }
  remove_participants (self, gone, changes);
  add_joined (self, changes);
}

/* users state="partial": each user says whether it left, is given in
 * full, or changed. */
static void
apply_partial_users (ConfabConference           *self,
                     const ConfabConferenceInfo *info,
                     Changes                    *changes)
{
  g_autoptr (GHashTable) gone = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);

  for (guint i = 0; i < info->users->len; i++) {
    const ConfabConferenceInfoUser *user = g_ptr_array_index (info->users, i);
    ConfabParticipant *participant;

    if (!user->entity)
      continue;
    participant = g_hash_table_lookup (self->by_entity, user->entity);
    switch (user->state) {
    case CONFAB_CONFERENCE_INFO_DELETED:
      if (participant)
        drop_participant (self, participant, gone, changes);
      break;
    case CONFAB_CONFERENCE_INFO_FULL:
      if (!participant)
        join (self, user, changes);
      else
        note_changed (changes, participant, _confab_participant_replace (participant, user));
      break;
    case CONFAB_CONFERENCE_INFO_PARTIAL:
    default:
      if (!participant)
        join (self, user, changes);
      else
        note_changed (changes, participant, _confab_participant_merge (participant, user));
      break;
    }
  }
  remove_participants (self, gone, changes);
  add_joined (self, changes);
}

/* In a partial document, <users state="full"> lists everyone. Its state
 * defaults to full, and foci that leave it out of a partial document
 * still mark the users they change as partial or deleted: such a list
 * is a partial one. */
static gboolean
users_are_full_set (const ConfabConferenceInfo *info)
{
  if (!info->has_users || info->users_state != CONFAB_CONFERENCE_INFO_FULL)
    return FALSE;
  for (guint i = 0; i < info->users->len; i++) {
    const ConfabConferenceInfoUser *user = g_ptr_array_index (info->users, i);

    if (user->state != CONFAB_CONFERENCE_INFO_FULL)
      return FALSE;
  }
  return TRUE;
}

static void
remove_all_participants (ConfabConference *self,
                         Changes          *changes)
{
  GListModel *model = G_LIST_MODEL (self->participants);
  guint n_items = g_list_model_get_n_items (model);

  for (guint i = 0; i < n_items; i++)
    g_ptr_array_add (changes->left, g_list_model_get_item (model, i));
  g_hash_table_remove_all (self->by_entity);
  if (n_items > 0)
    g_list_store_splice (self->participants, 0, n_items, NULL, 0);
}

static char *
file_key (const ConfabConferenceInfoFile *file)
{
  if (file->hash && *file->hash)
    return g_strconcat ("hash:", file->hash, NULL);
  return g_strconcat ("name:", file->name ? file->name : "", NULL);
}

static char *
room_file_key (ConfabRoomFile *file)
{
  ConfabConferenceInfoFile info = {
    .name = (char *) confab_room_file_get_name (file),
    .hash = (char *) confab_room_file_get_hash (file),
  };

  return file_key (&info);
}

/* The document's list replaces ours; files already known keep their
 * object and are updated in place. One splice covers what differs
 * between the common head and tail of the old and new lists. */
static void
apply_files (ConfabConference *self,
             GPtrArray        *files)
{
  GListModel *model = G_LIST_MODEL (self->files);
  guint n_old = g_list_model_get_n_items (model);
  g_autoptr (GHashTable) old = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                      g_object_unref);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  guint head = 0;
  guint tail = 0;

  for (guint i = 0; i < n_old; i++) {
    ConfabRoomFile *file = g_list_model_get_item (model, i);

    g_hash_table_replace (old, room_file_key (file), file);
  }

  for (guint i = 0; files && i < files->len; i++) {
    const ConfabConferenceInfoFile *info = g_ptr_array_index (files, i);
    char *key = file_key (info);
    ConfabRoomFile *file;

    if (g_hash_table_contains (seen, key)) {
      g_free (key);
      continue;
    }
    g_ptr_array_add (keys, key);
    g_hash_table_add (seen, key);
    file = g_hash_table_lookup (old, key);
    if (file) {
      _confab_room_file_update (file, info);
      g_ptr_array_add (list, g_object_ref (file));
    } else {
      g_ptr_array_add (list, _confab_room_file_new (info));
    }
  }

  while (head < n_old && head < list->len) {
    g_autoptr (ConfabRoomFile) file = g_list_model_get_item (model, head);

    if (file != g_ptr_array_index (list, head))
      break;
    head++;
  }
  while (tail < n_old - head && tail < list->len - head) {
    g_autoptr (ConfabRoomFile) file = g_list_model_get_item (model, n_old - 1 - tail);

    if (file != g_ptr_array_index (list, list->len - 1 - tail))
      break;
    tail++;
  }
  if (head + tail < n_old || head + tail < list->len)
    g_list_store_splice (self->files, head, n_old - head - tail, list->pdata + head,
                         list->len - head - tail);
}

static void
apply_description (ConfabConference           *self,
                   const ConfabConferenceInfo *info,
                   gboolean                    full)
{
  if (full) {
    set_string (self, &self->display_text, info->display_text, PROP_DISPLAY_TEXT);
    set_string (self, &self->subject, info->subject, PROP_SUBJECT);
    set_string (self, &self->free_text, info->free_text, PROP_FREE_TEXT);
    apply_files (self, info->files);
    self->document_user_count = info->user_count;
    set_boolean (self, &self->active, info->active > 0, PROP_ACTIVE);
    set_boolean (self, &self->locked, info->locked > 0, PROP_LOCKED);
    return;
  }

  if (info->has_description) {
    if (info->display_text)
      set_string (self, &self->display_text, info->display_text, PROP_DISPLAY_TEXT);
    if (info->subject)
      set_string (self, &self->subject, info->subject, PROP_SUBJECT);
    if (info->free_text)
      set_string (self, &self->free_text, info->free_text, PROP_FREE_TEXT);
  }
  if (info->files)
    apply_files (self, info->files);
  if (info->user_count >= 0)
    self->document_user_count = info->user_count;
  if (info->active >= 0)
    set_boolean (self, &self->active, info->active > 0, PROP_ACTIVE);
  if (info->locked >= 0)
    set_boolean (self, &self->locked, info->locked > 0, PROP_LOCKED);
}

static void
emit_changes (ConfabConference *self,
              Changes          *changes)
{
  for (guint i = 0; i < changes->left->len; i++)
    g_signal_emit (self, signals[SIGNAL_PARTICIPANT_LEFT], 0, changes->left->pdata[i]);
  for (guint i = 0; i < changes->joined->len; i++)
    g_signal_emit (self, signals[SIGNAL_PARTICIPANT_JOINED], 0, changes->joined->pdata[i]);
  for (guint i = 0; i < changes->changed->len; i++)
    g_signal_emit (self, signals[SIGNAL_PARTICIPANT_CHANGED], 0, changes->changed->pdata[i]);
}

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
    self->uri_key = normalize_address (self->uri);
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
  self->self_key = normalize_address (self_uri);

  changed = g_ptr_array_new_with_free_func (g_object_unref);
  model = G_LIST_MODEL (self->participants);
  n_items = model ? g_list_model_get_n_items (model) : 0;
  for (guint i = 0; i < n_items; i++) {
    ConfabParticipant *participant = g_list_model_get_item (model, i);
    gboolean is_self = is_self_entity (self, confab_participant_get_entity (participant));

    if (_confab_participant_set_is_self (participant, is_self))
      g_ptr_array_add (changed, participant);
    else
      g_object_unref (participant);
  }
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SELF_URI]);
  for (guint i = 0; i < changed->len; i++)
    g_signal_emit (self, signals[SIGNAL_PARTICIPANT_CHANGED], 0, changed->pdata[i]);
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

ConfabConferenceApplyResult
confab_conference_apply (ConfabConference           *self,
                         const ConfabConferenceInfo *info)
{
  g_autofree char *entity_key = NULL;
  gboolean full;
  Changes changes;

  g_return_val_if_fail (CONFAB_IS_CONFERENCE (self), CONFAB_CONFERENCE_WRONG_ROOM);
  g_return_val_if_fail (info != NULL, CONFAB_CONFERENCE_WRONG_ROOM);
  g_return_val_if_fail (self->participants != NULL, CONFAB_CONFERENCE_WRONG_ROOM);

  entity_key = normalize_address (info->entity);
  if (!entity_key || g_strcmp0 (entity_key, self->uri_key) != 0) {
    g_debug ("Ignoring a conference-info document for %s in %s", info->entity, self->uri);
    return CONFAB_CONFERENCE_WRONG_ROOM;
  }
  if (self->have_version && info->version <= self->version) {
    g_debug ("Ignoring conference-info version %u of %s: version %u is applied", info->version,
             self->uri, self->version);
    return CONFAB_CONFERENCE_STALE;
  }
  full = info->state == CONFAB_CONFERENCE_INFO_FULL;
  if (!full && !self->have_full) {
    g_debug ("Ignoring a partial conference-info document of %s before a full one", self->uri);
    return CONFAB_CONFERENCE_NEEDS_FULL;
  }

  changes_init (&changes);
  g_object_freeze_notify (G_OBJECT (self));

  if (full || users_are_full_set (info))
    apply_full_users (self, info, &changes);
  else if (info->has_users && info->users_state == CONFAB_CONFERENCE_INFO_DELETED)
    remove_all_participants (self, &changes);
  else if (info->has_users)
    apply_partial_users (self, info, &changes);

  apply_description (self, info, full);
  update_user_count (self);
  self->have_version = TRUE;
  self->have_full = TRUE;
  set_uint (self, &self->version, info->version, PROP_VERSION);

  g_object_thaw_notify (G_OBJECT (self));
  emit_changes (self, &changes);
  changes_clear (&changes);
  g_signal_emit (self, signals[SIGNAL_UPDATED], 0);
  return CONFAB_CONFERENCE_APPLIED;
}

gboolean
confab_conference_apply_xml (ConfabConference            *self,
                             const char                  *data,
                             gsize                        length,
                             ConfabConferenceApplyResult *result,
                             GError                     **error)
{
  g_autoptr (ConfabConferenceInfo) info = NULL;
  ConfabConferenceApplyResult applied;

  g_return_val_if_fail (CONFAB_IS_CONFERENCE (self), FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  info = confab_conference_info_parse (data, length, error);
  if (!info)
    return FALSE;
  applied = confab_conference_apply (self, info);
  if (result)
    *result = applied;
  return TRUE;
}

void
confab_conference_reset_version (ConfabConference *self)
{
  g_return_if_fail (CONFAB_IS_CONFERENCE (self));

  self->have_version = FALSE;
  self->have_full = FALSE;
}

void
confab_conference_clear (ConfabConference *self)
{
  Changes changes;

  g_return_if_fail (CONFAB_IS_CONFERENCE (self));

  if (!self->participants)
    return;
  changes_init (&changes);
  g_object_freeze_notify (G_OBJECT (self));
  remove_all_participants (self, &changes);
  apply_files (self, NULL);
  self->document_user_count = -1;
  update_user_count (self);
  /* The model reflects no document now: the next one must be full. */
  self->have_version = FALSE;
  self->have_full = FALSE;
  g_object_thaw_notify (G_OBJECT (self));
  emit_changes (self, &changes);
  changes_clear (&changes);
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
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SUBSCRIPTION_STATE]);
  }
  set_string (self, &self->subscription_error,
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
