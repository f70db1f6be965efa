/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabMsrp"

#include "config.h"

#include "confab-msrp-message.h"
#include "confab-msrp-private.h"

#include <string.h>

/* The MSRP message model: a reference-counted plain struct, so the parser,
 * builders and sessions share one cheap representation. */

G_DEFINE_BOXED_TYPE (ConfabMsrpMessage, confab_msrp_message,
                     confab_msrp_message_ref, confab_msrp_message_unref)

static const struct {
  ConfabMsrpMethod method;
  const char *name;
} methods[] = {
  { CONFAB_MSRP_METHOD_SEND, "SEND" },
  { CONFAB_MSRP_METHOD_REPORT, "REPORT" },
  { CONFAB_MSRP_METHOD_AUTH, "AUTH" },
  { CONFAB_MSRP_METHOD_NICKNAME, "NICKNAME" },
  { CONFAB_MSRP_METHOD_FILE_OFFSET, "FILE_OFFSET" },
};

/* Method names are case-sensitive (RFC 4975 §9: 1*UPALPHA). */
ConfabMsrpMethod
confab_msrp_method_from_string (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (methods); i++) {
    if (g_strcmp0 (name, methods[i].name) == 0)
      return methods[i].method;
  }
  return CONFAB_MSRP_METHOD_UNKNOWN;
}

/**
 * confab_msrp_method_to_string:
 *
 * Returns: (nullable): the method's name, %NULL for
 *   %CONFAB_MSRP_METHOD_UNKNOWN
 */
const char *
confab_msrp_method_to_string (ConfabMsrpMethod method)
{
  for (guint i = 0; i < G_N_ELEMENTS (methods); i++) {
    if (methods[i].method == method)
      return methods[i].name;
  }
  return NULL;
}

void
confab_msrp_header_free (ConfabMsrpHeader *header)
{
  if (!header)
    return;
  g_free (header->name);
  g_free (header->value);
  g_free (header);
}

/**
 * confab_msrp_message_new:
 *
 * Returns: (transfer full): an empty request: no method, no transaction
 *   id, empty paths, continuation '$'
 */
ConfabMsrpMessage *
confab_msrp_message_new (void)
{
  ConfabMsrpMessage *message = g_atomic_rc_box_new0 (ConfabMsrpMessage);

  message->to_path = confab_msrp_path_new ();
  message->from_path = confab_msrp_path_new ();
  message->headers = g_ptr_array_new_with_free_func ((GDestroyNotify) confab_msrp_header_free);
  message->expires = -1;
  message->min_expires = -1;
  message->max_expires = -1;
  message->continuation = CONFAB_MSRP_CONTINUATION_COMPLETE;
  return message;
}

static GPtrArray *
copy_strings (GPtrArray *strings)
{
  GPtrArray *copy;

  if (!strings)
    return NULL;
  copy = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < strings->len; i++)
    g_ptr_array_add (copy, g_strdup (g_ptr_array_index (strings, i)));
  return copy;
}

/**
 * confab_msrp_message_copy:
 *
 * Returns: (transfer full): a deep copy; the body is shared (GBytes are
 *   immutable)
 */
ConfabMsrpMessage *
confab_msrp_message_copy (const ConfabMsrpMessage *message)
{
  ConfabMsrpMessage *copy;

  g_return_val_if_fail (message != NULL, NULL);

  copy = confab_msrp_message_new ();
  copy->is_response = message->is_response;
  copy->transaction_id = g_strdup (message->transaction_id);
  copy->method = message->method;
  copy->method_name = g_strdup (message->method_name);
  copy->status = message->status;
  copy->comment = g_strdup (message->comment);
  g_ptr_array_unref (copy->to_path);
  copy->to_path = confab_msrp_path_copy (message->to_path);
  g_ptr_array_unref (copy->from_path);
  copy->from_path = confab_msrp_path_copy (message->from_path);
  copy->message_id = g_strdup (message->message_id);
  copy->has_byte_range = message->has_byte_range;
  copy->byte_range = message->byte_range;
  copy->success_report = message->success_report;
  copy->failure_report = message->failure_report;
  copy->has_report_status = message->has_report_status;
  copy->report_namespace = message->report_namespace;
  copy->report_status = message->report_status;
  copy->report_comment = g_strdup (message->report_comment);
  copy->use_path = confab_msrp_path_copy (message->use_path);
  copy->www_authenticate = copy_strings (message->www_authenticate);
  copy->authorization = g_strdup (message->authorization);
  copy->authentication_info = g_strdup (message->authentication_info);
  copy->expires = message->expires;
  copy->min_expires = message->min_expires;
  copy->max_expires = message->max_expires;
  copy->content_type = g_strdup (message->content_type);
  copy->content_id = g_strdup (message->content_id);
  copy->content_description = g_strdup (message->content_description);
  copy->content_disposition = g_strdup (message->content_disposition);
  for (guint i = 0; i < message->headers->len; i++) {
    const ConfabMsrpHeader *header = g_ptr_array_index (message->headers, i);

    confab_msrp_message_add_header (copy, header->name, header->value);
  }
  copy->body = message->body ? g_bytes_ref (message->body) : NULL;
  copy->continuation = message->continuation;
  return copy;
}

ConfabMsrpMessage *
confab_msrp_message_ref (ConfabMsrpMessage *message)
{
  g_return_val_if_fail (message != NULL, NULL);

  return g_atomic_rc_box_acquire (message);
}

static void
message_clear (ConfabMsrpMessage *message)
{
  g_free (message->transaction_id);
  g_free (message->method_name);
  g_free (message->comment);
  g_clear_pointer (&message->to_path, g_ptr_array_unref);
  g_clear_pointer (&message->from_path, g_ptr_array_unref);
  g_free (message->message_id);
  g_free (message->report_comment);
  g_clear_pointer (&message->use_path, g_ptr_array_unref);
  g_clear_pointer (&message->www_authenticate, g_ptr_array_unref);
  g_free (message->authorization);
  g_free (message->authentication_info);
  g_free (message->content_type);
  g_free (message->content_id);
  g_free (message->content_description);
  g_free (message->content_disposition);
  g_clear_pointer (&message->headers, g_ptr_array_unref);
  g_clear_pointer (&message->body, g_bytes_unref);
}

void
confab_msrp_message_unref (ConfabMsrpMessage *message)
{
  g_return_if_fail (message != NULL);

  g_atomic_rc_box_release_full (message, (GDestroyNotify) message_clear);
}

/* Makes @message a request for @method_name ("SEND", or any other). */
void
confab_msrp_message_set_method (ConfabMsrpMessage *message,
                                const char        *method_name)
{
  g_return_if_fail (message != NULL && method_name != NULL);

  message->is_response = FALSE;
  g_free (message->method_name);
  message->method_name = g_strdup (method_name);
  message->method = confab_msrp_method_from_string (method_name);
}

/**
 * confab_msrp_message_set_body:
 * @content_type: (nullable): required with a body
 * @body: (nullable): the body, referenced, not copied
 */
void
confab_msrp_message_set_body (ConfabMsrpMessage *message,
                              const char        *content_type,
                              GBytes            *body)
{
  g_return_if_fail (message != NULL);

  g_free (message->content_type);
  message->content_type = g_strdup (content_type);
  g_clear_pointer (&message->body, g_bytes_unref);
  message->body = body ? g_bytes_ref (body) : NULL;
}

/* Adds a header the model has no field for (Keep-Alive, Offset,
 * Use-Nickname, ...), after the others. */
void
confab_msrp_message_add_header (ConfabMsrpMessage *message,
                                const char        *name,
                                const char        *value)
{
  ConfabMsrpHeader *header;

  g_return_if_fail (message != NULL && name != NULL && value != NULL);

  header = g_new0 (ConfabMsrpHeader, 1);
  header->name = g_strdup (name);
  header->value = g_strdup (value);
  g_ptr_array_add (message->headers, header);
}

/**
 * confab_msrp_message_get_header:
 *
 * Looks among the headers without a field of their own (case-insensitive).
 *
 * Returns: (nullable): the first value of header @name
 */
const char *
confab_msrp_message_get_header (const ConfabMsrpMessage *message,
                                const char              *name)
{
  g_return_val_if_fail (message != NULL && name != NULL, NULL);

  for (guint i = 0; i < message->headers->len; i++) {
    const ConfabMsrpHeader *header = g_ptr_array_index (message->headers, i);

    if (g_ascii_strcasecmp (header->name, name) == 0)
      return header->value;
  }
  return NULL;
}

gsize
confab_msrp_message_get_body_length (const ConfabMsrpMessage *message)
{
  g_return_val_if_fail (message != NULL, 0);

  return message->body ? g_bytes_get_size (message->body) : 0;
}

/* RFC 4975 §7.1.2: success reports only when asked for, on SEND. */
gboolean
confab_msrp_message_wants_success_report (const ConfabMsrpMessage *message)
{
  g_return_val_if_fail (message != NULL, FALSE);

  return !message->is_response && message->method == CONFAB_MSRP_METHOD_SEND &&
         message->success_report == CONFAB_MSRP_REPORT_YES;
}

/* Failure reports unless Failure-Report: no (absent means yes), on SEND. */
gboolean
confab_msrp_message_wants_failure_report (const ConfabMsrpMessage *message)
{
  g_return_val_if_fail (message != NULL, FALSE);

  return !message->is_response && message->method == CONFAB_MSRP_METHOD_SEND &&
         message->failure_report != CONFAB_MSRP_REPORT_NO;
}

static void
append_range_value (GString *out,
                    guint64  value)
{
  if (value == CONFAB_MSRP_UNKNOWN)
    g_string_append_c (out, '*');
  else
    g_string_append_printf (out, "%" G_GUINT64_FORMAT, value);
}

/* One line for logs: "SEND abcd 1-5/5 $ (5 bytes, text/plain)". */
char *
confab_msrp_message_describe (const ConfabMsrpMessage *message)
{
  GString *out;

  g_return_val_if_fail (message != NULL, NULL);

  out = g_string_new (NULL);
  if (message->is_response)
    g_string_append_printf (out, "%u %s", message->status, message->transaction_id);
  else
    g_string_append_printf (out, "%s %s", message->method_name, message->transaction_id);
  if (message->has_byte_range) {
    g_string_append_printf (out, " %" G_GUINT64_FORMAT "-", message->byte_range.start);
    append_range_value (out, message->byte_range.end);
    g_string_append_c (out, '/');
    append_range_value (out, message->byte_range.total);
  }
  g_string_append_printf (out, " %c", (char) message->continuation);
  if (message->body)
    g_string_append_printf (out, " (%" G_GSIZE_FORMAT " bytes, %s)",
                            g_bytes_get_size (message->body),
                            message->content_type ? message->content_type : "no type");
  return g_string_free (out, FALSE);
}
