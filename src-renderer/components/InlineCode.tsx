/**
 * Text whose `backticked` spans are code, as the API document writes them: each span becomes a
 * `<code>` element and the rest stays text, so nothing in the text is ever read as HTML.
 * An unpaired backtick is kept as it is.
 */
export function InlineCode({ text }: { text: string }) {
  const parts = text.split('`');
  // An even count of parts means one backtick has no partner: the last part joins it as text.
  if (parts.length % 2 === 0) parts.splice(parts.length - 2, 2, `${parts[parts.length - 2]}\`${parts[parts.length - 1]}`);
  return parts.map((part, index) => (index % 2 === 1 ? <code key={index}>{part}</code> : part));
}
