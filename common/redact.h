/* redact.h: secrets kept out of every text laketop shows, prints or logs.
 * A service's error message can carry what laketop signed (Glue and STS
 * send the canonical request back on a signature mismatch, with the
 * x-amz-security-token header in it), and other text may quote a header
 * or a URL. redact_dup makes such text safe to show:
 *   - from "The Canonical String for this request should have been" or
 *     "The String-to-Sign should have been" on, the text is dropped;
 *   - the value of an x-amz-security-token, Authorization,
 *     X-Amz-Credential or X-Amz-Signature header or query parameter
 *     ("name: value" to the end of the line, "name=value" to the next
 *     '&', blank, quote, ',' or ';'; either to a backslash, as an
 *     unparsed JSON message writes a newline "\n") becomes "***";
 *   - any text equal to a registered secret (as it is, URI-encoded as a
 *     query carries it, or with '/' escaped as JSON writes it) becomes "***".
 * The registry holds the secrets laketop holds: the secret access key and
 * the session token, registered where credentials are loaded
 * (collector/aws/aws_config.c). The access key id is not registered: it
 * names the key, AWS itself prints it in errors, and a person needs it to
 * tell which key failed. Everything here is thread-safe. */
#ifndef LAKETOP_REDACT_H
#define LAKETOP_REDACT_H

/* Remembers `secret` (copied) for redact_dup, until the process ends;
 * NULL, and strings under 4 bytes (no real secret is that short; they
 * would blank ordinary words), are ignored. Registering twice is harmless. */
void redact_register(const char *secret);
/* Forgets every registered secret (tests). */
void redact_forget_all(void);
/* `text` with the above removed, a new string the caller frees (NULL for
 * NULL). */
char *redact_dup(const char *text);
/* The same for a malloc'd `text`, which it frees: `s = redact_take(s)`. */
char *redact_take(char *text);

#endif
