/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "confab-chat-text.h"

#include <glib.h>

#include <locale.h>

/* How the chat pane turns received text into markup, HTML into text, and
 * timestamps into day labels; no display needed. */

static void
test_markup_escapes (void)
{
  g_autofree char *markup = confab_chat_text_to_markup ("<b>bold</b> & \"quotes\" 'n' <a href=x>");

  g_assert_cmpstr (markup, ==,
                   "&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quotes&quot; &apos;n&apos; "
                   "&lt;a href=x&gt;");
}

static void
test_markup_links (void)
{
  static const struct
  {
    const char *text;
    const char *markup;
  } cases[] = {
    { "see https://example.org/a?b=1&c=2.",
      "see <a href=\"https://example.org/a?b=1&amp;c=2\">https://example.org/a?b=1&amp;c=2</a>." },
    { "call sip:bob@example.org, or sips:carol@example.org!",
      "call <a href=\"sip:bob@example.org\">sip:bob@example.org</a>, or "
      "<a href=\"sips:carol@example.org\">sips:carol@example.org</a>!" },
    { "(http://example.org/x_(y)) and (http://example.org/z)",
      "(<a href=\"http://example.org/x_(y)\">http://example.org/x_(y)</a>) and "
      "(<a href=\"http://example.org/z\">http://example.org/z</a>)" },
    { "HTTP://EXAMPLE.ORG", "<a href=\"HTTP://EXAMPLE.ORG\">HTTP://EXAMPLE.ORG</a>" },
    { "mysip:bob not a link, nor sip: alone, nor http://",
      "mysip:bob not a link, nor sip: alone, nor http://" },
    { "<https://example.org/\"><script>",
      "&lt;<a href=\"https://example.org/\">https://example.org/</a>&quot;&gt;&lt;script&gt;" },
    { "ünïcode https://example.org/ü ok",
      "ünïcode <a href=\"https://example.org/ü\">https://example.org/ü</a> ok" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *markup = confab_chat_text_to_markup (cases[i].text);

    g_autoptr (GError) error = NULL;

    g_assert_cmpstr (markup, ==, cases[i].markup);
    g_autofree char *document = g_strconcat ("<m>", markup, "</m>", NULL);
    GMarkupParseContext *context = g_markup_parse_context_new (&(GMarkupParser) { 0 }, 0, NULL,
                                                               NULL);

    /* Whatever came in, what goes out is well-formed markup (GtkLabel
     * takes the <a> elements out before Pango sees the rest). */
    g_assert_true (g_markup_parse_context_parse (context, document, -1, &error) &&
                   g_markup_parse_context_end_parse (context, &error));
    g_assert_no_error (error);
    g_markup_parse_context_free (context);
  }
}

static void
test_html (void)
{
  static const struct
  {
    const char *html;
    const char *text;
  } cases[] = {
    { "<p>Hello <b>world</b></p><p>Second&nbsp;line &amp; more</p>",
      "Hello world\nSecond line & more" },
    { "a<br>b<br/>c", "a\nb\nc" },
    { "<script>alert('x')</script>safe<style>p{}</style>", "safe" },
    { "<ul><li>one</li><li>two</li></ul>", "• one\n• two" },
    { "&#65;&#x42;&#0;&bogus; &lt;tag&gt;", "AB\xef\xbf\xbd&bogus; <tag>" },
    { "<!-- hidden -->shown", "shown" },
    { "unterminated <b", "unterminated" },
    { "1 < 2 and 3 > 2", "1 < 2 and 3 > 2" },
    { "  lots   of\n\n\n  space  ", "lots of space" },
    { "<img src=\"https://tracker.example/x.png\">text", "text" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *text = confab_chat_text_from_html (cases[i].html);

    g_assert_cmpstr (text, ==, cases[i].text);
  }
}

static void
test_days (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_local (2026, 3, 12, 15, 0, 0);
  g_autoptr (GDateTime) morning = g_date_time_new_local (2026, 3, 12, 0, 5, 0);
  g_autoptr (GDateTime) yesterday = g_date_time_new_local (2026, 3, 11, 23, 59, 0);
  g_autoptr (GDateTime) monday = g_date_time_new_local (2026, 3, 9, 10, 0, 0);
  g_autoptr (GDateTime) january = g_date_time_new_local (2026, 1, 2, 10, 0, 0);
  g_autoptr (GDateTime) last_year = g_date_time_new_local (2025, 12, 31, 10, 0, 0);
  g_autofree char *today_label = confab_chat_text_format_day (morning, now);
  g_autofree char *yesterday_label = confab_chat_text_format_day (yesterday, now);
  g_autofree char *monday_label = confab_chat_text_format_day (monday, now);
  g_autofree char *january_label = confab_chat_text_format_day (january, now);
  g_autofree char *last_year_label = confab_chat_text_format_day (last_year, now);

  g_assert_cmpstr (today_label, ==, "Today");
  g_assert_cmpstr (yesterday_label, ==, "Yesterday");
  g_assert_cmpstr (monday_label, ==, "Monday");
  g_assert_cmpstr (january_label, ==, "Friday, January 2");
  g_assert_cmpstr (last_year_label, ==, "December 31, 2025");
  g_assert_true (confab_chat_text_same_day (now, morning));
  g_assert_false (confab_chat_text_same_day (now, yesterday));
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/chat-text/markup/escapes", test_markup_escapes);
  g_test_add_func ("/chat-text/markup/links", test_markup_links);
  g_test_add_func ("/chat-text/html", test_html);
  g_test_add_func ("/chat-text/days", test_days);
  return g_test_run ();
}
