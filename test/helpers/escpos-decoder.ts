/** The ESC/POS decoder now ships with the printer driver (the demo paper strip uses it); tests import it here. */
export * from '../../src/drivers/printer/escpos-decoder';
