// Jobdeck module kind `slugify`: turns payload.title into a URL slug, inside the worker process.
// The default export gets the job ({id, kind, payload, attempt}) and ctx (progress, log, signal,
// attempt, permanent, unavailable); what it returns is the job's result.
export default async function slugify(job, ctx) {
  const { title, separator = '-', max_length = 60 } = job.payload;
  ctx.log(`slugifying ${title.length} characters (attempt ${ctx.attempt})`);
  const plain = title.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const words = plain.match(/[a-z0-9]+/g) ?? [];
  // A title without a letter or digit never slugifies: fail for good, no retry.
  if (words.length === 0) throw ctx.permanent('payload.title has no letters or digits');
  await ctx.progress(50);
  if (ctx.signal.aborted) throw new Error('stopped before the slug was made');
  let slug = words.join(separator).slice(0, max_length);
  while (slug.endsWith(separator)) slug = slug.slice(0, -separator.length);
  return { slug, words: words.length };
}
