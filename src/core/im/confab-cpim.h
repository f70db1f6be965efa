/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Message/CPIM (RFC 3862): the envelope chat messages travel in over MSRP
 * and SIP MESSAGE. Message headers (From, To, cc, DateTime, Subject, NS,
 * Require and namespaced extensions such as "agp.Message-Type" or
 * "imdn.Message-ID"), a blank line, the MIME headers of the content, a
 * blank line, the content. Parsing is tolerant of what peers send (bare LF
 * line ends, folded or empty MIME headers, a bare URI for an address) and
 * bounded; errors are CONFAB_ERROR_INVALID. */

#define CONFAB_CPIM_CONTENT_TYPE     "message/cpim"
#define CONFAB_CPIM_MAX_HEADERS      128   /* lines in each header section */
#define CONFAB_CPIM_MAX_LINE         8192  /* bytes in one header line */
#define CONFAB_CPIM_MAX_HEADER_BLOCK 65536 /* bytes of both header sections */

#define CONFAB_CPIM_NS_IMDN          "urn:ietf:params:imdn"
#define CONFAB_CPIM_NS_AG_PROJECTS   "urn:ag-projects:xml:ns:cpim"

typedef struct
{
  char *display_name; /* "Conference Room", or NULL */
  char *uri;          /* "sip:room1@conference.example.com", as written */
} ConfabCpimAddress;

typedef struct
{
  char *prefix;       /* "agp" of "agp.Message-Type", or NULL */
  char *name;         /* "Message-Type" */
  char *params;       /* ";lang=fr" of "Subject:;lang=fr", or NULL */
  char *value;
  char *ns_uri;       /* the namespace the prefix stood for where it was read, or NULL */
} ConfabCpimHeader;

typedef struct
{
  char *prefix;       /* NULL for the default namespace */
  char *uri;
} ConfabCpimNamespace;

typedef struct
{
  ConfabCpimAddress *from;            /* or NULL */
  GPtrArray         *to;              /* ConfabCpimAddress* */
  GPtrArray         *cc;              /* ConfabCpimAddress* */
  GDateTime         *date_time;       /* or NULL (an unreadable one stays in headers) */
  GPtrArray         *subjects;        /* ConfabCpimHeader* (name "Subject", lang in params) */
  GPtrArray         *namespaces;      /* ConfabCpimNamespace*, in order */
  GPtrArray         *require;         /* char*: header names */
  GPtrArray         *headers;         /* ConfabCpimHeader*: every other message header, in order */

  char              *content_type;    /* or NULL (text/plain by MIME's rule) */
  char              *content_id;
  char              *content_disposition;
  GPtrArray         *content_headers; /* ConfabCpimHeader*: other MIME headers, in order */
  GBytes            *body;            /* never NULL once parsed; may be empty */
} ConfabCpimMessage;

ConfabCpimAddress *confab_cpim_address_new             (const char              *display_name,
                                                        const char              *uri);
ConfabCpimAddress *confab_cpim_address_parse           (const char              *text,
                                                        GError                 **error);
char              *confab_cpim_address_to_string       (const ConfabCpimAddress *address);
ConfabCpimAddress *confab_cpim_address_copy            (const ConfabCpimAddress *address);
void               confab_cpim_address_free            (ConfabCpimAddress       *address);

ConfabCpimMessage *confab_cpim_message_new             (void);
void               confab_cpim_message_free            (ConfabCpimMessage       *message);
ConfabCpimMessage *confab_cpim_message_parse           (GBytes                  *data,
                                                        GError                 **error);
GBytes            *confab_cpim_message_to_bytes        (const ConfabCpimMessage *message,
                                                        GError                 **error);

void               confab_cpim_message_set_body        (ConfabCpimMessage       *message,
                                                        const char              *content_type,
                                                        GBytes                  *body);
void               confab_cpim_message_add_namespace   (ConfabCpimMessage       *message,
                                                        const char              *prefix,
                                                        const char              *uri);
void               confab_cpim_message_add_header      (ConfabCpimMessage       *message,
                                                        const char              *prefix,
                                                        const char              *name,
                                                        const char              *value);
const char        *confab_cpim_message_get_header      (const ConfabCpimMessage *message,
                                                        const char              *ns_uri,
                                                        const char              *name);
const char        *confab_cpim_message_get_content_header (const ConfabCpimMessage *message,
                                                        const char              *name);

void               confab_cpim_header_free             (ConfabCpimHeader        *header);
void               confab_cpim_namespace_free          (ConfabCpimNamespace     *ns);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConfabCpimAddress, confab_cpim_address_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConfabCpimMessage, confab_cpim_message_free)

G_END_DECLS
