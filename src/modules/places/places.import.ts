import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import {
  coordinateSystems,
  importColumns,
  placeServices,
  placeTypes,
  type CoordinateSystem,
  type ImportRowError,
  type PlaceFileFormat,
} from '../../contracts/places.js';

/**
 * The spreadsheet side of the registry: reading CSV/XLSX files staff keep (UTF-8 with or without BOM,
 * or GB18030 from older Excel; English or Chinese headers), and writing exports and the template with
 * the same columns, so an export imports again. Rules about places stay in the service.
 */

export type ImportColumn = (typeof importColumns)[number][0];
export const MAX_IMPORT_ROWS = 20_000;
export const REQUIRED_COLUMNS: readonly ImportColumn[] = ['name', 'type', 'area_code', 'address', 'longitude', 'latitude'];

/** Chinese names of the codes, for the template's explanation sheet and for cells that use them. */
export const typeLabelsZh: Record<(typeof placeTypes)[number], string> = {
  station: '驿站', merchant: '爱心商家', compound: '小区', building: '楼宇', charging: '充换电站', canteen: '食堂', clinic: '诊所',
  school: '学校', market: '市场', farm: '农场', service_centre: '服务中心', parcel_locker: '外卖柜', relay_point: '接力点',
};
export const serviceLabelsZh: Record<(typeof placeServices)[number], string> = {
  rest: '休息', water: '饮水', phone_charging: '手机充电', microwave: '微波炉', fridge: '冰箱', air_conditioning: '空调',
  first_aid: '急救药箱', lockers: '储物柜', restroom: '卫生间', wifi: '无线网络', umbrella: '雨具', repair_kit: '维修工具',
  reading: '阅读', shower: '淋浴', hot_meal: '热餐', love_meal: '10元爱心餐', discount: '优惠折扣', legal_aid: '法律援助',
  union_help: '工会帮扶', ebike_charging: '电动车充电', battery_swap: '换电', parking: '临时停车', delivery_elevator: '外卖专用电梯',
  green_channel: '配送绿色通道', parcel_storage: '物品暂存', medical: '医疗服务', laundry: '洗衣', counselling: '心理疏导',
};

const columnAliases: Partial<Record<ImportColumn, string[]>> = {
  longitude: ['lon', 'lng'],
  latitude: ['lat'],
  area_code: ['areacode', 'area code'],
};

const headerIndex = new Map<string, ImportColumn>();
for (const [en, zh] of importColumns) {
  for (const name of [en, zh, ...(columnAliases[en] ?? [])]) headerIndex.set(normaliseHeader(name), en);
}
const typeByLabel = new Map<string, string>(Object.entries(typeLabelsZh).map(([code, label]) => [label, code]));
const serviceByLabel = new Map<string, string>(Object.entries(serviceLabelsZh).map(([code, label]) => [label, code]));

function normaliseHeader(text: string): string {
  return text.replace(/^\ufeff/, '').trim().toLowerCase().replace(/[*＊]/g, '').replace(/\s+/g, ' ');
}

/** One data row: its number as the spreadsheet shows it (the header is row 1) and its cells by column. */
export interface SheetRow {
  row: number;
  cells: Partial<Record<ImportColumn, string>>;
}

export interface PlaceSheet {
  rows: SheetRow[];
  /** Each column's header as written in the file (for error reports in the staff's own words). */
  headers: Partial<Record<ImportColumn, string>>;
  /** Problems with the file itself: missing or repeated columns, unreadable CSV. */
  errors: ImportRowError[];
}

export class UnreadableFileError extends Error {}

/** xlsx is a zip file; anything else is read as CSV. */
export function detectFormat(bytes: Buffer): PlaceFileFormat {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04 ? 'xlsx' : 'csv';
}

/** UTF-8 (a BOM is dropped); bytes that are not valid UTF-8 are read as GB18030 (Excel's "CSV" on Chinese Windows). */
export function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

export async function readPlaceSheet(bytes: Buffer, format: PlaceFileFormat = detectFormat(bytes)): Promise<PlaceSheet> {
  const table = format === 'xlsx' ? await xlsxTable(bytes) : csvTable(bytes);
  return toSheet(table.rows, table.errors);
}

interface RawTable {
  rows: { row: number; values: string[] }[];
  errors: ImportRowError[];
}

function csvTable(bytes: Buffer): RawTable {
  const parsed = Papa.parse<string[]>(decodeText(bytes), { skipEmptyLines: false, delimitersToGuess: [',', '\t'] });
  // Delimiter detection falls back to the comma: not a problem of the file.
  const errors = parsed.errors.filter((e) => e.type !== 'Delimiter').map((e) => ({ row: (e.row ?? 0) + 1, column: '', code: 'places.invalid_value', message: `CSV: ${e.message}` }));
  return { rows: parsed.data.map((values, i) => ({ row: i + 1, values: values.map(unescapeCell) })), errors };
}

async function xlsxTable(bytes: Buffer): Promise<RawTable> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new UnreadableFileError('Not a readable XLSX file');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new UnreadableFileError('The XLSX file has no worksheet');
  const rows: RawTable['rows'] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const values: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      values[col - 1] = cellText(cell.value);
    });
    rows.push({ row: row.number, values: Array.from(values, (v) => v ?? '') });
  });
  return { rows, errors: [] };
}

/** Text of an XLSX cell, whatever Excel stored: numbers, rich text, formula results, hyperlinks. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((t) => t.text).join('');
    if ('result' in value) return cellText((value.result ?? null) as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
  }
  return '';
}

function toSheet(table: RawTable['rows'], errors: ImportRowError[]): PlaceSheet {
  const [header, ...data] = table;
  const headers: PlaceSheet['headers'] = {};
  const positions = new Map<number, ImportColumn>();
  for (const [i, text] of (header?.values ?? []).entries()) {
    const column = headerIndex.get(normaliseHeader(text));
    if (!column) continue; // extra columns (notes, ids) are ignored
    if (headers[column] !== undefined) {
      errors.push({ row: 1, column: text, code: 'places.invalid_value', message: `Column "${text}" appears twice` });
      continue;
    }
    headers[column] = text.trim();
    positions.set(i, column);
  }
  for (const column of REQUIRED_COLUMNS) {
    if (headers[column] === undefined) {
      errors.push({ row: 1, column, code: 'places.invalid_value', message: `Missing column "${column}" (${importColumns.find(([en]) => en === column)![1]})` });
    }
  }
  const rows: SheetRow[] = [];
  for (const { row, values } of data) {
    if (values.every((v) => v.trim() === '')) continue;
    const cells: SheetRow['cells'] = {};
    for (const [i, column] of positions) cells[column] = (values[i] ?? '').trim();
    rows.push({ row, cells });
  }
  return { rows, headers, errors };
}

// ---- cell values ----

/** A type code, or its Chinese name (驿站 → station); anything else is returned for the validator to refuse. */
export function typeFromCell(text: string): string {
  const t = text.trim();
  return typeByLabel.get(t) ?? t.toLowerCase();
}

/** Services separated by , ; 、 | (half- or full-width), as codes or Chinese names. */
export function servicesFromCell(text: string): string[] {
  return text
    .split(/[,;、|，；｜]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => serviceByLabel.get(s) ?? s.toLowerCase());
}

/** WGS84 / GCJ02 / BD09, with or without the hyphen; empty → WGS84; unknown → undefined. */
export function crsFromCell(text: string): CoordinateSystem | undefined {
  const t = text.trim().toUpperCase().replace(/[-_\s]/g, '');
  if (t === '') return 'WGS84';
  return (coordinateSystems as readonly string[]).includes(t) ? (t as CoordinateSystem) : undefined;
}

/** A decimal number, or undefined. */
export function numberFromCell(text: string): number | undefined {
  const t = text.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(t)) return undefined;
  return Number(t);
}

// ---- writing ----

/** A value a spreadsheet would run as a formula is written with a leading apostrophe (CSV injection). */
const FORMULA_START = /^[=+@\t\r]/;
const escapeCell = (v: string) => (FORMULA_START.test(v) ? `'${v}` : v);
const unescapeCell = (v: string) => (v.startsWith("'") && FORMULA_START.test(v.slice(1)) ? v.slice(1) : v);

export type ExportRecord = Record<ImportColumn, string | number>;

const headerRow = () => importColumns.map(([, zh]) => zh);

export async function writePlaceSheet(records: ExportRecord[], format: PlaceFileFormat): Promise<Buffer> {
  if (format === 'csv') {
    const data = [headerRow(), ...records.map((r) => importColumns.map(([c]) => escapeCell(String(r[c] ?? ''))))];
    // The BOM makes Excel read the file as UTF-8.
    return Buffer.from('\ufeff' + Papa.unparse(data, { newline: '\r\n' }), 'utf8');
  }
  const workbook = new ExcelJS.Workbook();
  addPlacesSheet(workbook, records);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function addPlacesSheet(workbook: ExcelJS.Workbook, records: ExportRecord[]): void {
  const sheet = workbook.addWorksheet('场所');
  sheet.columns = importColumns.map(([en, zh]) => ({ header: zh, key: en, width: en === 'address' || en === 'description' ? 36 : en === 'name' ? 28 : 14 }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  for (const r of records) sheet.addRow(r);
  // Codes stay text, so Excel never shows 330212011001 as 3.30212E+11.
  sheet.getColumn('area_code').numFmt = '@';
}

const templateExample: ExportRecord = {
  name: '白鹤街道骑手驿站',
  type: 'station',
  area_code: '330212011001',
  address: '宁波市鄞州区百丈东路1号',
  longitude: 121.5712,
  latitude: 29.8634,
  crs: 'WGS84',
  hours: 'Mo-Su 07:00-22:00',
  services: 'rest,water,phone_charging,microwave',
  phone: '0574-87000000',
  description: '为外卖骑手、快递小哥提供休息、饮水、热饭服务',
};

const columnNotes: Record<ImportColumn, string> = {
  name: '必填。场所名称，如“白鹤街道骑手驿站”',
  type: '必填。类型代码（见下表），也可填中文名称',
  area_code: '必填。所在镇街（9位）或社区（12位）区划代码，须在本账号管辖范围内',
  address: '必填。详细地址',
  longitude: '必填。经度，如 121.5712',
  latitude: '必填。纬度，如 29.8634',
  crs: '选填。坐标系：WGS84（GPS，默认）、GCJ02（高德/腾讯）、BD09（百度）',
  hours: '选填。营业时间，OpenStreetMap 格式，如 “Mo-Su 07:00-22:00”、“Mo-Fr 08:00-20:00; Sa,Su 09:00-18:00”、“24/7”',
  services: '选填。服务代码（见下表），多个用逗号、分号、顿号或竖线分隔',
  phone: '选填。联系电话',
  description: '选填。简介',
};

/** The import template: the columns with one example row; the XLSX adds a sheet explaining every code in Chinese. */
export async function importTemplate(format: PlaceFileFormat): Promise<Buffer> {
  if (format === 'csv') return writePlaceSheet([templateExample], 'csv');
  const workbook = new ExcelJS.Workbook();
  addPlacesSheet(workbook, [templateExample]);
  const help = workbook.addWorksheet('填写说明');
  help.columns = [
    { header: '项目', key: 'a', width: 22 },
    { header: '说明', key: 'b', width: 80 },
  ];
  help.getRow(1).font = { bold: true };
  const section = (title: string) => {
    help.addRow([]);
    help.addRow([title]).font = { bold: true };
  };
  section('列');
  for (const [en, zh] of importColumns) help.addRow([`${zh}（${en}）`, columnNotes[en]]);
  section('类型代码');
  for (const code of placeTypes) help.addRow([code, typeLabelsZh[code]]);
  section('服务代码');
  for (const code of placeServices) help.addRow([code, serviceLabelsZh[code]]);
  section('规则');
  help.addRow(['导入', '逐行检查全部数据；只要有一行有错，整份文件都不导入，并返回逐行错误报告']);
  help.addRow(['重复', '同一类型、同名且相距 30 米以内的场所视为重复（文件内或与已有场所）']);
  help.addRow(['数量', `每个文件最多 ${MAX_IMPORT_ROWS} 行`]);
  help.addRow(['状态', '导入的场所默认为草稿，审核后上线']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
