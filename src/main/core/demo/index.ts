export { seedDemo, DEMO_STAFF, DEMO_SETTINGS, type DemoStaffMember, type SeedDemoResult } from './seed';
export {
  buildDemoCatalog,
  makeEan13,
  demoUuid,
  DEMO_FIXED_PRODUCTS,
  DEMO_PRODUCT_COUNT,
  DEMO_SEED,
  type DemoProduct,
  type DemoProductSpec,
} from './demo-catalog';
export { DEMO_CATEGORIES, DEMO_TAX_RATES, type CategoryCode, type TaxCode } from './catalog-data';
