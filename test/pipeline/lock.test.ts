import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { EnvironmentError } from '../../generator/errors.js';
import { lockOutput, recoverLitter } from '../../generator/pipeline/lock.js';
import { REPO, repoTempDir } from '../helpers/specs.js';

/** The pid of a process that has ended. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

describe('one run at a time writes an output', () => {
  test('a second run waits, then refuses naming the holder; a lock of a process that is gone is broken', async () => {
    const target = path.join(repoTempDir('out-'), 'alma-client');
    const release = await lockOutput(target);
    const holder = JSON.parse(readFileSync(`${target}.lock`, 'utf8')) as { pid: number; started: string };
    expect(holder.pid).toBe(process.pid);
    await expect(lockOutput(target, 300)).rejects.toThrow(
      new RegExp(`another alma-codegen run \\(pid ${process.pid}, since ${holder.started}\\) is writing ${target}`),
    );
    await release();
    expect(existsSync(`${target}.lock`)).toBe(false);

    writeFileSync(`${target}.lock`, JSON.stringify({ pid: await deadPid(), started: '2026-01-01T00:00:00Z' }));
    const again = await lockOutput(target, 300);
    expect(JSON.parse(readFileSync(`${target}.lock`, 'utf8')).pid).toBe(process.pid);
    await again();
  });

  test('litter of killed runs: a previous whose swap never finished is put back; staging folders go', async () => {
    const target = path.join(repoTempDir('out-'), 'alma-client');
    const dead = await deadPid();
    mkdirSync(`${target}.previous-${dead}`, { recursive: true });
    writeFileSync(`${target}.previous-${dead}/index.ts`, 'the old output');
    mkdirSync(`${target}.staging-${dead}`, { recursive: true });
    mkdirSync(`${target}.staging-${process.pid}`, { recursive: true });
    expect(recoverLitter(target).sort()).toEqual([`alma-client.previous-${dead}`, `alma-client.staging-${dead}`]);
    expect(readFileSync(path.join(target, 'index.ts'), 'utf8')).toBe('the old output');
    expect(existsSync(`${target}.staging-${dead}`)).toBe(false);
    // A live run's folder is its own.
    expect(existsSync(`${target}.staging-${process.pid}`)).toBe(true);
  });
});

describe('file-system errors are one line naming the configured folder', () => {
  test.each(['EROFS', 'EACCES', 'EPERM', 'ENOSPC', 'EEXIST', 'ENOTDIR', 'EMFILE'])('%s', (code) => {
    const error = Object.assign(new Error(`${code}: x`), { code, path: '/out/alma-client.staging-123/src/users.ts' });
    const known = EnvironmentError.from(error, 'write', '/out/alma-client');
    expect(known).toBeInstanceOf(EnvironmentError);
    expect(known!.message).toMatch(/cannot write \/out\/alma-client: /);
    expect(known!.message).not.toContain('staging');
    expect(known!.message.split('\n')).toHaveLength(2);
  });
});

describe('a write stopped by a signal', () => {
  test('SIGTERM mid-write: the staging folder goes, the previous output stays whole, the exit status is 143', async () => {
    const target = path.join(repoTempDir('out-'), 'alma-client');
    mkdirSync(target, { recursive: true });
    writeFileSync(path.join(target, 'index.ts'), 'the previous output');
    const write = path.join(REPO, 'dist/generator/pipeline/write.js');
    // Enough files that the write is still going when the signal comes.
    const script = `
      const { writeChangedFiles } = await import(${JSON.stringify(write)});
      const files = new Map(Array.from({ length: 40000 }, (_, i) => ['src/f' + i + '.ts', 'x'.repeat(200)]));
      files.set('index.ts', 'the new output');
      console.log('writing');
      await writeChangedFiles(${JSON.stringify(target)}, files, ['index.ts']);
      console.log('done');
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 150));
    child.kill('SIGTERM');
    const [code, signal] = (await new Promise((resolve) => child.once('exit', (c, s) => resolve([c, s])))) as [
      number | null,
      string | null,
    ];
    expect({ code, signal, stderr }).toEqual({ code: 143, signal: null, stderr: '' });
    expect(readFileSync(path.join(target, 'index.ts'), 'utf8')).toBe('the previous output');
    expect(existsSync(`${target}.staging-${child.pid}`)).toBe(false);
    expect(existsSync(`${target}.previous-${child.pid}`)).toBe(false);
  }, 60_000);
});
