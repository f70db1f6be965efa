/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "conference/confab-conference-info.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
assert_users_equal (const ConfabConferenceInfoUser *a,
                    const ConfabConferenceInfoUser *b)
{
  g_assert_cmpstr (a->entity, ==, b->entity);
  g_assert_cmpint (a->state, ==, b->state);
  g_assert_cmpstr (a->display_text, ==, b->display_text);
  g_assert_true ((a->roles == NULL) == (b->roles == NULL));
  if (a->roles)
    g_assert_true (g_strv_equal ((const char *const *) a->roles, (const char *const *) b->roles));
  g_assert_cmpstr (a->screen_image_url, ==, b->screen_image_url);
  g_assert_cmpuint (a->endpoints->len, ==, b->endpoints->len);
  for (guint i = 0; i < a->endpoints->len; i++) {
    const ConfabConferenceInfoEndpoint *x = g_ptr_array_index (a->endpoints, i);
    const ConfabConferenceInfoEndpoint *y = g_ptr_array_index (b->endpoints, i);

    g_assert_cmpstr (x->entity, ==, y->entity);
    g_assert_cmpstr (x->status, ==, y->status);
    g_assert_true ((x->joined_at == NULL) == (y->joined_at == NULL));
    g_assert_cmpuint (x->media->len, ==, y->media->len);
    for (guint j = 0; j < x->media->len; j++) {
      const ConfabConferenceInfoMedia *m = g_ptr_array_index (x->media, j);
      const ConfabConferenceInfoMedia *n = g_ptr_array_index (y->media, j);

      g_assert_cmpstr (m->id, ==, n->id);
      g_assert_cmpstr (m->type, ==, n->type);
      g_assert_cmpstr (m->status, ==, n->status);
    }
  }
}

/* conference-info documents (RFC 4575) come from the focus and, through
 * it, from every participant: hostile input. Parse; what is read keeps
 * the header's promises and copies to the same. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr (ConfabConferenceInfo) info = confab_conference_info_parse ((const char *) data, size, NULL);

  if (!info)
    return 0;
  g_assert_nonnull (info->entity);
  g_assert_nonnull (confab_conference_info_state_to_string (info->state));
  g_assert_nonnull (confab_conference_info_state_to_string (info->users_state));
  g_assert_cmpint (info->active, >=, -1);
  g_assert_cmpint (info->active, <=, 1);
  g_assert_cmpint (info->locked, >=, -1);
  g_assert_cmpint (info->locked, <=, 1);
  g_assert_cmpint (info->user_count, >=, -1);
  g_assert_nonnull (info->users);
  g_assert_cmpuint (info->users->len, <=, CONFAB_CONFERENCE_INFO_MAX_USERS);
  if (info->files)
    g_assert_cmpuint (info->files->len, <=, CONFAB_CONFERENCE_INFO_MAX_FILES);
  for (guint i = 0; i < info->users->len; i++) {
    const ConfabConferenceInfoUser *user = g_ptr_array_index (info->users, i);
    ConfabConferenceInfoUser *copy;

    g_assert_nonnull (user->entity);
    g_assert_nonnull (user->endpoints);
    g_assert_cmpuint (user->endpoints->len, <=, CONFAB_CONFERENCE_INFO_MAX_ENDPOINTS);
    if (user->roles)
      g_assert_cmpuint (g_strv_length (user->roles), <=, CONFAB_CONFERENCE_INFO_MAX_ROLES);
    for (guint j = 0; j < user->endpoints->len; j++) {
      const ConfabConferenceInfoEndpoint *endpoint = g_ptr_array_index (user->endpoints, j);

      g_assert_nonnull (endpoint->entity);
      g_assert_nonnull (endpoint->media);
      g_assert_cmpuint (endpoint->media->len, <=, CONFAB_CONFERENCE_INFO_MAX_MEDIA);
      for (guint k = 0; k < endpoint->media->len; k++)
        g_assert_nonnull (((ConfabConferenceInfoMedia *) g_ptr_array_index (endpoint->media, k))->id);
    }
    copy = confab_conference_info_user_copy (user);
    assert_users_equal (user, copy);
    confab_conference_info_user_free (copy);
  }
  return 0;
}
