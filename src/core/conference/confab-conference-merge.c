/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabConference"

#include "config.h"

#include "conference/confab-conference-model-private.h"

#include <string.h>

/* The room as the focus describes it. Documents are merged in place:
 * participants keep their object while they stay, the list model changes
 * in as few items-changed as possible (a 10,000-user room arrives in one
 * splice), and properties notify only on change. */

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
char *
_confab_conference_normalize_address (const char *address)
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

gboolean
_confab_conference_is_self_entity (ConfabConference *self,
                                   const char       *entity)
{
  g_autofree char *key = NULL;

  if (!self->self_key || !entity)
    return FALSE;
  key = _confab_conference_normalize_address (entity);
  return g_strcmp0 (key, self->self_key) == 0;
}

gboolean
_confab_conference_set_string (ConfabConference  *self,
                               char             **field,
                               const char        *value,
                               guint              prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  _confab_conference_notify (self, prop_id);
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
  _confab_conference_notify (self, prop_id);
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
  _confab_conference_notify (self, prop_id);
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

  _confab_participant_set_is_self (participant,
                                   _confab_conference_is_self_entity (self, user->entity));
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
    _confab_conference_set_string (self, &self->display_text, info->display_text,
                                   PROP_DISPLAY_TEXT);
    _confab_conference_set_string (self, &self->subject, info->subject, PROP_SUBJECT);
    _confab_conference_set_string (self, &self->free_text, info->free_text, PROP_FREE_TEXT);
    apply_files (self, info->files);
    self->document_user_count = info->user_count;
    set_boolean (self, &self->active, info->active > 0, PROP_ACTIVE);
    set_boolean (self, &self->locked, info->locked > 0, PROP_LOCKED);
    return;
  }

  if (info->has_description) {
    if (info->display_text)
      _confab_conference_set_string (self, &self->display_text, info->display_text,
                                     PROP_DISPLAY_TEXT);
    if (info->subject)
      _confab_conference_set_string (self, &self->subject, info->subject, PROP_SUBJECT);
    if (info->free_text)
      _confab_conference_set_string (self, &self->free_text, info->free_text, PROP_FREE_TEXT);
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
    _confab_conference_emit (self, SIGNAL_PARTICIPANT_LEFT, changes->left->pdata[i]);
  for (guint i = 0; i < changes->joined->len; i++)
    _confab_conference_emit (self, SIGNAL_PARTICIPANT_JOINED, changes->joined->pdata[i]);
  for (guint i = 0; i < changes->changed->len; i++)
    _confab_conference_emit (self, SIGNAL_PARTICIPANT_CHANGED, changes->changed->pdata[i]);
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

  entity_key = _confab_conference_normalize_address (info->entity);
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
  _confab_conference_emit (self, SIGNAL_UPDATED, NULL);
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
