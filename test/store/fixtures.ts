import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { openStore, storeOn, type Store } from '../../store/connection';

/** The address of a database of its own for one test file, on the suite's MongoDB-wire server. */
export function freshDbUri(name: string): string {
  const uri = new URL(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017/complaints-test');
  uri.pathname = `/${name}-${randomUUID().slice(0, 8)}`;
  return uri.toString();
}

export async function freshStore(name: string): Promise<Store> {
  return openStore(freshDbUri(name));
}

export async function dropStore(store: Store): Promise<void> {
  // A model made late (the doctor's, a test's own) builds its indexes in the background; the
  // Mongo-wire server fails a drop that meets an index build ("index not found with name [_id_]").
  await Promise.all(Object.values(store.connection.models).map((model) => model.init()));
  await store.connection.dropDatabase();
  await store.connection.close();
}

/** A store whose server is not there: every operation fails as an unreachable database does. */
export function unreachableStore(): Store {
  // Mongoose honours bufferTimeoutMS per connection though its types do not list it; short waits keep the test quick.
  const options = { serverSelectionTimeoutMS: 300, bufferTimeoutMS: 300 };
  const connection = mongoose.createConnection('mongodb://127.0.0.1:1/nowhere', options);
  connection.asPromise().catch(() => undefined);
  return storeOn(connection);
}
