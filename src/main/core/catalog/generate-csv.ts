import fs from 'node:fs';
import { once } from 'node:events';
import { gs1CheckDigit } from '../../../shared/domain/barcode';
import { CSV_COLUMNS } from './csv-reader';

/**
 * Synthetic catalogs for the benchmark and the import tests: plausible Chinese/English convenience-store names
 * (brand + product + variant + size, so names share characters the way real ones do), valid EAN-13 codes
 * (GS1 China prefixes 690–699, unique per row; every fifth product has a second code), PLUs, prices in yuan.
 * Deterministic for a given seed. The tax codes used are GENERATED_TAX_RATES: create them before importing.
 */

export const GENERATED_TAX_RATES = [
  { code: 'VAT13', nameZh: '增值税 13%', nameEn: 'VAT 13%', ratePpm: 130_000 },
  { code: 'VAT9', nameZh: '增值税 9%', nameEn: 'VAT 9%', ratePpm: 90_000 },
  { code: 'VAT0', nameZh: '免税', nameEn: 'VAT exempt', ratePpm: 0 },
] as const;

const BRANDS: readonly [string, string][] = [
  ['可口可乐', 'Coca-Cola'],
  ['百事', 'Pepsi'],
  ['农夫山泉', 'Nongfu Spring'],
  ['康师傅', 'Master Kong'],
  ['统一', 'Uni-President'],
  ['伊利', 'Yili'],
  ['蒙牛', 'Mengniu'],
  ['娃哈哈', 'Wahaha'],
  ['旺旺', 'Want Want'],
  ['乐事', "Lay's"],
  ['奥利奥', 'Oreo'],
  ['德芙', 'Dove'],
  ['雀巢', 'Nestle'],
  ['光明', 'Bright'],
  ['海天', 'Haitian'],
  ['金龙鱼', 'Arawana'],
  ['青岛', 'Tsingtao'],
  ['雪花', 'Snow'],
  ['三只松鼠', 'Three Squirrels'],
  ['良品铺子', 'Bestore'],
  ['白象', 'Baixiang'],
  ['今麦郎', 'Jinmailang'],
  ['元气森林', 'Genki Forest'],
  ['东鹏', 'Eastroc'],
  ['红牛', 'Red Bull'],
  ['王老吉', 'Wanglaoji'],
  ['加多宝', 'JDB'],
  ['维达', 'Vinda'],
  ['清风', 'Breeze'],
  ['心相印', 'Hearttex'],
  ['蓝月亮', 'Bluemoon'],
  ['立白', 'Liby'],
  ['高露洁', 'Colgate'],
  ['佳洁士', 'Crest'],
  ['舒肤佳', 'Safeguard'],
  ['六神', 'Liushen'],
  ['思念', 'Synear'],
  ['三全', 'Sanquan'],
  ['湾仔码头', 'Wanchai Ferry'],
  ['双汇', 'Shuanghui'],
];
const ITEMS: readonly [string, string][] = [
  ['饮料', 'Drink'],
  ['矿泉水', 'Mineral Water'],
  ['绿茶', 'Green Tea'],
  ['红茶', 'Black Tea'],
  ['牛奶', 'Milk'],
  ['酸奶', 'Yogurt'],
  ['薯片', 'Potato Chips'],
  ['饼干', 'Biscuits'],
  ['巧克力', 'Chocolate'],
  ['方便面', 'Instant Noodles'],
  ['火腿肠', 'Ham Sausage'],
  ['啤酒', 'Beer'],
  ['果汁', 'Juice'],
  ['咖啡', 'Coffee'],
  ['面包', 'Bread'],
  ['酱油', 'Soy Sauce'],
  ['食用油', 'Cooking Oil'],
  ['大米', 'Rice'],
  ['水饺', 'Dumplings'],
  ['汤圆', 'Tangyuan'],
  ['纸巾', 'Tissues'],
  ['洗衣液', 'Laundry Liquid'],
  ['牙膏', 'Toothpaste'],
  ['沐浴露', 'Shower Gel'],
  ['洗发水', 'Shampoo'],
  ['坚果', 'Mixed Nuts'],
  ['糖果', 'Candy'],
  ['口香糖', 'Chewing Gum'],
  ['冰淇淋', 'Ice Cream'],
  ['醋', 'Vinegar'],
];
const VARIANTS: readonly [string, string][] = [
  ['原味', 'Original'],
  ['无糖', 'Sugar Free'],
  ['柠檬味', 'Lemon'],
  ['草莓味', 'Strawberry'],
  ['香辣', 'Spicy'],
  ['红烧牛肉', 'Braised Beef'],
  ['低脂', 'Low Fat'],
  ['经典', 'Classic'],
  ['家庭装', 'Family Pack'],
  ['清爽', 'Fresh'],
  ['蜂蜜', 'Honey'],
  ['海盐', 'Sea Salt'],
  ['抹茶', 'Matcha'],
  ['黑糖', 'Brown Sugar'],
  ['椰子', 'Coconut'],
];
const SIZES = [
  '250ml',
  '330ml',
  '500ml',
  '550ml',
  '1L',
  '1.5L',
  '2L',
  '70g',
  '100g',
  '150g',
  '200g',
  '500g',
  '1kg',
  '5kg',
  '6袋',
  '12包',
];
const CATEGORIES = ['饮料', '零食', '乳制品', '日用品', '粮油调味', '方便食品', '冷冻食品', '酒类'];

/** Small deterministic PRNG (mulberry32): the same seed gives the same file. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(list: readonly T[], random: () => number): T {
  const item = list[Math.floor(random() * list.length)];
  if (item === undefined) throw new RangeError('empty list');
  return item;
}

/** A valid EAN-13 from 12 data digits. */
function ean13(data12: string): string {
  return data12 + String(gs1CheckDigit(data12));
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function yuan(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

export interface GenerateOptions {
  seed?: number;
  /** Start the file with a UTF-8 byte order mark, as Excel's "CSV UTF-8" does. */
  bom?: boolean;
  /** Number the products from here (a second file with the same offset re-imports the same products). */
  firstIndex?: number;
}

/** The data row of product number `i` (without the newline). Exposed so tests can predict codes and names. */
export function generatedRow(
  i: number,
  seed = 1,
): { plu: string; barcodes: string[]; nameZh: string; nameEn: string; line: string } {
  const random = prng(seed * 1_000_003 + i);
  const [brandZh, brandEn] = pick(BRANDS, random);
  const [itemZh, itemEn] = pick(ITEMS, random);
  const [variantZh, variantEn] = pick(VARIANTS, random);
  const size = pick(SIZES, random);
  const weighed = random() < 0.05;
  const price = 50 + Math.floor(random() * 20_000);
  const cost = Math.floor(price * (0.6 + random() * 0.2));
  const taxRoll = random();
  const tax = taxRoll < 0.8 ? 'VAT13' : taxRoll < 0.95 ? 'VAT9' : 'VAT0';
  const serial = String(i).padStart(10, '0');
  const barcodes = [ean13(`69${serial}`)];
  if (i % 5 === 0) barcodes.push(ean13(`68${serial}`));
  const plu = String(10_000 + i);
  const nameZh = `${brandZh}${variantZh}${itemZh} ${weighed ? '散装' : size}`;
  const nameEn = `${brandEn} ${itemEn} ${variantEn}${weighed ? '' : ` ${size}`}`;
  const line = [
    plu,
    barcodes.join('|'),
    nameZh,
    nameEn,
    pick(CATEGORIES, random),
    weighed ? 'kg' : 'piece',
    yuan(price),
    yuan(cost),
    tax,
    '1',
  ]
    .map(csvField)
    .join(',');
  return { plu, barcodes, nameZh, nameEn, line };
}

/** Writes a catalog CSV of `rows` products to `file` (streaming: a million rows take ~100 MB on disk, not RAM). */
export async function generateCatalogCsv(
  rows: number,
  file: string,
  options: GenerateOptions = {},
): Promise<{ rows: number; bytes: number }> {
  const seed = options.seed ?? 1;
  const first = options.firstIndex ?? 0;
  const out = fs.createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(`${options.bom ? '\uFEFF' : ''}${CSV_COLUMNS.join(',')}\n`);
  const CHUNK = 1000;
  for (let start = 0; start < rows; start += CHUNK) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(rows, start + CHUNK); i++)
      lines.push(generatedRow(first + i, seed).line);
    await write(`${lines.join('\n')}\n`);
  }
  out.end();
  await once(out, 'finish');
  return { rows, bytes: fs.statSync(file).size };
}
