import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey } from './mongoErrors';

/**
 * Carrier events the API accepted, by carrier and the carrier's event id: a signed event replayed
 * (by an attacker, or a carrier retrying) is answered "already received" instead of reaching the
 * cases twice. Kept in the projection's database so every API process sees the same record.
 */
const carrierEventSchema = new Schema(
  {
    _id: { type: String, required: true },
    carrier: { type: String, required: true },
    eventId: { type: String, required: true },
    waybillNo: { type: String, required: true },
    receivedAt: { type: Date, required: true },
  },
  { collection: 'carrier_events', versionKey: false },
);

export type CarrierEventModel = Model<{
  _id: string;
  carrier: string;
  eventId: string;
  waybillNo: string;
  receivedAt: Date;
}>;

export function carrierEventModel(connection: Connection): CarrierEventModel {
  return (
    (connection.models.CarrierEvent as CarrierEventModel | undefined) ??
    connection.model('CarrierEvent', carrierEventSchema)
  );
}

const keyOf = (carrier: string, eventId: string) => `${carrier}\u0000${eventId}`;

/** Records the event; false when it was already received. */
export async function recordCarrierEvent(
  events: CarrierEventModel,
  e: { carrier: string; eventId: string; waybillNo: string },
): Promise<boolean> {
  try {
    await events.create({ _id: keyOf(e.carrier, e.eventId), ...e, receivedAt: new Date() });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/** Forgets an event whose routing failed, so the carrier's retry is not taken for a replay. */
export async function forgetCarrierEvent(
  events: CarrierEventModel,
  e: { carrier: string; eventId: string },
): Promise<void> {
  await events.deleteOne({ _id: keyOf(e.carrier, e.eventId) });
}
