/**
 * The part of node-hid the drivers use, as an injectable module-shaped dependency: the real module in the station,
 * `test/helpers/fake-node-hid.ts` in tests. node-hid is native (hidapi, libusb/libudev on Linux); loading it can
 * fail, which must make only the HID devices unavailable, never stop the station.
 */

export interface HidDeviceInfo {
  vendorId: number;
  productId: number;
  path?: string | undefined;
  serialNumber?: string | undefined;
  manufacturer?: string | undefined;
  product?: string | undefined;
  usagePage?: number | undefined;
  usage?: number | undefined;
  interface?: number | undefined;
}

/** An open HID device: node-hid's `HID` emits `data` (one input report, report id first) and `error`. */
export interface HidDeviceHandle {
  on(event: 'data', listener: (report: Buffer) => void): unknown;
  on(event: 'error', listener: (err: unknown) => void): unknown;
  removeAllListeners(event?: string): unknown;
  close(): void;
}

export interface NodeHidModule {
  devices(): HidDeviceInfo[];
  HID: new (path: string) => HidDeviceHandle;
}

export type HidLoader = () => Promise<NodeHidModule>;

export type HidLoadResult = { ok: true; hid: NodeHidModule } | { ok: false; reason: string };

/** Loads the real node-hid. */
export const loadNativeHid: HidLoader = async () => {
  const mod = (await import('node-hid')) as unknown as NodeHidModule & { default?: NodeHidModule };
  const hid = typeof mod.devices === 'function' ? mod : mod.default;
  if (hid === undefined || typeof hid.devices !== 'function') throw new Error('node-hid has no devices()');
  return hid;
};

/** Runs a loader and turns any failure (missing libusb, ABI mismatch) into a reason. */
export async function tryLoadHid(load: HidLoader = loadNativeHid): Promise<HidLoadResult> {
  try {
    return { ok: true, hid: await load() };
  } catch (e) {
    return {
      ok: false,
      reason: `node-hid could not be loaded: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}

/** USB HID usage page of POS barcode scanners. */
export const HID_USAGE_PAGE_BARCODE_SCANNER = 0x8c;

export const hex4 = (n: number): string => n.toString(16).padStart(4, '0');
