/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabConference"

#include "config.h"

#include "conference/confab-participant.h"

#include <string.h>

/* ConfabRoomFile: a file a room keeps (AG Projects extension of RFC 4575),
 * updated in place when a later document says more about it. */

struct _ConfabRoomFile
{
  GObject  parent_instance;

  char    *name;
  char    *hash;
  guint64  size;
  char    *sender;
  char    *status;
};

G_DEFINE_FINAL_TYPE (ConfabRoomFile, confab_room_file, G_TYPE_OBJECT)

enum {
  FILE_PROP_0,
  FILE_PROP_NAME,
  FILE_PROP_HASH,
  FILE_PROP_SIZE,
  FILE_PROP_SENDER,
  FILE_PROP_STATUS,
  FILE_N_PROPS
};

static GParamSpec *file_props[FILE_N_PROPS];

static gboolean
set_file_string (ConfabRoomFile  *self,
                 char           **field,
                 const char      *value,
                 guint            prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), file_props[prop_id]);
  return TRUE;
}

static void
confab_room_file_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ConfabRoomFile *self = CONFAB_ROOM_FILE (object);

  switch (prop_id) {
  case FILE_PROP_NAME:
    g_value_set_string (value, self->name);
    break;
  case FILE_PROP_HASH:
    g_value_set_string (value, self->hash);
    break;
  case FILE_PROP_SIZE:
    g_value_set_uint64 (value, self->size);
    break;
  case FILE_PROP_SENDER:
    g_value_set_string (value, self->sender);
    break;
  case FILE_PROP_STATUS:
    g_value_set_string (value, self->status);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_room_file_finalize (GObject *object)
{
  ConfabRoomFile *self = CONFAB_ROOM_FILE (object);

  g_free (self->name);
  g_free (self->hash);
  g_free (self->sender);
  g_free (self->status);

  G_OBJECT_CLASS (confab_room_file_parent_class)->finalize (object);
}

static void
confab_room_file_class_init (ConfabRoomFileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = confab_room_file_get_property;
  object_class->finalize = confab_room_file_finalize;

  file_props[FILE_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  file_props[FILE_PROP_HASH] =
    g_param_spec_string ("hash", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  file_props[FILE_PROP_SIZE] = g_param_spec_uint64 ("size", NULL, NULL, 0, G_MAXUINT64, 0,
                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  file_props[FILE_PROP_SENDER] =
    g_param_spec_string ("sender", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  file_props[FILE_PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, FILE_N_PROPS, file_props);
}

static void
confab_room_file_init (ConfabRoomFile *self)
{
}

ConfabRoomFile *
_confab_room_file_new (const ConfabConferenceInfoFile *file)
{
  ConfabRoomFile *self;

  g_return_val_if_fail (file != NULL, NULL);

  self = g_object_new (CONFAB_TYPE_ROOM_FILE, NULL);
  self->name = g_strdup (file->name);
  self->hash = g_strdup (file->hash);
  self->size = file->size;
  self->sender = g_strdup (file->sender);
  self->status = g_strdup (file->status);
  return self;
}

gboolean
_confab_room_file_update (ConfabRoomFile                 *self,
                          const ConfabConferenceInfoFile *file)
{
  gboolean changed = FALSE;

  g_return_val_if_fail (CONFAB_IS_ROOM_FILE (self), FALSE);
  g_return_val_if_fail (file != NULL, FALSE);

  g_object_freeze_notify (G_OBJECT (self));
  changed |= set_file_string (self, &self->name, file->name, FILE_PROP_NAME);
  changed |= set_file_string (self, &self->sender, file->sender, FILE_PROP_SENDER);
  changed |= set_file_string (self, &self->status, file->status, FILE_PROP_STATUS);
  if (self->size != file->size) {
    self->size = file->size;
    g_object_notify_by_pspec (G_OBJECT (self), file_props[FILE_PROP_SIZE]);
    changed = TRUE;
  }
  g_object_thaw_notify (G_OBJECT (self));
  return changed;
}

const char *
confab_room_file_get_name (ConfabRoomFile *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_FILE (self), NULL);

  return self->name;
}

const char *
confab_room_file_get_hash (ConfabRoomFile *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_FILE (self), NULL);

  return self->hash;
}

guint64
confab_room_file_get_size (ConfabRoomFile *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_FILE (self), 0);

  return self->size;
}

const char *
confab_room_file_get_sender (ConfabRoomFile *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_FILE (self), NULL);

  return self->sender;
}

const char *
confab_room_file_get_status (ConfabRoomFile *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_FILE (self), NULL);

  return self->status;
}
