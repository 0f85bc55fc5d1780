// Writes the tiny project-made sample CSVs in data/samples/ (invented numbers, a few rows each).
// Run from the project root: node data/samples/make-samples.mjs
// Deterministic: rerunning rewrites byte-identical files.
import * as fs from 'node:fs';
import * as path from 'node:path';

const dir = path.resolve(process.cwd(), 'data/samples');

/** GBK encoder built from Node's GBK decoder (two-byte range 81-FE x 40-FE). */
function gbkEncoder() {
  const dec = new TextDecoder('gbk');
  const map = new Map();
  for (let a = 0x81; a <= 0xfe; a++) {
    for (let b = 0x40; b <= 0xfe; b++) {
      if (b === 0x7f) continue;
      const ch = dec.decode(Uint8Array.of(a, b));
      if (ch.length === 1 && ch !== '\ufffd' && !map.has(ch)) map.set(ch, [a, b]);
    }
  }
  return (text) => {
    const out = [];
    for (const ch of text) {
      const c = ch.codePointAt(0);
      if (c < 0x80) out.push(c);
      else {
        const bytes = map.get(ch);
        if (!bytes) throw new Error(`no GBK code for ${ch}`);
        out.push(...bytes);
      }
    }
    return Uint8Array.from(out);
  };
}

const files = {
  // canonical long industry bars
  'industry_bars.csv': `date,code,name,open,high,low,close,volume,amount
2024-01-02,IND01,Alpha Industry,1000,1012.5,995.2,1010,250000000,3100000000
2024-01-02,IND02,Beta Industry,2000,2031,1990,2020.4,180000000,2500000000
2024-01-03,IND01,Alpha Industry,1010,1015,1001.1,1003.2,240000000,2950000000
2024-01-03,IND02,Beta Industry,2020.4,2040,2011,2035,175000000,2480000000
2024-01-04,IND01,Alpha Industry,1003.2,1009,998,1006.6,230000000,2800000000
2024-01-04,IND02,Beta Industry,2035,2036,2001.5,2008.8,190000000,2600000000
`,
  // canonical wide close-only industry table
  'industry_close_wide.csv': `date,IND01,IND02
2024-01-02,1010,2020.4
2024-01-03,1003.2,
2024-01-04,1006.6,2008.8
`,
  // Tushare sw_daily-style export: codes .SI, vol in 10,000 shares, amount in 10,000 CNY; dates yyyymmdd, newest first
  'industry_bars_tushare_sw.csv': `ts_code,trade_date,name,open,high,low,close,vol,amount,pe,pb
801010.SI,20240103,Agri Sample,2900,2950.5,2890,2940.2,8350.5,95000.25,28.3,2.66
801780.SI,20240103,Bank Sample,3100,3120,3090,3111.1,12000,110000,5.1,0.55
801010.SI,20240102,Agri Sample,2880,2910,2870,2900,8000,90000,28,2.6
801780.SI,20240102,Bank Sample,3080,3105,3075,3100,11500,105000,5.05,0.54
`,
  // canonical stock bars (adjusted close)
  'stock_bars.csv': `date,code,close,volume,amount
2024-01-02,000001.SZ,1520.36,115836645,1075742252
2024-01-02,600000.SH,98.31,25000000,165500000
2024-01-03,000001.SZ,1518.71,73361000,673673152
2024-01-03,600000.SH,99.2,31000000,207080000
`,
  // Tushare daily (stocks): vol in lots of 100 shares, amount in thousands of CNY
  'stock_bars_tushare.csv': `ts_code,trade_date,open,high,low,close,pre_close,change,pct_chg,vol,amount
000001.SZ,20240102,9.39,9.42,9.21,9.21,9.39,-0.18,-1.917,1158366.45,1075742.252
000001.SZ,20240103,9.19,9.22,9.15,9.20,9.21,-0.01,-0.1086,733610.0,673673.152
600000.SH,20240102,6.60,6.65,6.57,6.62,6.60,0.02,0.303,250000.0,165500.0
600000.SH,20240103,6.62,6.70,6.61,6.68,6.62,0.06,0.906,310000.0,207080.0
`,
  // JoinQuant get_price(panel=False): time, code with .XSHE/.XSHG, volume in shares, money in CNY
  'stock_bars_joinquant.csv': `time,code,open,close,high,low,volume,money
2024-01-02,000001.XSHE,9.39,9.21,9.42,9.21,115836645,1075742252
2024-01-02,600000.XSHG,6.6,6.62,6.65,6.57,25000000,165500000
2024-01-03,000001.XSHE,9.19,9.2,9.22,9.15,73361000,673673152
2024-01-03,600000.XSHG,6.62,6.68,6.7,6.61,31000000,207080000
`,
  // RQData get_price: order_book_id, volume in shares, total_turnover in CNY
  'stock_bars_ricequant.csv': `order_book_id,date,open,high,low,close,volume,total_turnover
000001.XSHE,2024-01-02,9.39,9.42,9.21,9.21,115836645,1075742252
000001.XSHE,2024-01-03,9.19,9.22,9.15,9.2,73361000,673673152
`,
  'industry_membership.csv': `stock,industry,industry_name,scheme,valid_from,valid_to
000001.SZ,IND02,Beta Industry,demo_l1,2015-01-05,
600000.SH,IND02,Beta Industry,demo_l1,2015-01-05,2019-12-31
600000.SH,IND01,Alpha Industry,demo_l1,2020-01-02,2200-01-01
`,
  'fundamentals.csv': `stock,report_period,announce_date,revenue,net_profit,gross_profit,operating_cash_flow,equity,dividends
000001.SZ,2023-09-30,2023-10-25,40000000000,12000000000,,15000000000,450000000000,
000001.SZ,2023-12-31,2024-03-15,38000000000,9000000000,,-5000000000,460000000000,5500000000
600000.SH,2023q4,20240330,45000000000,8000000000,,3000000000,600000000000,4000000000
`,
  'analyst_forecasts.csv': `stock,forecast_date,broker,fiscal_year,net_profit,eps,rating
000001.SZ,2024-01-10,Broker A,2024,46000000000,2.37,5
000001.SZ,2024-01-12,Broker B,2024,45000000000,2.32,4
600000.SH,2024-01-11,Broker A,2024,30000000000,1.02,3
`,
  'index_weights.csv': `date,index,stock,weight_pct
2024-01-31,DEMO50,000001.SZ,60.5
2024-01-31,DEMO50,600000.SH,39.5
2024-02-29,DEMO50,000001.SZ,58
2024-02-29,DEMO50,600000.SH,42
`,
  // RQData index_weights export: fractions summing to 1, .XSHG/.XSHE codes, no date/index column
  'index_weights_ricequant.csv': `order_book_id,weight
000001.XSHE,0.605
600000.XSHG,0.395
`,
  'intraday_bars.csv': `date,time,code,open,high,low,close,volume
2024-01-02,09:45,IND01,1000,1003,999,1002,1000000
2024-01-02,10:00,IND01,1002,1004,1001,1003.5,900000
2024-01-02,09:45,IND02,2000,2002,1998,2001,800000
2024-01-02,10:00,IND02,2001,2003,2000,2002.5,700000
`,
  'stocks.csv': `code,name,list_date,delist_date
000001.SZ,Sample Bank,1991-04-03,
600000.SH,Sample Pudong,1999-11-10,
`,
};

fs.mkdirSync(dir, { recursive: true });
for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);

// Wind export, GBK-encoded, Chinese headers with units, dates yyyy/m/d, a Wind footer line.
const gbk = gbkEncoder();
const wind = `代码,简称,日期,开盘价(元),最高价(元),最低价(元),收盘价(元),成交量(股),成交额(元)
CI005001.WI,石油石化,2024/1/2,2413.34,2457.2,2397.69,2443.75,3028263929,21000000000
CI005001.WI,石油石化,2024/1/3,2443.75,2450,2430.1,2440.5,2800000000,19500000000
CI005002.WI,煤炭,2024/1/2,1825.49,1891.8,1825.49,1881.8,2904532541,15000000000
CI005002.WI,煤炭,2024/1/3,1881.8,1890,1860,1870.2,2600000000,14000000000
数据来源：Wind
`;
fs.writeFileSync(path.join(dir, 'industry_bars_wind_gbk.csv'), gbk(wind));

// Canonical stock bars with a UTF-8 byte-order mark (as Excel's "CSV UTF-8" writes) and CRLF line ends.
const bomText = 'date,code,close,volume\r\n2024-01-02,000001.SZ,9.21,115836645\r\n2024-01-03,000001.SZ,9.2,73361000\r\n2024-01-02,600000.SH,6.62,25000000\r\n';
fs.writeFileSync(path.join(dir, 'stock_bars_bom.csv'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(bomText, 'utf8')]));

console.log(`wrote ${Object.keys(files).length + 2} files to data/samples/`);
