// pending: written in this change
export async function handler(_event: unknown): Promise<unknown> {
  throw new Error('pending');
}
