/**
 * Word lists for the demo store: what a Chinese convenience store stocks, brand by brand, with sizes and shelf
 * prices in fen. The generator (demo-catalog.ts) turns them into products; everything here is plain data.
 *
 * Tax rates follow Chinese VAT as a convenience store meets it: 13% for most goods; 9% for grain, edible oil,
 * plain milk and fruit; 0% for vegetables, fresh meat, fish and eggs (exempt at retail); 6% for services.
 */

export type CategoryCode =
  | 'drinks'
  | 'snacks'
  | 'dairy'
  | 'fresh'
  | 'household'
  | 'personal_care'
  | 'pantry'
  | 'instant'
  | 'frozen'
  | 'alcohol'
  | 'services';

export type TaxCode = 'VAT13' | 'VAT9' | 'VAT6' | 'VAT0';

export interface DemoCategory {
  code: CategoryCode;
  nameZh: string;
  nameEn: string;
  /** The rate a product of this category gets unless its line says otherwise. */
  defaultTax: TaxCode;
}

export interface DemoTaxRate {
  code: TaxCode;
  nameZh: string;
  nameEn: string;
  ratePpm: number;
}

export const DEMO_TAX_RATES: readonly DemoTaxRate[] = [
  { code: 'VAT13', nameZh: '增值税 13%', nameEn: 'VAT 13%', ratePpm: 130_000 },
  { code: 'VAT9', nameZh: '增值税 9%', nameEn: 'VAT 9%', ratePpm: 90_000 },
  { code: 'VAT6', nameZh: '增值税 6%', nameEn: 'VAT 6%', ratePpm: 60_000 },
  { code: 'VAT0', nameZh: '免税 0%', nameEn: 'VAT exempt 0%', ratePpm: 0 },
];

export const DEMO_CATEGORIES: readonly DemoCategory[] = [
  { code: 'drinks', nameZh: '饮料', nameEn: 'Drinks', defaultTax: 'VAT13' },
  { code: 'snacks', nameZh: '零食', nameEn: 'Snacks', defaultTax: 'VAT13' },
  { code: 'dairy', nameZh: '乳制品', nameEn: 'Dairy', defaultTax: 'VAT13' },
  { code: 'fresh', nameZh: '生鲜', nameEn: 'Fresh', defaultTax: 'VAT0' },
  { code: 'household', nameZh: '日用品', nameEn: 'Household', defaultTax: 'VAT13' },
  { code: 'personal_care', nameZh: '个人护理', nameEn: 'Personal Care', defaultTax: 'VAT13' },
  { code: 'pantry', nameZh: '粮油调味', nameEn: 'Pantry', defaultTax: 'VAT13' },
  { code: 'instant', nameZh: '方便食品', nameEn: 'Instant Food', defaultTax: 'VAT13' },
  { code: 'frozen', nameZh: '冷冻食品', nameEn: 'Frozen', defaultTax: 'VAT13' },
  { code: 'alcohol', nameZh: '酒类', nameEn: 'Beer, Wine & Spirits', defaultTax: 'VAT13' },
  { code: 'services', nameZh: '便民服务', nameEn: 'Services', defaultTax: 'VAT6' },
];

/** A pack size: its label in both languages and its shelf price in fen. */
export interface Size {
  zh: string;
  en: string;
  price: number;
}

/** [name_zh, name_en] of an item in a line; an optional third element overrides the line's sizes. */
export type Item = readonly [string, string] | readonly [string, string, readonly Size[]];

/** A brand's products in one category: every item comes in every size (unless the item has its own). */
export interface ProductLine {
  brand: readonly [string, string];
  category: CategoryCode;
  tax?: TaxCode;
  items: readonly Item[];
  sizes: readonly Size[];
}

/** Loose fresh produce, meat and fish, sold by the kilogram under a scale PLU. */
export interface FreshItem {
  zh: string;
  en: string;
  pricePerKg: number;
  tax: TaxCode;
}

const sz = (zh: string, price: number, en: string = zh): Size => ({ zh, en, price });

export const PRODUCT_LINES: readonly ProductLine[] = [
  // --- drinks ------------------------------------------------------------------------------------------------
  {
    brand: ['可口可乐', 'Coca-Cola'],
    category: 'drinks',
    items: [
      ['', ''],
      ['零度', 'Zero Sugar'],
    ],
    sizes: [sz('330ml', 300), sz('500ml', 350), sz('2L', 800)],
  },
  {
    brand: ['雪碧', 'Sprite'],
    category: 'drinks',
    items: [['', '']],
    sizes: [sz('330ml', 300), sz('500ml', 350), sz('2L', 800)],
  },
  {
    brand: ['芬达', 'Fanta'],
    category: 'drinks',
    items: [
      ['橙味', 'Orange'],
      ['葡萄味', 'Grape'],
    ],
    sizes: [sz('330ml', 300), sz('500ml', 350)],
  },
  {
    brand: ['百事可乐', 'Pepsi'],
    category: 'drinks',
    items: [
      ['', ''],
      ['无糖', 'No Sugar'],
    ],
    sizes: [sz('330ml', 300), sz('500ml', 350), sz('2L', 750)],
  },
  {
    brand: ['农夫山泉', 'Nongfu Spring'],
    category: 'drinks',
    items: [
      ['饮用天然水', 'Natural Water', [sz('550ml', 200), sz('1.5L', 400), sz('4L', 800)]],
      ['东方树叶 茉莉花茶', 'Oriental Leaf Jasmine Tea'],
      ['东方树叶 乌龙茶', 'Oriental Leaf Oolong Tea'],
      ['东方树叶 红茶', 'Oriental Leaf Black Tea'],
    ],
    sizes: [sz('500ml', 550)],
  },
  {
    brand: ['怡宝', "C'estbon"],
    category: 'drinks',
    items: [['纯净水', 'Purified Water']],
    sizes: [sz('555ml', 200), sz('1.555L', 400)],
  },
  {
    brand: ['康师傅', 'Master Kong'],
    category: 'drinks',
    items: [
      ['冰红茶', 'Iced Black Tea'],
      ['绿茶', 'Green Tea'],
      ['茉莉清茶', 'Jasmine Tea'],
      ['冰糖雪梨', 'Rock Sugar Pear Drink'],
    ],
    sizes: [sz('500ml', 350), sz('1L', 550)],
  },
  {
    brand: ['统一', 'Uni-President'],
    category: 'drinks',
    items: [
      ['冰红茶', 'Iced Black Tea'],
      ['绿茶', 'Green Tea'],
      ['阿萨姆奶茶', 'Assam Milk Tea'],
    ],
    sizes: [sz('500ml', 400), sz('1L', 650)],
  },
  {
    brand: ['王老吉', 'Wong Lo Kat'],
    category: 'drinks',
    items: [['凉茶', 'Herbal Tea']],
    sizes: [sz('310ml', 400), sz('500ml', 500)],
  },
  {
    brand: ['红牛', 'Red Bull'],
    category: 'drinks',
    items: [['维生素功能饮料', 'Vitamin Energy Drink']],
    sizes: [sz('250ml', 600)],
  },
  {
    brand: ['东鹏', 'Eastroc'],
    category: 'drinks',
    items: [['特饮', 'Energy Drink']],
    sizes: [sz('500ml', 500)],
  },
  {
    brand: ['元气森林', 'Genki Forest'],
    category: 'drinks',
    items: [
      ['白桃味苏打气泡水', 'White Peach Sparkling Water'],
      ['青瓜味苏打气泡水', 'Cucumber Sparkling Water'],
      ['葡萄味苏打气泡水', 'Grape Sparkling Water'],
      ['卡曼橘味苏打气泡水', 'Calamansi Sparkling Water'],
    ],
    sizes: [sz('480ml', 550)],
  },
  {
    brand: ['脉动', 'Mizone'],
    category: 'drinks',
    items: [
      ['青柠味', 'Lime'],
      ['桃子味', 'Peach'],
      ['芒果味', 'Mango'],
    ],
    sizes: [sz('600ml', 450)],
  },
  {
    brand: ['美汁源', 'Minute Maid'],
    category: 'drinks',
    items: [['果粒橙', 'Pulpy Orange']],
    sizes: [sz('420ml', 400), sz('1.25L', 800)],
  },
  {
    brand: ['雀巢', 'Nescafé'],
    category: 'drinks',
    items: [
      ['丝滑拿铁', 'Smooth Latte'],
      ['醇香原味咖啡', 'Original Coffee'],
    ],
    sizes: [sz('268ml', 600)],
  },
  {
    brand: ['维他', 'Vita'],
    category: 'drinks',
    items: [['柠檬茶', 'Lemon Tea']],
    sizes: [sz('250ml', 300), sz('500ml', 500)],
  },
  {
    brand: ['椰树', 'Coconut Palm'],
    category: 'drinks',
    items: [['椰汁', 'Coconut Juice']],
    sizes: [sz('245ml', 450), sz('1L', 1200)],
  },
  {
    brand: ['三得利', 'Suntory'],
    category: 'drinks',
    items: [
      ['乌龙茶', 'Oolong Tea'],
      ['无糖乌龙茶', 'Sugar-free Oolong Tea'],
    ],
    sizes: [sz('500ml', 550)],
  },

  // --- snacks ------------------------------------------------------------------------------------------------
  {
    brand: ['乐事', "Lay's"],
    category: 'snacks',
    items: [
      ['原味薯片', 'Original Potato Chips'],
      ['黄瓜味薯片', 'Cucumber Potato Chips'],
      ['番茄味薯片', 'Tomato Potato Chips'],
      ['烧烤味薯片', 'BBQ Potato Chips'],
      ['青柠味薯片', 'Lime Potato Chips'],
    ],
    sizes: [sz('70g', 750), sz('135g', 1190)],
  },
  {
    brand: ['品客', 'Pringles'],
    category: 'snacks',
    items: [
      ['原味薯片', 'Original Chips'],
      ['酸乳酪洋葱味薯片', 'Sour Cream & Onion Chips'],
      ['香辣味薯片', 'Hot & Spicy Chips'],
    ],
    sizes: [sz('110g', 1190)],
  },
  {
    brand: ['奥利奥', 'Oreo'],
    category: 'snacks',
    items: [
      ['原味夹心饼干', 'Original Sandwich Cookies'],
      ['巧克力味夹心饼干', 'Chocolate Sandwich Cookies'],
      ['草莓味夹心饼干', 'Strawberry Sandwich Cookies'],
    ],
    sizes: [sz('97g', 590), sz('388g', 1990)],
  },
  {
    brand: ['旺旺', 'Want Want'],
    category: 'snacks',
    items: [
      ['雪饼', 'Rice Crackers'],
      ['仙贝', 'Senbei Rice Crackers'],
      ['小小酥', 'Crispy Rice Snack'],
      ['QQ糖', 'Gummy Candy'],
    ],
    sizes: [sz('84g', 650), sz('150g', 1090)],
  },
  {
    brand: ['德芙', 'Dove'],
    category: 'snacks',
    items: [
      ['丝滑牛奶巧克力', 'Silky Milk Chocolate'],
      ['香浓黑巧克力', 'Dark Chocolate'],
      ['榛仁巧克力', 'Hazelnut Chocolate'],
    ],
    sizes: [sz('43g', 790), sz('80g', 1390)],
  },
  {
    brand: ['士力架', 'Snickers'],
    category: 'snacks',
    items: [['花生夹心巧克力', 'Peanut Chocolate Bar']],
    sizes: [sz('51g', 550)],
  },
  {
    brand: ['好丽友', 'Orion'],
    category: 'snacks',
    items: [
      ['巧克力派', 'Choco Pie'],
      ['草莓派', 'Strawberry Pie'],
    ],
    sizes: [sz('6枚', 1190, '6 pcs'), sz('12枚', 2190, '12 pcs')],
  },
  {
    brand: ['三只松鼠', 'Three Squirrels'],
    category: 'snacks',
    items: [
      ['每日坚果', 'Daily Nuts'],
      ['夏威夷果', 'Macadamia Nuts'],
      ['碧根果', 'Pecans'],
      ['开心果', 'Pistachios'],
      ['芒果干', 'Dried Mango'],
    ],
    sizes: [sz('100g', 1590), sz('200g', 2990)],
  },
  {
    brand: ['良品铺子', 'Bestore'],
    category: 'snacks',
    items: [
      ['猪肉脯', 'Pork Jerky'],
      ['牛肉干', 'Beef Jerky'],
      ['鸭脖', 'Spiced Duck Neck'],
      ['鸡爪', 'Spiced Chicken Feet'],
    ],
    sizes: [sz('100g', 1990), sz('200g', 3590)],
  },
  {
    brand: ['卫龙', 'Weilong'],
    category: 'snacks',
    items: [
      ['大面筋', 'Spicy Gluten Strips'],
      ['魔芋爽', 'Spicy Konjac Strips'],
      ['小面筋', 'Mini Gluten Strips'],
    ],
    sizes: [sz('106g', 550), sz('260g', 1290)],
  },
  {
    brand: ['洽洽', 'ChaCha'],
    category: 'snacks',
    items: [
      ['香瓜子', 'Roasted Sunflower Seeds'],
      ['焦糖瓜子', 'Caramel Sunflower Seeds'],
      ['山核桃味瓜子', 'Hickory Sunflower Seeds'],
    ],
    sizes: [sz('150g', 690), sz('308g', 1290)],
  },
  {
    brand: ['绿箭', 'Doublemint'],
    category: 'snacks',
    items: [['薄荷味口香糖', 'Mint Chewing Gum']],
    sizes: [sz('5片', 200, '5 sticks'), sz('40粒瓶装', 1290, '40-piece bottle')],
  },
  {
    brand: ['益达', 'Extra'],
    category: 'snacks',
    items: [
      ['木糖醇口香糖 薄荷味', 'Xylitol Gum Mint'],
      ['木糖醇口香糖 西瓜味', 'Xylitol Gum Watermelon'],
    ],
    sizes: [sz('40粒', 1190, '40 pcs')],
  },
  {
    brand: ['上好佳', 'Oishi'],
    category: 'snacks',
    items: [
      ['鲜虾片', 'Prawn Crackers'],
      ['洋葱圈', 'Onion Rings'],
      ['田园薯片', 'Country Potato Chips'],
    ],
    sizes: [sz('40g', 350), sz('80g', 590)],
  },
  {
    brand: ['达利园', 'Daliyuan'],
    category: 'snacks',
    items: [
      ['法式软面包', 'French Soft Bread'],
      ['蛋黄派', 'Custard Pie'],
      ['瑞士卷', 'Swiss Roll'],
    ],
    sizes: [sz('200g', 890), sz('400g', 1590)],
  },
  {
    brand: ['大白兔', 'White Rabbit'],
    category: 'snacks',
    items: [['奶糖', 'Creamy Candy']],
    sizes: [sz('114g', 1290), sz('227g', 2190)],
  },
  {
    brand: ['阿尔卑斯', 'Alpenliebe'],
    category: 'snacks',
    items: [
      ['草莓牛奶硬糖', 'Strawberry Milk Hard Candy'],
      ['焦香原味硬糖', 'Caramel Hard Candy'],
    ],
    sizes: [sz('45g', 500)],
  },

  // --- dairy -------------------------------------------------------------------------------------------------
  {
    brand: ['伊利', 'Yili'],
    category: 'dairy',
    tax: 'VAT9',
    items: [
      ['纯牛奶', 'Pure Milk'],
      ['高钙低脂奶', 'High-calcium Low-fat Milk'],
    ],
    sizes: [sz('250ml', 350), sz('250ml×24', 6990, '250ml ×24')],
  },
  {
    brand: ['伊利', 'Yili'],
    category: 'dairy',
    items: [
      ['安慕希 原味酸奶', 'Ambrosial Original Yogurt'],
      ['安慕希 蓝莓味酸奶', 'Ambrosial Blueberry Yogurt'],
      ['安慕希 黄桃燕麦酸奶', 'Ambrosial Peach & Oat Yogurt'],
    ],
    sizes: [sz('205g', 590), sz('205g×10', 5490, '205g ×10')],
  },
  {
    brand: ['蒙牛', 'Mengniu'],
    category: 'dairy',
    tax: 'VAT9',
    items: [['纯牛奶', 'Pure Milk']],
    sizes: [sz('250ml', 350), sz('1L', 1090)],
  },
  {
    brand: ['蒙牛', 'Mengniu'],
    category: 'dairy',
    tax: 'VAT9',
    items: [['特仑苏 纯牛奶', 'Deluxe Pure Milk']],
    sizes: [sz('250ml', 550), sz('250ml×12', 6500, '250ml ×12')],
  },
  {
    brand: ['蒙牛', 'Mengniu'],
    category: 'dairy',
    items: [
      ['真果粒 草莓味', 'Real Fruit Milk Strawberry'],
      ['真果粒 芦荟味', 'Real Fruit Milk Aloe'],
      ['酸酸乳', 'Yogurt Drink'],
    ],
    sizes: [sz('250g', 400)],
  },
  {
    brand: ['光明', 'Bright'],
    category: 'dairy',
    tax: 'VAT9',
    items: [['鲜牛奶', 'Fresh Milk']],
    sizes: [sz('450ml', 990), sz('950ml', 1590)],
  },
  {
    brand: ['光明', 'Bright'],
    category: 'dairy',
    items: [
      ['莫斯利安 原味酸奶', 'Momchilovtsi Original Yogurt'],
      ['莫斯利安 香草味酸奶', 'Momchilovtsi Vanilla Yogurt'],
    ],
    sizes: [sz('200g', 650)],
  },
  {
    brand: ['养乐多', 'Yakult'],
    category: 'dairy',
    items: [
      ['活菌型乳酸菌饮品', 'Probiotic Drink'],
      ['低糖活菌型乳酸菌饮品', 'Light Probiotic Drink'],
    ],
    sizes: [sz('100ml×5', 1190, '100ml ×5')],
  },
  {
    brand: ['君乐宝', 'Junlebao'],
    category: 'dairy',
    items: [
      ['简醇 零蔗糖酸奶', 'Simply Zero Sucrose Yogurt'],
      ['芝士酸奶', 'Cheese Yogurt'],
    ],
    sizes: [sz('150g', 590)],
  },
  {
    brand: ['旺仔', 'Want Want'],
    category: 'dairy',
    items: [['牛奶', 'Milk Drink']],
    sizes: [sz('245ml', 550), sz('245ml×4', 2190, '245ml ×4')],
  },
  {
    brand: ['妙可蓝多', 'Milkground'],
    category: 'dairy',
    items: [
      ['原味奶酪棒', 'Original Cheese Sticks'],
      ['草莓味奶酪棒', 'Strawberry Cheese Sticks'],
    ],
    sizes: [sz('100g', 2390)],
  },
  {
    brand: ['安佳', 'Anchor'],
    category: 'dairy',
    items: [
      ['黄油', 'Butter', [sz('227g', 2990)]],
      ['全脂奶粉', 'Whole Milk Powder', [sz('1kg', 8990)]],
    ],
    sizes: [],
  },

  // --- packaged fresh ------------------------------------------------------------------------------------------
  {
    brand: ['德青源', 'DQY'],
    category: 'fresh',
    items: [['鲜鸡蛋', 'Fresh Eggs']],
    sizes: [sz('10枚', 1290, '10 pcs'), sz('30枚', 3290, '30 pcs')],
  },

  // --- household -----------------------------------------------------------------------------------------------
  {
    brand: ['清风', 'Breeze'],
    category: 'household',
    items: [
      [
        '原木抽纸',
        'Facial Tissue',
        [sz('3层100抽', 390, '3-ply 100 sheets'), sz('3层100抽×6包', 1990, '3-ply 100 sheets ×6')],
      ],
      ['卷纸', 'Toilet Rolls', [sz('10卷', 2490, '10 rolls')]],
    ],
    sizes: [],
  },
  {
    brand: ['维达', 'Vinda'],
    category: 'household',
    items: [
      ['超韧抽纸', 'Super Tough Facial Tissue', [sz('3层130抽×6包', 2290, '3-ply 130 sheets ×6')]],
      ['卷纸', 'Toilet Rolls', [sz('4层10卷', 2990, '4-ply 10 rolls')]],
      ['湿巾', 'Wet Wipes', [sz('80片', 1290, '80 wipes')]],
    ],
    sizes: [],
  },
  {
    brand: ['心相印', 'Hearttex'],
    category: 'household',
    items: [
      ['茶语抽纸', 'Tea Facial Tissue', [sz('3层120抽×6包', 2190, '3-ply 120 sheets ×6')]],
      ['手帕纸', 'Pocket Tissues', [sz('10包', 690, '10 packs')]],
    ],
    sizes: [],
  },
  {
    brand: ['蓝月亮', 'Bluemoon'],
    category: 'household',
    items: [
      ['深层洁净洗衣液', 'Deep Clean Laundry Detergent', [sz('1kg', 2990), sz('3kg', 6990)]],
      ['洗手液', 'Hand Wash', [sz('500g', 1990)]],
    ],
    sizes: [],
  },
  {
    brand: ['立白', 'Liby'],
    category: 'household',
    items: [
      ['洗洁精', 'Dish Soap', [sz('1.12kg', 1290), sz('2kg', 2190)]],
      ['洗衣粉', 'Laundry Powder', [sz('1.6kg', 2290)]],
    ],
    sizes: [],
  },
  {
    brand: ['奥妙', 'Omo'],
    category: 'household',
    items: [
      ['全自动洗衣液', 'Automatic Laundry Liquid', [sz('3kg', 5990)]],
      ['洗衣凝珠', 'Laundry Pods', [sz('30颗', 4990, '30 pods')]],
    ],
    sizes: [],
  },
  {
    brand: ['威猛先生', 'Mr Muscle'],
    category: 'household',
    items: [
      ['厨房重油污净', 'Kitchen Degreaser', [sz('500g', 2490)]],
      ['洁厕剂', 'Toilet Cleaner', [sz('600g', 1590)]],
    ],
    sizes: [],
  },
  {
    brand: ['南孚', 'Nanfu'],
    category: 'household',
    items: [['碱性电池', 'Alkaline Batteries']],
    sizes: [sz('5号4粒', 1990, 'AA ×4'), sz('7号4粒', 1990, 'AAA ×4')],
  },
  {
    brand: ['妙洁', 'Miaojie'],
    category: 'household',
    items: [
      ['保鲜袋', 'Food Storage Bags', [sz('中号100只', 1290, 'Medium ×100')]],
      ['保鲜膜', 'Cling Film', [sz('30cm×30m', 1590, '30cm ×30m')]],
      ['垃圾袋', 'Trash Bags', [sz('中号50只', 990, 'Medium ×50')]],
    ],
    sizes: [],
  },
  {
    brand: ['得力', 'Deli'],
    category: 'household',
    items: [
      ['中性笔 黑色', 'Gel Pen Black', [sz('0.5mm', 250)]],
      ['中性笔 蓝色', 'Gel Pen Blue', [sz('0.5mm', 250)]],
      ['复印纸', 'Copy Paper', [sz('A4 500张', 2990, 'A4 500 sheets')]],
    ],
    sizes: [],
  },
  {
    brand: ['晨光', 'M&G'],
    category: 'household',
    items: [
      ['笔记本', 'Notebook', [sz('A5 60页', 590, 'A5 60 pages')]],
      ['修正带', 'Correction Tape', [sz('5m', 690)]],
    ],
    sizes: [],
  },

  // --- personal care -----------------------------------------------------------------------------------------
  {
    brand: ['舒肤佳', 'Safeguard'],
    category: 'personal_care',
    items: [
      ['纯白清香香皂', 'Pure White Soap', [sz('115g', 550)]],
      ['沐浴露', 'Body Wash', [sz('720ml', 3990)]],
      ['抑菌洗手液', 'Antibacterial Hand Wash', [sz('225ml', 1990)]],
    ],
    sizes: [],
  },
  {
    brand: ['高露洁', 'Colgate'],
    category: 'personal_care',
    items: [
      ['超强牙膏', 'Maximum Cavity Protection Toothpaste', [sz('120g', 890)]],
      ['冰爽薄荷牙膏', 'Cool Mint Toothpaste', [sz('180g', 1490)]],
      ['软毛牙刷', 'Soft Toothbrush', [sz('1支', 1290, '1 pc')]],
    ],
    sizes: [],
  },
  {
    brand: ['佳洁士', 'Crest'],
    category: 'personal_care',
    items: [
      ['全优七效牙膏', 'Complete 7 Toothpaste'],
      ['炫白牙膏', '3D White Toothpaste'],
    ],
    sizes: [sz('120g', 1590)],
  },
  {
    brand: ['云南白药', 'Yunnan Baiyao'],
    category: 'personal_care',
    items: [['牙膏 留兰香型', 'Toothpaste Spearmint']],
    sizes: [sz('150g', 3290)],
  },
  {
    brand: ['海飞丝', 'Head & Shoulders'],
    category: 'personal_care',
    items: [['去屑洗发露', 'Anti-dandruff Shampoo']],
    sizes: [sz('200ml', 2990), sz('400ml', 4990)],
  },
  {
    brand: ['潘婷', 'Pantene'],
    category: 'personal_care',
    items: [
      ['修护洗发露', 'Repair Shampoo'],
      ['护发素', 'Conditioner'],
    ],
    sizes: [sz('400ml', 4590)],
  },
  {
    brand: ['飘柔', 'Rejoice'],
    category: 'personal_care',
    items: [['洗发露', 'Shampoo']],
    sizes: [sz('400ml', 2990), sz('750ml', 4990)],
  },
  {
    brand: ['妮维雅', 'Nivea'],
    category: 'personal_care',
    items: [
      ['润唇膏', 'Lip Balm', [sz('4.8g', 2990)]],
      ['男士洗面奶', "Men's Face Wash", [sz('100g', 3990)]],
    ],
    sizes: [],
  },
  {
    brand: ['大宝', 'Dabao'],
    category: 'personal_care',
    items: [['润肤乳', 'Moisturising Lotion']],
    sizes: [sz('200ml', 1590)],
  },
  {
    brand: ['护舒宝', 'Whisper'],
    category: 'personal_care',
    items: [
      ['日用卫生巾', 'Day Pads', [sz('10片', 1590, '10 pads')]],
      ['夜用卫生巾', 'Night Pads', [sz('8片', 1790, '8 pads')]],
    ],
    sizes: [],
  },
  {
    brand: ['吉列', 'Gillette'],
    category: 'personal_care',
    items: [['剃须刀', 'Razor']],
    sizes: [sz('1刀架1刀头', 2990, '1 handle + 1 blade')],
  },
  {
    brand: ['花王', 'Merries'],
    category: 'personal_care',
    items: [['纸尿裤', 'Diapers']],
    sizes: [sz('M号64片', 12900, 'Size M 64 pcs')],
  },

  // --- pantry ---------------------------------------------------------------------------------------------------
  {
    brand: ['金龙鱼', 'Arawana'],
    category: 'pantry',
    tax: 'VAT9',
    items: [
      ['大豆油', 'Soybean Oil', [sz('1.8L', 2990), sz('5L', 6990)]],
      ['调和油', 'Blended Oil', [sz('1.8L', 3290), sz('5L', 7490)]],
      ['东北大米', 'Northeast Rice', [sz('5kg', 3990)]],
    ],
    sizes: [],
  },
  {
    brand: ['福临门', 'Fortune'],
    category: 'pantry',
    tax: 'VAT9',
    items: [
      ['花生油', 'Peanut Oil', [sz('5L', 12990)]],
      ['五常大米', 'Wuchang Rice', [sz('5kg', 6990)]],
    ],
    sizes: [],
  },
  {
    brand: ['鲁花', 'Luhua'],
    category: 'pantry',
    tax: 'VAT9',
    items: [['压榨一级花生油', 'Pressed Peanut Oil']],
    sizes: [sz('900ml', 3690), sz('5L', 15990)],
  },
  {
    brand: ['五得利', 'Wudeli'],
    category: 'pantry',
    tax: 'VAT9',
    items: [['高筋小麦粉', 'Bread Flour']],
    sizes: [sz('5kg', 2990)],
  },
  {
    brand: ['海天', 'Haday'],
    category: 'pantry',
    items: [
      ['生抽', 'Light Soy Sauce', [sz('500ml', 790), sz('1.9L', 2190)]],
      ['老抽', 'Dark Soy Sauce', [sz('500ml', 890)]],
      ['蚝油', 'Oyster Sauce', [sz('260g', 790)]],
      ['味极鲜酱油', 'Premium Soy Sauce', [sz('760ml', 1390)]],
      ['黄豆酱', 'Soybean Paste', [sz('340g', 690)]],
    ],
    sizes: [],
  },
  {
    brand: ['李锦记', 'Lee Kum Kee'],
    category: 'pantry',
    items: [
      ['蒸鱼豉油', 'Seasoned Soy Sauce for Seafood', [sz('410ml', 1290)]],
      ['旧庄蚝油', 'Premium Oyster Sauce', [sz('255g', 1490)]],
      ['薄盐生抽', 'Reduced Salt Soy Sauce', [sz('500ml', 1290)]],
    ],
    sizes: [],
  },
  {
    brand: ['老干妈', 'Lao Gan Ma'],
    category: 'pantry',
    items: [
      ['风味豆豉', 'Chili Crisp with Black Beans', [sz('280g', 1190)]],
      ['油辣椒', 'Spicy Chili Crisp', [sz('210g', 990)]],
    ],
    sizes: [],
  },
  {
    brand: ['中盐', 'China Salt'],
    category: 'pantry',
    items: [
      ['加碘精制盐', 'Iodised Refined Salt'],
      ['未加碘精制盐', 'Non-iodised Refined Salt'],
    ],
    sizes: [sz('400g', 250)],
  },
  {
    brand: ['太太乐', 'Totole'],
    category: 'pantry',
    items: [['鸡精', 'Chicken Bouillon']],
    sizes: [sz('200g', 1190)],
  },
  {
    brand: ['恒顺', 'Hengshun'],
    category: 'pantry',
    items: [['镇江香醋', 'Zhenjiang Black Vinegar']],
    sizes: [sz('500ml', 790)],
  },
  {
    brand: ['王守义', 'Wang Shouyi'],
    category: 'pantry',
    items: [['十三香', 'Thirteen-spice Powder']],
    sizes: [sz('45g', 450)],
  },
  {
    brand: ['太古', 'Taikoo'],
    category: 'pantry',
    items: [
      ['优级白砂糖', 'Fine White Sugar'],
      ['方糖', 'Sugar Cubes'],
    ],
    sizes: [sz('454g', 690)],
  },
  {
    brand: ['桂格', 'Quaker'],
    category: 'pantry',
    items: [['即食燕麦片', 'Instant Oats']],
    sizes: [sz('1kg', 2990)],
  },

  // --- instant food --------------------------------------------------------------------------------------------
  {
    brand: ['康师傅', 'Master Kong'],
    category: 'instant',
    items: [
      ['红烧牛肉面', 'Braised Beef Noodles'],
      ['老坛酸菜牛肉面', 'Pickled Cabbage Beef Noodles'],
      ['香辣牛肉面', 'Spicy Beef Noodles'],
      ['鲜虾鱼板面', 'Shrimp & Fish Cake Noodles'],
    ],
    sizes: [sz('袋装', 350, 'bag'), sz('桶装', 550, 'cup'), sz('5连包', 1490, '5-pack')],
  },
  {
    brand: ['统一', 'Uni-President'],
    category: 'instant',
    items: [
      ['老坛酸菜牛肉面', 'Pickled Cabbage Beef Noodles'],
      ['红烧牛肉面', 'Braised Beef Noodles'],
      ['藤椒牛肉面', 'Green Sichuan Pepper Beef Noodles'],
    ],
    sizes: [sz('袋装', 350, 'bag'), sz('桶装', 550, 'cup')],
  },
  {
    brand: ['今麦郎', 'Jinmailang'],
    category: 'instant',
    items: [['一桶半 红烧牛肉面', 'Big Cup Braised Beef Noodles']],
    sizes: [sz('桶装', 450, 'cup')],
  },
  {
    brand: ['白象', 'Baixiang'],
    category: 'instant',
    items: [
      ['老母鸡汤面', 'Hen Soup Noodles', [sz('桶装', 550, 'cup')]],
      ['火鸡面', 'Fire Chicken Noodles', [sz('袋装', 450, 'bag')]],
    ],
    sizes: [],
  },
  {
    brand: ['日清', 'Nissin'],
    category: 'instant',
    items: [
      ['合味道 海鲜风味杯面', 'Cup Noodles Seafood'],
      ['合味道 香辣海鲜杯面', 'Cup Noodles Spicy Seafood'],
    ],
    sizes: [sz('84g', 650)],
  },
  {
    brand: ['双汇', 'Shuanghui'],
    category: 'instant',
    items: [
      ['王中王火腿肠', 'Premium Ham Sausage', [sz('240g', 1590)]],
      ['玉米热狗肠', 'Corn Hot Dog Sausage', [sz('240g', 1290)]],
    ],
    sizes: [],
  },
  {
    brand: ['梅林', 'Maling'],
    category: 'instant',
    items: [['午餐肉罐头', 'Luncheon Meat']],
    sizes: [sz('340g', 1990)],
  },
  {
    brand: ['自嗨锅', 'Zihaiguo'],
    category: 'instant',
    items: [
      ['麻辣牛肉自热火锅', 'Self-heating Spicy Beef Hotpot', [sz('400g', 3990)]],
      ['自热米饭', 'Self-heating Rice', [sz('260g', 2490)]],
    ],
    sizes: [],
  },
  {
    brand: ['阿宽', 'Akuan'],
    category: 'instant',
    items: [['红油面皮', 'Chili Oil Noodles']],
    sizes: [sz('105g', 690)],
  },
  {
    brand: ['好欢螺', 'Haohuanluo'],
    category: 'instant',
    items: [['螺蛳粉', 'River Snail Rice Noodles']],
    sizes: [sz('400g', 1590)],
  },

  // --- frozen ---------------------------------------------------------------------------------------------------
  {
    brand: ['思念', 'Synear'],
    category: 'frozen',
    items: [
      ['猪肉白菜水饺', 'Pork & Cabbage Dumplings'],
      ['三鲜水饺', 'Three Delicacies Dumplings'],
      ['黑芝麻汤圆', 'Black Sesame Tangyuan'],
    ],
    sizes: [sz('500g', 1590), sz('1kg', 2890)],
  },
  {
    brand: ['三全', 'Sanquan'],
    category: 'frozen',
    items: [
      ['猪肉韭菜水饺', 'Pork & Chive Dumplings', [sz('450g', 1490)]],
      ['灌汤小笼包', 'Soup Dumplings', [sz('450g', 1490)]],
      ['手抓饼', 'Scallion Pancakes', [sz('10片', 1890, '10 pcs')]],
    ],
    sizes: [],
  },
  {
    brand: ['湾仔码头', 'Wanchai Ferry'],
    category: 'frozen',
    items: [
      ['玉米猪肉水饺', 'Corn & Pork Dumplings'],
      ['荠菜猪肉云吞', "Shepherd's Purse & Pork Wontons"],
    ],
    sizes: [sz('720g', 3690)],
  },
  {
    brand: ['和路雪', "Wall's"],
    category: 'frozen',
    items: [
      ['可爱多 香草巧克力味', 'Cornetto Vanilla Chocolate', [sz('67g', 650)]],
      ['梦龙 经典巧克力', 'Magnum Classic', [sz('64g', 1000)]],
    ],
    sizes: [],
  },
  {
    brand: ['伊利', 'Yili'],
    category: 'frozen',
    items: [
      ['巧乐兹 经典巧克力', 'Qiaolezi Classic Chocolate', [sz('75g', 500)]],
      ['冰工厂 酸梅汤冰棒', 'Ice Factory Sour Plum Popsicle', [sz('80g', 300)]],
    ],
    sizes: [],
  },
  {
    brand: ['正大', 'CP'],
    category: 'frozen',
    items: [['黄金鸡块', 'Golden Chicken Nuggets']],
    sizes: [sz('1kg', 3990)],
  },
  {
    brand: ['安井', 'Anjoy'],
    category: 'frozen',
    items: [
      ['鱼丸', 'Fish Balls'],
      ['撒尿牛丸', 'Beef Balls'],
      ['鱼豆腐', 'Fish Tofu'],
    ],
    sizes: [sz('400g', 1590)],
  },

  // --- beer, wine & spirits ------------------------------------------------------------------------------------
  {
    brand: ['青岛啤酒', 'Tsingtao'],
    category: 'alcohol',
    items: [
      ['经典', 'Classic', [sz('330ml', 400), sz('500ml', 550), sz('330ml×24', 8990, '330ml ×24')]],
      ['纯生', 'Draft', [sz('500ml', 700)]],
    ],
    sizes: [],
  },
  {
    brand: ['雪花', 'Snow'],
    category: 'alcohol',
    items: [
      ['勇闯天涯', 'Brave the World', [sz('500ml', 500)]],
      ['纯生', 'Draft', [sz('500ml', 550)]],
    ],
    sizes: [],
  },
  {
    brand: ['百威', 'Budweiser'],
    category: 'alcohol',
    items: [['啤酒', 'Lager']],
    sizes: [sz('330ml', 600), sz('500ml', 800)],
  },
  {
    brand: ['哈尔滨', 'Harbin'],
    category: 'alcohol',
    items: [['冰纯啤酒', 'Ice Lager']],
    sizes: [sz('500ml', 450)],
  },
  {
    brand: ['燕京', 'Yanjing'],
    category: 'alcohol',
    items: [['清爽啤酒', 'Fresh Lager']],
    sizes: [sz('500ml', 500)],
  },
  {
    brand: ['牛栏山', 'Niulanshan'],
    category: 'alcohol',
    items: [['陈酿二锅头', 'Aged Erguotou']],
    sizes: [sz('100ml', 500), sz('500ml', 1590)],
  },
  {
    brand: ['红星', 'Red Star'],
    category: 'alcohol',
    items: [['二锅头', 'Erguotou']],
    sizes: [sz('500ml', 1590)],
  },
  {
    brand: ['江小白', 'Jiang Xiaobai'],
    category: 'alcohol',
    items: [['高粱酒', 'Sorghum Liquor']],
    sizes: [sz('100ml', 2290)],
  },
  {
    brand: ['长城', 'Great Wall'],
    category: 'alcohol',
    items: [['干红葡萄酒', 'Dry Red Wine']],
    sizes: [sz('750ml', 6990)],
  },
  {
    brand: ['锐澳', 'RIO'],
    category: 'alcohol',
    items: [
      ['微醺鸡尾酒 葡萄柚味', 'Cocktail Grapefruit'],
      ['微醺鸡尾酒 白桃味', 'Cocktail White Peach'],
    ],
    sizes: [sz('330ml', 700)],
  },
];

export const FRESH_ITEMS: readonly FreshItem[] = [
  // fruit: 9%
  { zh: '红富士苹果', en: 'Fuji Apple', pricePerKg: 1190, tax: 'VAT9' },
  { zh: '香蕉', en: 'Banana', pricePerKg: 690, tax: 'VAT9' },
  { zh: '赣南脐橙', en: 'Gannan Navel Orange', pricePerKg: 990, tax: 'VAT9' },
  { zh: '麒麟西瓜', en: 'Kirin Watermelon', pricePerKg: 390, tax: 'VAT9' },
  { zh: '巨峰葡萄', en: 'Kyoho Grapes', pricePerKg: 1590, tax: 'VAT9' },
  { zh: '砀山酥梨', en: 'Dangshan Pear', pricePerKg: 790, tax: 'VAT9' },
  { zh: '猕猴桃', en: 'Kiwi Fruit', pricePerKg: 1690, tax: 'VAT9' },
  { zh: '贵妃芒', en: 'Guifei Mango', pricePerKg: 1390, tax: 'VAT9' },
  { zh: '丹东草莓', en: 'Dandong Strawberries', pricePerKg: 3990, tax: 'VAT9' },
  { zh: '沃柑', en: 'Orah Mandarin', pricePerKg: 1290, tax: 'VAT9' },
  { zh: '火龙果', en: 'Dragon Fruit', pricePerKg: 1290, tax: 'VAT9' },
  { zh: '哈密瓜', en: 'Hami Melon', pricePerKg: 790, tax: 'VAT9' },
  { zh: '菠萝', en: 'Pineapple', pricePerKg: 690, tax: 'VAT9' },
  { zh: '柠檬', en: 'Lemon', pricePerKg: 990, tax: 'VAT9' },
  { zh: '山竹', en: 'Mangosteen', pricePerKg: 3590, tax: 'VAT9' },
  { zh: '榴莲', en: 'Durian', pricePerKg: 5990, tax: 'VAT9' },
  // vegetables: exempt at retail
  { zh: '西红柿', en: 'Tomato', pricePerKg: 590, tax: 'VAT0' },
  { zh: '黄瓜', en: 'Cucumber', pricePerKg: 490, tax: 'VAT0' },
  { zh: '土豆', en: 'Potato', pricePerKg: 350, tax: 'VAT0' },
  { zh: '胡萝卜', en: 'Carrot', pricePerKg: 390, tax: 'VAT0' },
  { zh: '大白菜', en: 'Napa Cabbage', pricePerKg: 250, tax: 'VAT0' },
  { zh: '青椒', en: 'Green Pepper', pricePerKg: 690, tax: 'VAT0' },
  { zh: '洋葱', en: 'Onion', pricePerKg: 350, tax: 'VAT0' },
  { zh: '生菜', en: 'Lettuce', pricePerKg: 790, tax: 'VAT0' },
  { zh: '茄子', en: 'Eggplant', pricePerKg: 590, tax: 'VAT0' },
  { zh: '西兰花', en: 'Broccoli', pricePerKg: 990, tax: 'VAT0' },
  { zh: '菠菜', en: 'Spinach', pricePerKg: 890, tax: 'VAT0' },
  { zh: '大蒜', en: 'Garlic', pricePerKg: 1190, tax: 'VAT0' },
  { zh: '生姜', en: 'Ginger', pricePerKg: 1390, tax: 'VAT0' },
  { zh: '韭菜', en: 'Chinese Chives', pricePerKg: 790, tax: 'VAT0' },
  { zh: '甜玉米', en: 'Sweet Corn', pricePerKg: 590, tax: 'VAT0' },
  { zh: '香菇', en: 'Shiitake Mushrooms', pricePerKg: 1590, tax: 'VAT0' },
  { zh: '芹菜', en: 'Celery', pricePerKg: 590, tax: 'VAT0' },
  { zh: '油麦菜', en: 'Indian Lettuce', pricePerKg: 690, tax: 'VAT0' },
  { zh: '上海青', en: 'Bok Choy', pricePerKg: 590, tax: 'VAT0' },
  { zh: '冬瓜', en: 'Winter Melon', pricePerKg: 290, tax: 'VAT0' },
  { zh: '南瓜', en: 'Pumpkin', pricePerKg: 390, tax: 'VAT0' },
  { zh: '山药', en: 'Chinese Yam', pricePerKg: 1090, tax: 'VAT0' },
  { zh: '莲藕', en: 'Lotus Root', pricePerKg: 990, tax: 'VAT0' },
  { zh: '绿豆芽', en: 'Mung Bean Sprouts', pricePerKg: 390, tax: 'VAT0' },
  // fresh meat, fish and loose eggs: exempt at retail
  { zh: '猪五花肉', en: 'Pork Belly', pricePerKg: 2990, tax: 'VAT0' },
  { zh: '猪里脊', en: 'Pork Tenderloin', pricePerKg: 3290, tax: 'VAT0' },
  { zh: '猪排骨', en: 'Pork Ribs', pricePerKg: 3990, tax: 'VAT0' },
  { zh: '牛腱子', en: 'Beef Shank', pricePerKg: 8990, tax: 'VAT0' },
  { zh: '鸡胸肉', en: 'Chicken Breast', pricePerKg: 1790, tax: 'VAT0' },
  { zh: '鸡翅中', en: 'Chicken Wings', pricePerKg: 4590, tax: 'VAT0' },
  { zh: '散装鸡蛋', en: 'Loose Eggs', pricePerKg: 1190, tax: 'VAT0' },
  { zh: '草鱼', en: 'Grass Carp', pricePerKg: 1990, tax: 'VAT0' },
  { zh: '鲈鱼', en: 'Sea Bass', pricePerKg: 4590, tax: 'VAT0' },
];
