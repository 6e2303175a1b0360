import type { PrintBlock, PrintDocument } from '../../shared/print/print-document';
import { DEFAULT_DRAWER_PULSE, type DrawerPulse } from './printer';
import {
  COLUMNS,
  EscPosBuilder,
  twoColumns,
  wrapText,
  type PaperWidth,
  type ReceiptBytesBuilder,
} from './receipt-builder';
import { StarLineBuilder } from './star-builder';

/** The printer command languages the station speaks. */
export const PRINTER_TYPES = ['epson', 'star'] as const;
export type PrinterType = (typeof PRINTER_TYPES)[number];

export interface RenderOptions {
  type: PrinterType;
  paper: PaperWidth;
  /** A reprint: a "COPY" banner goes on top, and the drawer is never opened. */
  copy?: boolean;
  /** When set and the document asks for it, the drawer is kicked at the start of the job. */
  drawer?: { pin: 2 | 5; pulse: DrawerPulse } | null;
}

/** The banner of a reprint, in both languages (the receipt language may differ from the reader's). */
export const COPY_BANNER = '*** 副本 COPY ***';

function builderFor(type: PrinterType): ReceiptBytesBuilder {
  return type === 'epson' ? new EscPosBuilder() : new StarLineBuilder();
}

/**
 * A `PrintDocument` as the bytes of one job for the configured printer: init, (drawer kick), the blocks wrapped
 * to the paper width (CJK counts two columns), a feed and exactly one cut. Pure: the same document and options
 * always give the same bytes, so a queued job prints the same on a retry.
 */
export function renderDocument(doc: PrintDocument, options: RenderOptions): Uint8Array {
  const columns = COLUMNS[options.paper];
  const b = builderFor(options.type).init();
  if (doc.openDrawer === true && options.copy !== true && options.drawer) {
    b.drawerKick(options.drawer.pin, options.drawer.pulse ?? DEFAULT_DRAWER_PULSE);
  }
  if (options.copy === true) {
    b.align('center').bold(true).line(COPY_BANNER).bold(false);
  }
  for (const block of doc.blocks) renderBlock(b, block, columns, options.paper);
  b.align('left');
  if (doc.cut !== false) b.feed(3).cut();
  return b.build();
}

function renderBlock(b: ReceiptBytesBuilder, block: PrintBlock, columns: number, paper: PaperWidth): void {
  switch (block.kind) {
    case 'text': {
      const size = block.size ?? 1;
      b.align(block.align ?? 'left').bold(block.bold ?? false);
      if (size !== 1) b.size(size, size);
      for (const line of wrapText(block.text, Math.floor(columns / size))) b.line(line);
      if (size !== 1) b.size(1, 1);
      if (block.bold === true) b.bold(false);
      return;
    }
    case 'columns':
      b.align('left').bold(block.bold ?? false);
      b.line(twoColumns(block.left, block.right, columns));
      if (block.bold === true) b.bold(false);
      return;
    case 'rule':
      b.align('left').line((block.double === true ? '=' : '-').repeat(columns));
      return;
    case 'feed':
      for (let i = 0; i < Math.max(0, Math.min(10, block.lines)); i++) b.line();
      return;
    case 'barcode':
      b.align('center').code128(block.data).line();
      return;
    case 'qr':
      b.align('center')
        .qr(block.data, paper === '58mm' ? 4 : 6)
        .line();
      return;
    case 'logo':
      // No logo upload exists yet: a document asking for one prints without it.
      return;
  }
}
