import { startMockServer, type MockOptions, type MockServer } from '../../mock/index.js';

/** Runs `body` against a mock started with `options`, and closes the mock whatever happens. */
export async function withMock<T>(options: MockOptions, body: (mock: MockServer) => Promise<T>): Promise<T> {
  const mock = await startMockServer(options);
  try {
    return await body(mock);
  } finally {
    await mock.close();
  }
}
