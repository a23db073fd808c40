"""Writes excel_style.xlsx: a small workbook laid out the way Excel saves one
(styles, shared strings with rich text, the sheet as xl/worksheets/data.xml),
for the XLSX reader's test. Run from this folder: python3 make_xlsx.py"""
import zipfile

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
parts = {
    "[Content_Types].xml": HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/></Types>',
    "_rels/.rels": HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": HEAD + f'<workbook {NS} {R}><bookViews><workbookView/></bookViews>'
    '<sheets><sheet name="Data" sheetId="7" r:id="rId3"/><sheet name="Other" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/data.xml"/>'
    '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    '</Relationships>',
    "xl/sharedStrings.xml": HEAD + f'<sst {NS} count="6" uniqueCount="6">'
    '<si><t>city_code</t></si><si><t>year</t></si><si><t>name</t></si><si><t>flag</t></si>'
    '<si><t>石家庄市</t></si><si><r><rPr><b/></rPr><t>邯郸</t></r><r><t xml:space="preserve"> city</t></r></si>'
    '<si><t>gdp_pc</t></si></sst>',
    "xl/worksheets/sheet1.xml": HEAD + f'<worksheet {NS}><sheetData><row r="1"><c r="A1"><v>99</v></c></row></sheetData></worksheet>',
    "xl/worksheets/data.xml": HEAD + f'<worksheet {NS}><dimension ref="A1:E5"/><sheetData>'
    '<row r="1" spans="1:5"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>'
    '<c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>6</v></c></row>'
    '<row r="2" spans="1:5"><c r="A2"><v>130100</v></c><c r="B2" s="1"><v>2006</v></c><c r="C2" t="s"><v>4</v></c>'
    '<c r="D2" t="b"><v>1</v></c><c r="E2"><f>35000+542</f><v>35542</v></c></row>'
    '<row r="3"><c r="A3"><v>130400</v></c><c r="B3"><v>2006</v></c><c r="C3" t="s"><v>5</v></c>'
    '<c r="D3" t="b"><v>0</v></c><c r="E3" t="str"><f>"2.5"</f><v>2.5</v></c></row>'
    '<row r="4"><c r="A4" s="2"/></row>'
    '<row r="5"><c r="A5"><v>130400</v></c><c r="B5"><v>2007</v></c><c r="C5" t="inlineStr"><is><t>inline</t></is></c></row>'
    '</sheetData></worksheet>',
}
with zipfile.ZipFile("excel_style.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    for name, body in parts.items():
        info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, body)
