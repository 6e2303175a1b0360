import { createHash } from 'node:crypto';
import {
  DEMO_CATEGORIES,
  FRESH_ITEMS,
  PRODUCT_LINES,
  type CategoryCode,
  type ProductLine,
  type TaxCode,
} from './catalog-data';
import { gs1CheckDigit } from '../../../shared/domain/barcode';
import { pinyinInitials } from '../catalog/pinyin';
import { Prng } from './prng';

export type DemoUnit = 'piece' | 'kg';

export interface DemoProductSpec {
  nameZh: string;
  nameEn: string;
  category: CategoryCode;
  tax: TaxCode;
  unit: DemoUnit;
  /** Shelf price in fen, tax included (the demo store is tax-inclusive); per kg for `kg` products. */
  price: number;
  cost: number;
  /** The EAN-13 printed on the pack, or null for loose goods and services (they are keyed by PLU). */
  ean13: string | null;
  plu: string | null;
}

export interface DemoProduct extends DemoProductSpec {
  id: string;
  pinyinInitials: string;
}

/**
 * Products tests and later features can rely on: they are always in the demo catalog, first, with these codes
 * and prices (fen, tax included). They cover every tax rate, both units, a PLU-only service, and
 * `4006381333931`, the EAN-13 every scanner manual uses as its example.
 */
export const DEMO_FIXED_PRODUCTS = {
  cola: {
    nameZh: '可口可乐 330ml',
    nameEn: 'Coca-Cola 330ml',
    category: 'drinks',
    tax: 'VAT13',
    unit: 'piece',
    price: 300,
    cost: 190,
    ean13: '6901234567892',
    plu: null,
  },
  water: {
    nameZh: '农夫山泉 饮用天然水 550ml',
    nameEn: 'Nongfu Spring Natural Water 550ml',
    category: 'drinks',
    tax: 'VAT13',
    unit: 'piece',
    price: 200,
    cost: 110,
    ean13: '6901234567908',
    plu: null,
  },
  chips: {
    nameZh: '乐事 原味薯片 70g',
    nameEn: "Lay's Original Potato Chips 70g",
    category: 'snacks',
    tax: 'VAT13',
    unit: 'piece',
    price: 750,
    cost: 480,
    ean13: '6901234567915',
    plu: null,
  },
  milk: {
    nameZh: '伊利 纯牛奶 250ml',
    nameEn: 'Yili Pure Milk 250ml',
    category: 'dairy',
    tax: 'VAT9',
    unit: 'piece',
    price: 350,
    cost: 260,
    ean13: '6901234567922',
    plu: null,
  },
  eggs: {
    nameZh: '德青源 鲜鸡蛋 10枚',
    nameEn: 'DQY Fresh Eggs 10 pcs',
    category: 'fresh',
    tax: 'VAT0',
    unit: 'piece',
    price: 1290,
    cost: 950,
    ean13: '6901234567939',
    plu: null,
  },
  highlighter: {
    nameZh: '思笔乐 荧光笔 黄色',
    nameEn: 'STABILO BOSS Highlighter Yellow',
    category: 'household',
    tax: 'VAT13',
    unit: 'piece',
    price: 890,
    cost: 520,
    ean13: '4006381333931',
    plu: null,
  },
  banana: {
    nameZh: '香蕉',
    nameEn: 'Banana',
    category: 'fresh',
    tax: 'VAT9',
    unit: 'kg',
    price: 690,
    cost: 420,
    ean13: null,
    plu: '1001',
  },
  tomato: {
    nameZh: '西红柿',
    nameEn: 'Tomato',
    category: 'fresh',
    tax: 'VAT0',
    unit: 'kg',
    price: 590,
    cost: 350,
    ean13: null,
    plu: '1002',
  },
  parcelFee: {
    nameZh: '快递代寄服务费',
    nameEn: 'Parcel Drop-off Service Fee',
    category: 'services',
    tax: 'VAT6',
    unit: 'piece',
    price: 1000,
    cost: 600,
    ean13: null,
    plu: '9001',
  },
} as const satisfies Record<string, DemoProductSpec>;

/** How many products the demo catalog has, fixed ones included. */
export const DEMO_PRODUCT_COUNT = 300;
export const DEMO_SEED = 20260115;
/** Generated loose goods get PLUs from here on (the fixed ones use 1001… and 9001). */
const FRESH_PLU_BASE = 2001;

/**
 * Builds the demo catalog: the fixed products, then products drawn from the word lists with a seeded PRNG
 * (which packs are stocked, the company prefix 690–695 of each brand, item numbers, cost margins). The same
 * seed gives the same catalog, ids included, on every machine.
 */
export function buildDemoCatalog(): DemoProduct[] {
  const rng = new Prng(DEMO_SEED);
  const fixed: DemoProductSpec[] = Object.values(DEMO_FIXED_PRODUCTS);
  const taken = new Set(fixed.flatMap((p) => [p.nameZh, p.nameEn]));
  const pool = candidates().filter((c) => !taken.has(c.spec.nameZh) && !taken.has(c.spec.nameEn));

  const wanted = DEMO_PRODUCT_COUNT - fixed.length;
  if (pool.length < wanted)
    throw new Error(`The demo word lists yield ${pool.length} products; ${wanted} needed`);
  const chosen = new Set(rng.shuffled(pool.map((_, i) => i)).slice(0, wanted));
  const picked = pool.filter((_, i) => chosen.has(i));

  const usedCodes = new Set<string>(fixed.flatMap((p) => (p.ean13 ? [p.ean13] : [])));
  const prefixes = companyPrefixes(rng, ['6901234']);
  const nextItemRef = new Map<string, number>();
  const generated = picked.map(({ spec, brand }): DemoProductSpec => {
    let ean13: string | null = null;
    if (brand !== null) {
      const prefix = prefixes.get(brand);
      if (!prefix) throw new Error(`No company prefix for ${brand}`);
      let ref = nextItemRef.get(brand) ?? rng.int(10, 899) * 100;
      do {
        ean13 = makeEan13(prefix + String(ref).padStart(5, '0'));
        ref += 1;
      } while (usedCodes.has(ean13));
      nextItemRef.set(brand, ref);
      usedCodes.add(ean13);
    }
    // Cost is 55–85% of the shelf price, so every product has a margin.
    const cost = Math.max(1, Math.floor((spec.price * rng.int(550, 850)) / 1000));
    return { ...spec, ean13, cost };
  });

  const products = [...fixed, ...generated].map((spec) => ({
    ...spec,
    id: demoUuid(`product:${spec.nameEn}`),
    pinyinInitials: pinyinInitials(spec.nameZh),
  }));
  assertUnique(
    products.map((p) => p.nameZh),
    'Chinese name',
  );
  assertUnique(
    products.map((p) => p.nameEn),
    'English name',
  );
  assertUnique(
    products.map((p) => p.id),
    'id',
  );
  return products;
}

interface Candidate {
  spec: DemoProductSpec;
  /** The brand whose company prefix the barcode gets; null for loose goods (PLU, no barcode). */
  brand: string | null;
}

function candidates(): Candidate[] {
  const out: Candidate[] = [];
  for (const line of PRODUCT_LINES) {
    for (const item of line.items) {
      const sizes = item[2] ?? line.sizes;
      for (const size of sizes) {
        out.push({
          brand: line.brand[1],
          spec: {
            nameZh: joinName(line.brand[0], item[0], size.zh),
            nameEn: joinName(line.brand[1], item[1], size.en),
            category: line.category,
            tax: taxOf(line),
            unit: 'piece',
            price: size.price,
            cost: 0,
            ean13: null,
            plu: null,
          },
        });
      }
    }
  }
  FRESH_ITEMS.forEach((item, i) => {
    out.push({
      brand: null,
      spec: {
        nameZh: item.zh,
        nameEn: item.en,
        category: 'fresh',
        tax: item.tax,
        unit: 'kg',
        price: item.pricePerKg,
        cost: 0,
        ean13: null,
        plu: String(FRESH_PLU_BASE + i),
      },
    });
  });
  return out;
}

function taxOf(line: ProductLine): TaxCode {
  if (line.tax) return line.tax;
  const category = DEMO_CATEGORIES.find((c) => c.code === line.category);
  if (!category) throw new Error(`Unknown demo category ${line.category}`);
  return category.defaultTax;
}

function joinName(...parts: string[]): string {
  return parts.filter((p) => p !== '').join(' ');
}

/** One GS1 company prefix per brand: 690–695 (China) plus four digits, all different. */
function companyPrefixes(rng: Prng, reserved: readonly string[]): Map<string, string> {
  const used = new Set(reserved);
  const byBrand = new Map<string, string>();
  for (const line of PRODUCT_LINES) {
    const brand = line.brand[1];
    if (byBrand.has(brand)) continue;
    let prefix: string;
    do {
      prefix = `69${rng.int(0, 5)}${String(rng.int(0, 9999)).padStart(4, '0')}`;
    } while (used.has(prefix));
    used.add(prefix);
    byBrand.set(brand, prefix);
  }
  return byBrand;
}

function assertUnique(values: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) throw new Error(`Duplicate demo product ${what}: ${v}`);
    seen.add(v);
  }
}

const DEMO_NAMESPACE = Buffer.from('6c1f0a3e5d2b4c7a9e81f0d2c3b4a596', 'hex');

/**
 * A name-based UUID (version 5 layout, SHA-1 in a fixed namespace), so demo catalog rows have the same ids on
 * every station — a demo store server sees one product, not one per till.
 */
export function demoUuid(name: string): string {
  const bytes = createHash('sha1').update(DEMO_NAMESPACE).update(name, 'utf8').digest().subarray(0, 16);
  bytes.writeUInt8((bytes.readUInt8(6) & 0x0f) | 0x50, 6);
  bytes.writeUInt8((bytes.readUInt8(8) & 0x3f) | 0x80, 8);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Appends the GS1 check digit to 12 data digits. */
export function makeEan13(first12: string): string {
  return first12 + String(gs1CheckDigit(first12));
}
