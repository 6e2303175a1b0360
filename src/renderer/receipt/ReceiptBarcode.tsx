import { code39Bars } from './code39';

const BAR_HEIGHT = 48;

/** The receipt number as a Code 39 barcode, so the receipt can be scanned back for a return. */
export function ReceiptBarcode({ value }: { value: string }) {
  const encoded = code39Bars(value);
  if (!encoded) return null;
  return (
    <svg
      className="receipt-barcode"
      viewBox={`0 0 ${encoded.width} ${BAR_HEIGHT}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={value}
      data-testid="receipt-barcode"
    >
      {encoded.bars.map((bar) => (
        <rect key={bar.x} x={bar.x} y={0} width={bar.width} height={BAR_HEIGHT} fill="currentColor" />
      ))}
    </svg>
  );
}
