import { zip, type ZipInput } from './zip.ts';

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const PKG_CT = 'http://schemas.openxmlformats.org/package/2006/content-types';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const DOC_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const MAIN_CT = 'application/vnd.openxmlformats-officedocument';

function contentTypes(overrides: Record<string, string>): string {
  const parts = Object.entries(overrides)
    .map(([part, type]) => `<Override PartName="${part}" ContentType="${type}"/>`)
    .join('');
  return (
    `${XML}<Types xmlns="${PKG_CT}"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
    `<Default Extension="xml" ContentType="application/xml"/>${parts}</Types>`
  );
}

function relationships(rels: ReadonlyArray<[id: string, type: string, target: string]>): string {
  const items = rels.map(([id, type, target]) => `<Relationship Id="${id}" Type="${DOC_REL}/${type}" Target="${target}"/>`).join('');
  return `${XML}<Relationships xmlns="${PKG_REL}">${items}</Relationships>`;
}

const officeDocument = (target: string) => relationships([['rId1', 'officeDocument', target]]);

/** A Word document with one paragraph. `extra` adds entries (a VBA project, for instance). */
export function docx(extra: readonly ZipInput[] = []): Buffer {
  const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
  return zip([
    { name: '[Content_Types].xml', data: contentTypes({ '/word/document.xml': `${MAIN_CT}.wordprocessingml.document.main+xml` }) },
    { name: '_rels/.rels', data: officeDocument('word/document.xml') },
    { name: 'word/document.xml', data: `${XML}<w:document xmlns:w="${W}"><w:body><w:p><w:r><w:t>Hola</w:t></w:r></w:p></w:body></w:document>` },
    ...extra,
  ]);
}

/** An Excel workbook with one sheet and one cell. */
export function xlsx(): Buffer {
  const S = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  return zip([
    {
      name: '[Content_Types].xml',
      data: contentTypes({
        '/xl/workbook.xml': `${MAIN_CT}.spreadsheetml.sheet.main+xml`,
        '/xl/worksheets/sheet1.xml': `${MAIN_CT}.spreadsheetml.worksheet+xml`,
      }),
    },
    { name: '_rels/.rels', data: officeDocument('xl/workbook.xml') },
    {
      name: 'xl/workbook.xml',
      data: `${XML}<workbook xmlns="${S}" xmlns:r="${DOC_REL}"><sheets><sheet name="Hoja1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    },
    { name: 'xl/_rels/workbook.xml.rels', data: relationships([['rId1', 'worksheet', 'worksheets/sheet1.xml']]) },
    {
      name: 'xl/worksheets/sheet1.xml',
      data: `${XML}<worksheet xmlns="${S}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Hola</t></is></c></row></sheetData></worksheet>`,
    },
  ]);
}

/** A PowerPoint presentation with one slide, its layout, master and theme. */
export function pptx(): Buffer {
  const P = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ' +
    `xmlns:r="${DOC_REL}" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"`;
  const A = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"';
  const tree = '<p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/></p:spTree></p:cSld>';
  const colors = ['dk1', 'lt1', 'dk2', 'lt2', 'accent1', 'accent2', 'accent3', 'accent4', 'accent5', 'accent6', 'hlink', 'folHlink']
    .map((name, i) => `<a:${name}><a:srgbClr val="${i % 2 === 0 ? '000000' : 'FFFFFF'}"/></a:${name}>`)
    .join('');
  const fonts = '<a:latin typeface="Calibri"/><a:ea typeface=""/><a:cs typeface=""/>';
  const fill = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>';
  const line = `<a:ln w="9525">${fill}</a:ln>`;
  const theme =
    `${XML}<a:theme ${A} name="Chattigo"><a:themeElements><a:clrScheme name="Chattigo">${colors}</a:clrScheme>` +
    `<a:fontScheme name="Chattigo"><a:majorFont>${fonts}</a:majorFont><a:minorFont>${fonts}</a:minorFont></a:fontScheme>` +
    `<a:fmtScheme name="Chattigo"><a:fillStyleLst>${fill.repeat(3)}</a:fillStyleLst><a:lnStyleLst>${line.repeat(3)}</a:lnStyleLst>` +
    `<a:effectStyleLst>${'<a:effectStyle><a:effectLst/></a:effectStyle>'.repeat(3)}</a:effectStyleLst>` +
    `<a:bgFillStyleLst>${fill.repeat(3)}</a:bgFillStyleLst></a:fmtScheme></a:themeElements></a:theme>`;
  const map = '<p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" accent3="accent3" ' +
    'accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" folHlink="folHlink"/>';
  const PML = `${MAIN_CT}.presentationml`;
  return zip([
    {
      name: '[Content_Types].xml',
      data: contentTypes({
        '/ppt/presentation.xml': `${PML}.presentation.main+xml`,
        '/ppt/slides/slide1.xml': `${PML}.slide+xml`,
        '/ppt/slideLayouts/slideLayout1.xml': `${PML}.slideLayout+xml`,
        '/ppt/slideMasters/slideMaster1.xml': `${PML}.slideMaster+xml`,
        '/ppt/theme/theme1.xml': `${MAIN_CT}.theme+xml`,
      }),
    },
    { name: '_rels/.rels', data: officeDocument('ppt/presentation.xml') },
    {
      name: 'ppt/presentation.xml',
      data:
        `${XML}<p:presentation ${P}><p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rId1"/></p:sldMasterIdLst>` +
        '<p:sldIdLst><p:sldId id="256" r:id="rId2"/></p:sldIdLst><p:sldSz cx="9144000" cy="6858000"/>' +
        '<p:notesSz cx="6858000" cy="9144000"/></p:presentation>',
    },
    {
      name: 'ppt/_rels/presentation.xml.rels',
      data: relationships([
        ['rId1', 'slideMaster', 'slideMasters/slideMaster1.xml'],
        ['rId2', 'slide', 'slides/slide1.xml'],
        ['rId3', 'theme', 'theme/theme1.xml'],
      ]),
    },
    {
      name: 'ppt/slideMasters/slideMaster1.xml',
      data:
        `${XML}<p:sldMaster ${P}>${tree}${map}<p:sldLayoutIdLst><p:sldLayoutId id="2147483649" r:id="rId1"/></p:sldLayoutIdLst></p:sldMaster>`,
    },
    {
      name: 'ppt/slideMasters/_rels/slideMaster1.xml.rels',
      data: relationships([
        ['rId1', 'slideLayout', '../slideLayouts/slideLayout1.xml'],
        ['rId2', 'theme', '../theme/theme1.xml'],
      ]),
    },
    { name: 'ppt/slideLayouts/slideLayout1.xml', data: `${XML}<p:sldLayout ${P}>${tree}<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>` },
    { name: 'ppt/slideLayouts/_rels/slideLayout1.xml.rels', data: relationships([['rId1', 'slideMaster', '../slideMasters/slideMaster1.xml']]) },
    { name: 'ppt/slides/slide1.xml', data: `${XML}<p:sld ${P}>${tree}<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>` },
    { name: 'ppt/slides/_rels/slide1.xml.rels', data: relationships([['rId1', 'slideLayout', '../slideLayouts/slideLayout1.xml']]) },
    { name: 'ppt/theme/theme1.xml', data: theme },
  ]);
}

const ODF_NS =
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" ' +
  'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"';

const ODF_BODIES = {
  odt: ['text', '<office:text><text:p>Hola</text:p></office:text>'],
  ods: [
    'spreadsheet',
    '<office:spreadsheet><table:table table:name="Hoja1"><table:table-row><table:table-cell office:value-type="string">' +
      '<text:p>Hola</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet>',
  ],
  odp: ['presentation', '<office:presentation><draw:page draw:name="page1" draw:master-page-name="Default"/></office:presentation>'],
} as const;

/** An OpenDocument file: `mimetype` first and stored, then the manifest and the content. */
export function odf(kind: keyof typeof ODF_BODIES, extra: readonly ZipInput[] = []): Buffer {
  const [type, body] = ODF_BODIES[kind];
  const mime = `application/vnd.oasis.opendocument.${type}`;
  const M = 'urn:oasis:names:tc:opendocument:xmlns:manifest:1.0';
  return zip([
    { name: 'mimetype', data: mime, store: true },
    {
      name: 'META-INF/manifest.xml',
      data:
        `${XML}<manifest:manifest xmlns:manifest="${M}" manifest:version="1.2">` +
        `<manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="${mime}"/>` +
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>',
    },
    { name: 'content.xml', data: `${XML}<office:document-content ${ODF_NS} office:version="1.2"><office:body>${body}</office:body></office:document-content>` },
    ...extra,
  ]);
}
