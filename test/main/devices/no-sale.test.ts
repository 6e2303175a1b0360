import { afterEach, describe, expect, it } from 'vitest';
import { decodeEscPos } from '../../helpers/escpos-decoder';
import { unwrap } from '../../helpers/station';
import { startDevices, waitFor } from '../printing/helpers';
import { failure, openSaleStation, requestIdOf, SUPERVISOR_PIN, type SaleFixture } from '../sale/fixture';

let fx: SaleFixture | null = null;
afterEach(async () => {
  if (fx) await fx.station.devices.stop();
  fx?.cleanup();
  fx = null;
});

const audits = (f: SaleFixture, action: string) =>
  f.station.db
    .prepare<[string], { user_id: string; details: string }>(
      'SELECT user_id, details FROM audit_log WHERE action = ?',
    )
    .all(action);

describe('no sale: the drawer without a sale', () => {
  it('a cashier needs a supervisor: denied with a request, approved by PIN, audited, the drawer kicked once', async () => {
    fx = await openSaleStation();
    await startDevices(fx.station, { drawer: { pin: 5, pulseOnMs: 120, pulseOffMs: 240 } });
    await waitFor('printer online', () => fx!.station.devices.manager.printer?.printable);
    const sim = fx.station.devices.manager.demoPrinter!;

    const denied = await fx.till('drawer:no-sale', { reason: 'change for a note' });
    const requestId = requestIdOf(denied);
    expect(failure(denied)).toMatchObject({
      action: 'ask_supervisor',
      details: { permission: 'drawer.no_sale' },
    });
    expect(audits(fx, 'drawer.no_sale')).toHaveLength(0);

    const wrong = await fx.till('drawer:no-sale', {
      reason: 'change for a note',
      approval: { requestId, supervisorId: fx.supervisorId, pin: '9999' },
    });
    expect(failure(wrong).code).toBe('wrong_pin');

    const ok = unwrap(
      await fx.till('drawer:no-sale', {
        reason: 'change for a note',
        approval: { requestId, supervisorId: fx.supervisorId, pin: SUPERVISOR_PIN },
      }),
    );
    expect(ok.openedAt).toBe(fx.station.clock.now().toISOString());
    const rows = audits(fx, 'drawer.no_sale');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.user_id).toBe(fx.cashierId);
    expect(JSON.parse(rows[0]!.details)).toMatchObject({ reason: 'change for a note' });
    expect(audits(fx, 'approval.granted')).toHaveLength(1);
    // The approval is single-use.
    const again = await fx.till('drawer:no-sale', {
      approval: { requestId, supervisorId: fx.supervisorId, pin: SUPERVISOR_PIN },
    });
    expect(failure(again).code).toBe('permission_denied');

    await fx.station.devices.manager.printer!.pollNow();
    const kicks = decodeEscPos(sim.jobBytes()).ops.filter((o) => o.op === 'drawerKick');
    expect(kicks.map((k) => (k.op === 'drawerKick' ? k.bytes : []))).toEqual([[0x1b, 0x70, 0x01, 60, 120]]);
  });

  it('a supervisor opens it on their own right; with the printer away it is recorded and reported', async () => {
    fx = await openSaleStation();
    await startDevices(fx.station);
    await waitFor('printer online', () => fx!.station.devices.manager.printer?.printable);
    unwrap(await fx.sup('drawer:no-sale', {}));
    expect(audits(fx, 'drawer.no_sale')).toHaveLength(1);
    await fx.station.devices.manager.demoPrinter!.close();
    await fx.station.devices.manager.printer!.pollNow().catch(() => undefined);
    const away = await fx.sup('drawer:no-sale', {});
    expect(failure(away)).toMatchObject({ code: 'device_offline', action: 'retry' });
    expect(audits(fx, 'drawer.no_sale')).toHaveLength(2);
    expect(audits(fx, 'drawer.kick_failed')).toHaveLength(1);
  });

  it('an admin sees and changes the device configuration (audited); a cashier may not', async () => {
    fx = await openSaleStation();
    await startDevices(fx.station);
    expect(failure(await fx.till('devices:config-get', {})).code).toBe('permission_denied');
    const view = unwrap(await fx.admin('devices:config-get', {}));
    expect(view.source).toBe('file');
    const bad = await fx.admin('devices:config-set', { config: { printer: { connection: 'lpt1' } } });
    expect(failure(bad).code).toBe('bad_input');
    const set = unwrap(
      await fx.admin('devices:config-set', {
        config: { printer: { connection: 'none' }, drawer: { connection: 'none' } },
      }),
    );
    expect(set).toMatchObject({
      source: 'channel',
      config: { printer: { connection: 'none', type: 'epson' } },
    });
    expect(audits(fx, 'devices.configured').length).toBe(2);
    const statuses = unwrap(await fx.till('devices:status', {}));
    expect(statuses.find((s) => s.id === 'printer')).toMatchObject({ state: 'disabled' });
    expect(failure(await fx.sup('drawer:no-sale', {})).code).toBe('device_offline');
  });
});
