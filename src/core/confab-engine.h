/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CONFAB_TYPE_ENGINE (confab_engine_get_type ())
G_DECLARE_FINAL_TYPE (ConfabEngine, confab_engine, CONFAB, ENGINE, GObject)

ConfabEngine *confab_engine_new (GError **error);
gboolean      confab_engine_shutdown (ConfabEngine *self,
                                      guint         timeout_ms);
guint         confab_engine_get_n_user_agents (ConfabEngine *self);
const char   *confab_engine_get_bind_address (ConfabEngine *self);
void          confab_engine_set_bind_address (ConfabEngine *self,
                                              const char   *address);

G_END_DECLS
