import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * Whether the Redis-backed tests run: when redis-server is installed, and always under CI (where a missing server
 * must fail the run, not skip it: .ci/run installs it).
 */
export function redisTestsRun(): boolean {
  return Boolean(process.env.CI) || spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).error === undefined;
}

/** The one line a developer without redis-server sees instead of failures. */
export function reportSkippedRedisTests(count: number): void {
  process.stderr.write(`${count} tests need redis-server: skipped; install redis-server or run bash .ci/run\n`);
}

/** A real redis-server on a free loopback port, no persistence; stopped by `stop()`. */
export async function startRedis(onPort?: number): Promise<{ port: number; pid: number; stop: () => Promise<void> }> {
  const port =
    onPort ??
    (await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    }));
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new Error(
              'redis-server is not installed: install it (Debian: apt-get install redis-server) or run bash .ci/run',
            )
          : error,
      ),
    );
    child.stdout!.on('data', (d: Buffer) => {
      if (/Ready to accept connections/.test(d.toString())) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
  return {
    port,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
