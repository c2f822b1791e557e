import { ProviderUnavailable } from '../../clients/http';
import { createCarrierActivities, type CarrierActivities } from '../../activities/carriers';
import { uid, useSandbox } from '../sandbox/testSandbox';

const t = useSandbox();
let carriers: CarrierActivities;

beforeAll(() => {
  carriers = createCarrierActivities(t.provider);
});

describe('carrier tracking', () => {
  it('returns the trail the carrier keeps', async () => {
    const waybillNo = uid('JD');
    const events = [
      { at: '2026-11-01T18:00:00+08:00', status: 'picked_up', location: 'Beijing' },
      { at: '2026-11-03T09:00:00+08:00', status: 'lost', note: 'not found at hub' },
    ];
    await t.send('PUT', `/carriers/JD/waybills/${waybillNo}`, { body: { status: 'lost', events } });
    expect(await carriers.trackWaybill({ carrier: 'JD', waybillNo, complaintId: uid('C') })).toEqual({
      carrier: 'JD',
      waybillNo,
      status: 'lost',
      events,
    });
  });

  it('answers unknown for a waybill the carrier does not know', async () => {
    const waybillNo = uid('SF');
    expect(await carriers.trackWaybill({ carrier: 'SF', waybillNo })).toEqual({
      carrier: 'SF',
      waybillNo,
      status: 'unknown',
      events: [],
    });
  });

  it('keeps odd characters in a waybill number inside its path segment', async () => {
    const waybillNo = `${uid('SF')}/../x?y`;
    await t.send('PUT', `/carriers/SF/waybills/${encodeURIComponent(waybillNo)}`, {
      body: { status: 'in_transit', events: [] },
    });
    expect(await carriers.trackWaybill({ carrier: 'SF', waybillNo })).toMatchObject({
      waybillNo,
      status: 'in_transit',
    });
  });

  it('surfaces an outage as a retryable error naming the complaint', async () => {
    await t.arm({ service: 'carriers', mode: 'error', rate: 1, count: 1 });
    const complaintId = uid('C');
    await expect(carriers.trackWaybill({ carrier: 'SF', waybillNo: '1', complaintId })).rejects.toThrow(
      ProviderUnavailable,
    );
    await t.arm({ service: 'carriers', mode: 'error', rate: 1, count: 1 });
    await expect(carriers.trackWaybill({ carrier: 'SF', waybillNo: '1', complaintId })).rejects.toThrow(complaintId);
  });
});
