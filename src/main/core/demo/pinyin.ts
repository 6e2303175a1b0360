/**
 * Pinyin initials for the demo catalog's names ("可口可乐 330ml" → "kkkl330ml"), for the initials search a
 * cashier types on a keypad. This is a small table of the characters the demo uses, each with the reading it
 * has in these names (乐 le in 可口可乐, 长 chang in 长城, 重 zhong in 重油): a real catalog import needs a
 * full dictionary with context for characters with several readings. A test checks every demo name is covered.
 */
const INITIALS: Readonly<Record<string, string>> = {
  a: '奥安澳爱阿',
  b: '便保冰包北半卑卜宝本杯板棒滨白百碧笔脖菠薄贝饼',
  c: '厂厕厨唇城层巢常抽晨橙池纯翅肠茶草菜葱豉超醇醋长闯陈餐',
  d: '东丹代低典冬冻刀动多大岛带度得德打电砀碘蛋袋豆达递道',
  e: '二尔',
  f: '傅发啡复夫妃孚富峰房方服法番福粉肤脯腐芙芬费风飞饭',
  g: '个光功古工干果柑根格桂灌狗瓜罐膏菇贵赣钙锅骨高',
  h: '号合和哈嗨好恒护核欢汇活海滑火猴红胡花荟荷蚝黄黑',
  j: '井京今佳净剂加即卷吉君圾坚夹姜寄巨巾旧极架椒橘江洁焦碱筋简箭精级经脊腱荠菌蕉记酒酱金锦韭饺鸡',
  k: '克卡口可咖块客宽康开快烤裤颗',
  l: '临丽乐亮仑兰冷凉列利力垃料李林栏梨榴理留立笼类粒粮粱绿老良芦莉莲萝蓝螺路辣连郎酪里零露鲁鲈麟龙',
  m: '免妈妙姆密慕明曼木枚梅梦檬母每毛民沐猕猛码米美脉膜芒茉莓莫蒙门面魔麦麻',
  n: '农凝南奶妮尿念拿柠浓牛男能酿',
  o: '藕',
  p: '品啤帕排泡派潘片瓶皮苹葡铺飘鹏',
  q: '七全去圈巧强气泉洽清脐芹茄雀青麒',
  r: '乳人仁日柔润热然瑞肉软锐韧',
  s: '三上丝事刷十双士守山师式思手撒散斯松柿树森水深湿烧爽生砂税素舒色苏萨蒜薯蛳酥酸顺食鼠',
  t: '他兔剃吞土坛天太头婷桃桶汤特甜田糖统腿萄藤调铁',
  w: '丸乌五务午卫味威尾微无旺未污沃湾王维',
  x: '仙修先型夏小屑希心性效星洗炫相胸虾西象醺雪须香鲜',
  y: '一义云伊优元养勇印压原友叶园圆夜夷怡抑月柚椰油洋浴涯液源燕牙玉用益盐硬芋芽荧药衣语雅页饮鱼鸭',
  z: '中仔值兹制只增子庄张抓支榛榨正汁爪猪珠皂真竹纸脂自芝蒸蔗装重镇',
};

const INITIAL_OF: ReadonlyMap<string, string> = new Map(
  Object.entries(INITIALS).flatMap(([initial, chars]) =>
    [...chars].map((c): [string, string] => [c, initial]),
  ),
);

const HAN = /\p{Script=Han}/u;

export function hasPinyinInitial(char: string): boolean {
  return INITIAL_OF.has(char);
}

/** The Han characters of a text that the table does not know (empty when the text is fully covered). */
export function unknownHanCharacters(text: string): string[] {
  return [...new Set([...text].filter((c) => HAN.test(c) && !INITIAL_OF.has(c)))];
}

/**
 * Initials of the Chinese characters, with Latin letters and digits kept (lower-cased) and everything else
 * dropped, as POS systems build their 助记码: "康师傅 冰红茶 500ml" → "ksfbhc500ml". Throws on a Han character
 * the table does not know, so a new demo name cannot silently lose its search key.
 */
export function pinyinInitials(text: string): string {
  let out = '';
  for (const c of text) {
    const initial = INITIAL_OF.get(c);
    if (initial !== undefined) out += initial;
    else if (/[A-Za-z0-9]/.test(c)) out += c.toLowerCase();
    else if (HAN.test(c)) throw new Error(`No pinyin initial for "${c}" in "${text}"`);
  }
  return out;
}
