import { git, gitRepo } from './tmp';

/** A real git repository (see gitRepo) with an identity and no signing, so the engine's own git calls can tag and commit. */
export function versionedRepo(files: Record<string, string | Buffer>): string {
  const root = gitRepo(files);
  git(root, 'config', 'user.name', 'Test');
  git(root, 'config', 'user.email', 'test@example.com');
  git(root, 'config', 'tag.gpgSign', 'false');
  return root;
}
