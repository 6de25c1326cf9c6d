// Mongoose 7 dropped callbacks from every model and query method: they return promises only.
import type { ApiChange } from './types';

export const mongoose: ApiChange[] = [
  { api: 'callback', lang: 'js', library: 'mongoose', ecosystem: 'npm', versions: '>=7.0.0', status: 'removed', shape: { kind: 'callback-method', module: 'mongoose', methods: ['find', 'findOne', 'findById', 'findOneAndUpdate', 'findByIdAndUpdate', 'findByIdAndDelete', 'findOneAndDelete', 'updateOne', 'updateMany', 'deleteOne', 'deleteMany', 'countDocuments', 'create', 'insertMany', 'save', 'exec', 'aggregate'] }, replacement: '`await` the call (or `.then()`); errors reject the promise', guide: 'https://mongoosejs.com/docs/migrating_to_7.html#dropped-callback-support' },
];
