import { describe, expect, it } from 'vitest';
import { EscPosProtocolError } from '../../../src/drivers/printer/errors';
import {
  DLE_EOT,
  combineStatus,
  hasStatusSignature,
  parseErrorCauseByte,
  parseOfflineCauseByte,
  parsePaperByte,
  parsePrinterByte,
  parseStatusByte,
  type StatusQuery,
} from '../../../src/drivers/printer/escpos-status';
import { statusBytesFor } from '../../../src/drivers/printer/simulator';

describe('DLE EOT status parsing', () => {
  it('builds the 3-byte query', () => {
    expect([...DLE_EOT(1)]).toEqual([0x10, 0x04, 0x01]);
    expect([...DLE_EOT(4)]).toEqual([0x10, 0x04, 0x04]);
  });

  it('normal 0x12 means nothing set for every n', () => {
    expect(parsePrinterByte(0x12)).toEqual({ raw: 0x12, drawerSensorHigh: false, offline: false });
    expect(parseOfflineCauseByte(0x12)).toEqual({
      raw: 0x12,
      coverOpen: false,
      feedButton: false,
      paperEndStop: false,
      error: false,
    });
    expect(parseErrorCauseByte(0x12)).toEqual({
      raw: 0x12,
      cutterError: false,
      unrecoverable: false,
      autoRecoverable: false,
    });
    expect(parsePaperByte(0x12)).toEqual({ raw: 0x12, nearEnd: false, out: false });
  });

  it('n=1: bit 2 drawer sensor, bit 3 offline', () => {
    expect(parsePrinterByte(0x16)).toMatchObject({ drawerSensorHigh: true, offline: false });
    expect(parsePrinterByte(0x1a)).toMatchObject({ drawerSensorHigh: false, offline: true });
    expect(parsePrinterByte(0x1e)).toMatchObject({ drawerSensorHigh: true, offline: true });
  });

  it('n=2: bit 2 cover open, bit 3 feed button, bit 5 paper end stop, bit 6 error', () => {
    expect(parseOfflineCauseByte(0x16)).toMatchObject({ coverOpen: true, feedButton: false });
    expect(parseOfflineCauseByte(0x1a)).toMatchObject({ coverOpen: false, feedButton: true });
    expect(parseOfflineCauseByte(0x32)).toMatchObject({ paperEndStop: true, error: false });
    expect(parseOfflineCauseByte(0x52)).toMatchObject({ paperEndStop: false, error: true });
    expect(parseOfflineCauseByte(0x7e)).toEqual({
      raw: 0x7e,
      coverOpen: true,
      feedButton: true,
      paperEndStop: true,
      error: true,
    });
  });

  it('n=3: bit 3 cutter, bit 5 unrecoverable, bit 6 auto-recoverable', () => {
    expect(parseErrorCauseByte(0x1a)).toMatchObject({
      cutterError: true,
      unrecoverable: false,
      autoRecoverable: false,
    });
    expect(parseErrorCauseByte(0x32)).toMatchObject({
      cutterError: false,
      unrecoverable: true,
      autoRecoverable: false,
    });
    expect(parseErrorCauseByte(0x52)).toMatchObject({
      cutterError: false,
      unrecoverable: false,
      autoRecoverable: true,
    });
  });

  it('n=4: 0x0C near end, 0x60 paper out', () => {
    expect(parsePaperByte(0x1e)).toMatchObject({ nearEnd: true, out: false });
    expect(parsePaperByte(0x72)).toMatchObject({ nearEnd: false, out: true });
    expect(parsePaperByte(0x7e)).toMatchObject({ nearEnd: true, out: true });
  });

  it('every byte: the signature decides, and a bad byte is a typed protocol error with the raw byte', () => {
    let good = 0;
    for (let b = 0; b <= 0xff; b++) {
      const signed = (b & 0x93) === 0x12;
      expect(hasStatusSignature(b)).toBe(signed);
      for (const n of [1, 2, 3, 4] as StatusQuery[]) {
        if (signed) {
          expect(parseStatusByte(n, b).raw).toBe(b);
        } else {
          let caught: unknown;
          try {
            parseStatusByte(n, b);
          } catch (e) {
            caught = e;
          }
          expect(caught).toBeInstanceOf(EscPosProtocolError);
          const err = caught as EscPosProtocolError;
          expect(err.rawByte).toBe(b);
          expect(err.query).toBe(n);
          expect(err.code).toBe('device_offline');
          expect(err.reason).toBe('protocol');
        }
      }
      if (signed) good += 1;
    }
    expect(good).toBe(16); // 4 free bits (2, 3, 5, 6)
    for (const bad of [0x00, 0xff, 0x13, 0x92, 0x10, 0x02]) expect(hasStatusSignature(bad)).toBe(false);
  });

  it('combines the bytes into one condition, drawer polarity as a setting', () => {
    const combine = (state: Parameters<typeof statusBytesFor>[0], drawerHigh = false) => {
      const b = statusBytesFor(state, drawerHigh)!;
      const offlineCause = parseOfflineCauseByte(b[2]);
      return combineStatus(
        parsePrinterByte(b[1]),
        offlineCause,
        parsePaperByte(b[4]),
        offlineCause.error ? parseErrorCauseByte(b[3]) : null,
        'open_when_low',
      );
    };
    expect(combine('normal')).toMatchObject({ condition: 'ready', online: true, drawerOpen: true });
    expect(combine('normal', true)).toMatchObject({ drawerSensorHigh: true, drawerOpen: false });
    expect(combine('paperNearEnd')).toMatchObject({ condition: 'paper_near_end', online: true });
    expect(combine('coverOpen')).toMatchObject({ condition: 'cover_open', online: false, coverOpen: true });
    expect(combine('paperOut')).toMatchObject({ condition: 'paper_out', paperOut: true, online: false });
    expect(combine('offline')).toMatchObject({
      condition: 'error',
      online: false,
      cutterError: true,
      autoRecoverableError: true,
      unrecoverableError: false,
    });
  });
});
