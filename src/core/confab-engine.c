/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabEngine"

#include "config.h"

#include "confab-engine-private.h"
#include "confab-error.h"

#include <sofia-sip/su_glib.h>
#include <sofia-sip/su_log.h>
#include <sofia-sip/su_tagarg.h>
#include <sofia-sip/su_uniqueid.h>
#include <sofia-sip/nua_tag.h>

#include <stdarg.h>

/* The sofia-sip stack runs on the GLib main context the engine was created
 * on: su_glib turns the su_root into a GSource, and threading is switched off
 * so every nua callback arrives on that context. */

struct _ConfabUa
{
  ConfabEngine   *engine;     /* unowned: the engine owns us */
  nua_t          *nua;
  ConfabUaHandler handler;
  gpointer        user_data;
  gboolean        releasing;
  gboolean        shut_down;
  GDestroyNotify  done;
  gpointer        done_data;
};

struct _ConfabEngine
{
  GObject       parent_instance;

  su_root_t    *root;
  GSource      *source;
  GMainContext *context;
  GPtrArray    *uas;          /* ConfabUa*, owned */
  guint         reap_id;
  char         *bind_address; /* NULL: all interfaces */
  ConfabCallHandler call_handler;
  gpointer      call_handler_data;
  ConfabCallHandler message_handler;
  gpointer      message_handler_data;
};

G_DEFINE_FINAL_TYPE (ConfabEngine, confab_engine, G_TYPE_OBJECT)

static guint su_init_count;

/* sofia-sip 1.12.11 deletes pthread key 0 at exit unless its unique-id
 * generator was used first — key 0 then is GLib's, and GTK aborts while
 * exiting. Using the generator once, before main(), gives sofia its own key. */
__attribute__((constructor)) static void
init_sofia_uniqueid (void)
{
  (void) su_random ();
}

static void
ua_free (gpointer data)
{
  ConfabUa *ua = data;

  if (ua->nua) {
    /* Only reached when the shutdown bound ran out: sofia refuses to free a
     * stack that has not finished shutting down, so it is left behind. */
    g_warning ("SIP stack %p did not finish shutting down", (void *) ua->nua);
  }
  if (ua->done)
    ua->done (ua->done_data);
  g_free (ua);
}

static gboolean
reap_shut_down_uas (gpointer user_data)
{
  ConfabEngine *self = user_data;

  self->reap_id = 0;
  for (guint i = self->uas->len; i > 0; i--) {
    ConfabUa *ua = g_ptr_array_index (self->uas, i - 1);

    if (!ua->shut_down)
      continue;
    nua_destroy (ua->nua);
    ua->nua = NULL;
    g_ptr_array_remove_index (self->uas, i - 1);
  }
  return G_SOURCE_REMOVE;
}

static void
on_nua_event (nua_event_t   event,
              int           status,
              const char   *phrase,
              nua_t        *nua,
              nua_magic_t  *magic,
              nua_handle_t *nh,
              nua_hmagic_t *hmagic,
              const sip_t  *sip,
              tagi_t        tags[])
{
  ConfabUa *ua = magic;

  if (event == nua_r_shutdown) {
    g_debug ("nua %p shutdown: %d %s", (void *) nua, status, phrase);
    if (status >= 200 && !ua->shut_down) {
      ua->shut_down = TRUE;
      /* nua_destroy() must not run inside its own callback. */
      if (ua->engine->reap_id == 0)
        ua->engine->reap_id = g_idle_add (reap_shut_down_uas, ua->engine);
    }
    return;
  }

  /* Once released, the owner is gone: sofia finishes the shutdown alone. */
  if (ua->releasing)
    return;

  ua->handler (event, status, phrase, nua, nh, sip, tags, ua->user_data);
}

static void
confab_engine_dispose (GObject *object)
{
  ConfabEngine *self = CONFAB_ENGINE (object);

  if (self->uas && self->uas->len > 0)
    confab_engine_shutdown (self, 2000);

  G_OBJECT_CLASS (confab_engine_parent_class)->dispose (object);
}

static void
confab_engine_finalize (GObject *object)
{
  ConfabEngine *self = CONFAB_ENGINE (object);

  g_clear_handle_id (&self->reap_id, g_source_remove);
  g_clear_pointer (&self->uas, g_ptr_array_unref);
  if (self->source)
    g_source_destroy (self->source);
  g_clear_pointer (&self->root, su_root_destroy);
  self->source = NULL;
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->bind_address, g_free);

  if (su_init_count > 0 && --su_init_count == 0)
    su_deinit ();

  G_OBJECT_CLASS (confab_engine_parent_class)->finalize (object);
}

static void
confab_engine_class_init (ConfabEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = confab_engine_dispose;
  object_class->finalize = confab_engine_finalize;
}

static void
confab_engine_init (ConfabEngine *self)
{
  self->uas = g_ptr_array_new_with_free_func (ua_free);
}

/**
 * confab_engine_new:
 *
 * Creates the SIP engine on the thread-default main context.
 */
ConfabEngine *
confab_engine_new (GError **error)
{
  g_autoptr (ConfabEngine) self = g_object_new (CONFAB_TYPE_ENGINE, NULL);

  if (su_init_count++ == 0) {
    if (su_init () != 0) {
      su_init_count = 0;
      g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_FAILED,
                   "Could not initialise the SIP stack");
      return NULL;
    }
    /* sofia logs to stderr by default; route it through SOFIA_DEBUG only. */
    if (!g_getenv ("SOFIA_DEBUG"))
      su_log_set_level (NULL, 0);
  }

  self->root = su_glib_root_create (self);
  if (!self->root) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_FAILED,
                 "Could not create the SIP event loop");
    return NULL;
  }
  su_root_threading (self->root, 0);

  self->context = g_main_context_ref_thread_default ();
  self->source = su_glib_root_gsource (self->root);
  g_source_attach (self->source, self->context);

  return g_steal_pointer (&self);
}

/**
 * confab_engine_shutdown:
 * @timeout_ms: how long to wait for the user agents to un-REGISTER
 *
 * Shuts every user agent down and iterates the engine's main context until
 * sofia confirms or the bound runs out.
 *
 * Returns: %TRUE when every agent shut down in time
 */
gboolean
confab_engine_shutdown (ConfabEngine *self,
                        guint         timeout_ms)
{
  gint64 deadline;

  g_return_val_if_fail (CONFAB_IS_ENGINE (self), FALSE);

  for (guint i = 0; i < self->uas->len; i++) {
    ConfabUa *ua = g_ptr_array_index (self->uas, i);

    if (!ua->releasing) {
      ua->releasing = TRUE;
      nua_shutdown (ua->nua);
    }
  }

  deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  while (self->uas->len > 0 && g_get_monotonic_time () < deadline) {
    if (!g_main_context_iteration (self->context, FALSE))
      g_usleep (2000);
  }
  reap_shut_down_uas (self);

  if (self->uas->len > 0) {
    g_warning ("%u SIP user agent(s) did not shut down within %u ms",
               self->uas->len, timeout_ms);
    /* Drop them without nua_destroy(); see ua_free(). */
    g_ptr_array_set_size (self->uas, 0);
    return FALSE;
  }
  return TRUE;
}

guint
confab_engine_get_n_user_agents (ConfabEngine *self)
{
  g_return_val_if_fail (CONFAB_IS_ENGINE (self), 0);
  return self->uas->len;
}

ConfabUa *
_confab_engine_create_ua (ConfabEngine    *self,
                          ConfabUaHandler  handler,
                          gpointer         user_data,
                          GError         **error,
                          tag_type_t       tag,
                          tag_value_t      value,
                          ...)
{
  ConfabUa *ua;
  ta_list ta;

  g_return_val_if_fail (CONFAB_IS_ENGINE (self), NULL);
  g_return_val_if_fail (handler != NULL, NULL);

  ua = g_new0 (ConfabUa, 1);
  ua->engine = self;
  ua->handler = handler;
  ua->user_data = user_data;

  ta_start (ta, tag, value);
  ua->nua = nua_create (self->root, on_nua_event, ua, ta_tags (ta));
  ta_end (ta);

  if (!ua->nua) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_NETWORK,
                 "Could not open the SIP transport: %s", g_strerror (errno));
    g_free (ua);
    return NULL;
  }
  g_ptr_array_add (self->uas, ua);
  return ua;
}

nua_t *
_confab_ua_get_nua (ConfabUa *ua)
{
  g_return_val_if_fail (ua != NULL, NULL);
  return ua->nua;
}

void
_confab_engine_release_ua (ConfabEngine   *self,
                           ConfabUa       *ua,
                           GDestroyNotify  done,
                           gpointer        done_data)
{
  g_return_if_fail (CONFAB_IS_ENGINE (self));
  g_return_if_fail (ua != NULL && !ua->releasing);

  ua->releasing = TRUE;
  ua->done = done;
  ua->done_data = done_data;
  nua_shutdown (ua->nua);
}

/**
 * confab_engine_get_bind_address:
 *
 * Returns: (nullable): the address SIP sockets bind to; %NULL for all
 */
const char *
confab_engine_get_bind_address (ConfabEngine *self)
{
  g_return_val_if_fail (CONFAB_IS_ENGINE (self), NULL);
  return self->bind_address;
}

/**
 * confab_engine_set_bind_address:
 * @address: (nullable): an IP address, or %NULL for all interfaces
 *
 * Applies to user agents created afterwards. Tests bind to 127.0.0.1 so
 * that no Contact ever names another address of the machine.
 */
void
confab_engine_set_bind_address (ConfabEngine *self,
                                const char   *address)
{
  g_return_if_fail (CONFAB_IS_ENGINE (self));
  g_free (self->bind_address);
  self->bind_address = (address && *address) ? g_strdup (address) : NULL;
}

void
_confab_engine_set_call_handler (ConfabEngine      *self,
                                 ConfabCallHandler  handler,
                                 gpointer           user_data)
{
  g_return_if_fail (CONFAB_IS_ENGINE (self));
  self->call_handler = handler;
  self->call_handler_data = user_data;
}

void
_confab_engine_set_message_handler (ConfabEngine      *self,
                                    ConfabCallHandler  handler,
                                    gpointer           user_data)
{
  g_return_if_fail (CONFAB_IS_ENGINE (self));
  self->message_handler = handler;
  self->message_handler_data = user_data;
}

gboolean
_confab_engine_dispatch_call (ConfabEngine  *self,
                              ConfabAccount *account,
                              nua_event_t    event,
                              int            status,
                              const char    *phrase,
                              nua_t         *nua,
                              nua_handle_t  *nh,
                              const sip_t   *sip,
                              tagi_t         tags[])
{
  g_return_val_if_fail (CONFAB_IS_ENGINE (self), FALSE);

  if (event == nua_i_message || event == nua_r_message) {
    if (self->message_handler &&
        self->message_handler (account, event, status, phrase, nua, nh, sip, tags,
                               self->message_handler_data))
      return TRUE;
    if (event == nua_i_message) {
      /* Nobody reads page-mode messages (e.g. confab-cli register). */
      nua_respond (nh, 480, "Temporarily Unavailable", NUTAG_WITH_THIS (nua), TAG_END ());
      if (!nua_handle_magic (nh))
        nua_handle_destroy (nh);
      return TRUE;
    }
  }
  if (!self->call_handler)
    return FALSE;
  return self->call_handler (account, event, status, phrase, nua, nh, sip, tags,
                             self->call_handler_data);
}
