/** The .gitignore entry that covers a file: its folder when it sits in a well-known artefact folder, else the file. */
export function ignoreEntryFor(rel: string): string {
  const top = rel.split('/')[0];
  if (rel.includes('/') && ['data', 'models', 'checkpoints'].includes(top)) return `/${top}/`;
  return `/${rel}`;
}
