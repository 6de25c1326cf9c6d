import mongoose from 'mongoose';

// The Next.js connection cache: connect once per server process, reuse the promise afterwards.
const globalForMongoose = globalThis as unknown as { mongoose?: { conn: typeof mongoose | null; promise: Promise<typeof mongoose> | null } };
const cached = globalForMongoose.mongoose ?? (globalForMongoose.mongoose = { conn: null, promise: null });

async function dbConnect() {
  if (cached.conn) return cached.conn;
  if (!cached.promise) {
    cached.promise = mongoose.connect(process.env.MONGODB_URI!, { bufferCommands: false }).then((m) => m);
  }
  cached.conn = await cached.promise;
  return cached.conn;
}

// Connect only when not connected yet.
async function ensureConnected() {
  if (mongoose.connection.readyState === 1) return;
  await mongoose.connect(process.env.MONGODB_URI!);
}

export async function GET() {
  await dbConnect();
  await ensureConnected();
  const count = await mongoose.connection.db?.collection('orders').countDocuments({ status: 'open' });
  return Response.json({ count });
}
