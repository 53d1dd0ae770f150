import { defineFileRule } from '../../rule';
import type { From } from 'dockerfile-ast';
import { isDockerfile, dockerfileOf } from '../../docker/dockerfile';

/** `FROM python` or `python:latest` changes under you: the same Dockerfile builds a different image next month. */
export const baseImageUnpinned = defineFileRule({
  code: 'DKR009',
  name: 'base-image-unpinned',
  severity: 'warning',
  title: 'Base image without a version tag',
  doc: {
    what: 'A FROM names an image without a tag or digest, or with `:latest` (build stages and `scratch` are fine).',
    why: '`latest` moves: next month the same Dockerfile builds on another Python, CUDA or OS release, and training results or the build itself change without any commit.',
    example: 'FROM python\nFROM pytorch/pytorch:latest\n',
    fix: 'FROM python:3.11-slim\nFROM pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime\n\n(add `@sha256:...` for a fully reproducible build).',
    references: ['https://docs.docker.com/build/building/best-practices/#from'],
  },
  appliesTo: isDockerfile,
  check(ctx) {
    const d = dockerfileOf(ctx);
    if (!d) return;
    const stages = new Set<string>();
    for (const i of d.p.instructions) {
      if (i.keyword !== 'FROM') continue;
      const f = i.raw as From;
      const image = f.getImage?.();
      const range = f.getImageRange?.();
      const stage = f.getBuildStage?.();
      if (image && range && !/\$/.test(image) && image.toLowerCase() !== 'scratch' && !stages.has(image.toLowerCase()) && !f.getImageDigest?.()) {
        const tag = f.getImageTag?.();
        if (!tag || tag === 'latest') {
          ctx.report({
            message: `FROM ${image}: ${tag ? 'the latest tag' : 'no tag'} means a different base image whenever it is rebuilt; pin a version tag (e.g. ${f.getImageName()}:<version>)`,
            range,
          });
        }
      }
      if (stage) stages.add(stage.toLowerCase());
    }
  },
});
