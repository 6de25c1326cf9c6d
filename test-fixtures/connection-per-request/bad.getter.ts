import Redis from 'ioredis';
import type { Request, Response } from 'express';

let redisClient: Redis | undefined;

/** The shared client, created on first use. */
export function getRedis(): Redis {
  redisClient ??= new Redis(process.env.REDIS_URL!);
  return redisClient;
}

export async function recentlyViewed(req: Request, res: Response) {
  const redis = new Redis(process.env.REDIS_URL!); // expect: connection-per-request
  try {
    const ids = await redis.lrange(`viewed:${req.params.userId}`, 0, 19);
    res.json({ ids });
  } finally {
    await redis.quit();
  }
}
