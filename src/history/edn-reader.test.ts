import { describe, expect, it } from 'vitest';
import { EdnReader, parseEdnValue } from './edn-reader.js';
import { parseEdnHistory } from './edn.js';

describe('EDN numbers are exact or an error', () => {
  it('Clojure BigInt and BigDecimal become ordinary numbers when exact', () => {
    expect(parseEdnValue('1N')).toBe(1);
    expect(parseEdnValue('-42N')).toBe(-42);
    expect(parseEdnValue('1.5M')).toBe(1.5);
    expect(parseEdnValue('1.50M')).toBe(1.5);
    expect(parseEdnValue('0.1M')).toBe(0.1);
    expect(parseEdnValue('2M')).toBe(2);
    expect(parseEdnValue('9007199254740991')).toBe(9007199254740991);
    expect(parseEdnValue('1152921504606846976N')).toBe(2 ** 60);
    expect(parseEdnValue('1.0e3')).toBe(1000);
    expect(Object.is(parseEdnValue('-0'), 0)).toBe(true);
  });
  it('a number with no exact JS form is an error naming its line', () => {
    const cases: [string, RegExp][] = [
      ['9007199254740993', /too large for an exact JS number/],
      ['12345678901234567890N', /too large/],
      ['0.10000000000000000001M', /more precision than a JS number/],
      ['1/2', /ratios are not read/],
      ['1e400', /out of the range/],
      ['1e-400', /too small/],
      ['0x1F', /unsupported number form/],
      ['2r101', /unsupported number form/],
      ['017', /octal/],
      ['##Inf', /not a finite number/],
      ['##NaN', /not a finite number/],
    ];
    for (const [text, message] of cases) {
      const edn = `{:process 0, :type :invoke, :f :write,\n :value ${text}}`;
      expect(() => parseEdnHistory(edn, 'h.edn'), text).toThrow(message);
      expect(() => parseEdnHistory(edn, 'h.edn'), text).toThrow(/^h\.edn: line 2: bad EDN/);
    }
  });
});

describe('EDN forms', () => {
  it('reads keywords, strings with escapes, characters, sets, tagged values, comments and discards', () => {
    expect(parseEdnValue('[:a "x\\"y\\n" \\a \\newline #{1} #inst "2020-01-01" #_ 5 nil true ; c\n 3]')).toEqual(['a', 'x"y\n', 'a', '\n', [1], '2020-01-01', null, true, 3]);
    expect(parseEdnValue('{:a 1, "b" [2], 3 :c}')).toEqual({ a: 1, b: [2], 3: 'c' });
  });
  it('tracks lines across strings and comments', () => {
    const r = new EdnReader('; one\n"two\nthree" {:a\n 1}');
    expect(r.readForm()).toMatchObject({ line: 2, endLine: 3 });
    expect(r.readForm()).toMatchObject({ line: 3, endLine: 4 });
  });
  it('reads #jepsen.history.Op records as they are stored (index, time and all)', () => {
    const h = parseEdnHistory(
      '#jepsen.history.Op{:index 0, :time 26387538, :type :invoke, :process 0, :f :read, :value nil}\n' +
        '#jepsen.history.Op{:index 1, :time 26400000, :type :ok, :process 0, :f :read, :value 3, :error nil}\n',
    );
    expect(h.ops).toEqual([
      { index: 0, time: 26387538, type: 'invoke', process: 0, f: 'read', value: null },
      { index: 1, time: 26400000, type: 'ok', process: 0, f: 'read', value: 3 },
    ]);
  });
  it('mismatched brackets and odd maps are errors with a line', () => {
    expect(() => parseEdnValue('[1 2}')).toThrow(/a vector opened at line 1 is closed by \}/);
    expect(() => parseEdnValue('{:a}')).toThrow(/key without a value/);
    expect(() => parseEdnHistory('{:process 0, :type :invoke, :type :ok, :f :read, :value nil}', 'h')).toThrow(/h: line 1: bad EDN \(a map opened at line 1 has the key :type twice\)/);
    expect(() => parseEdnHistory('[{:process 0 :type :invoke :f :read :value nil}] {:x 1}', 'h')).toThrow(/h: line 1: bad EDN \(text after the history's closing \]\)/);
  });
  it('two different EDN values that would compare equal once plain are an error naming both lines (Knossos holds them apart: the history was valid here, invalid there)', () => {
    const history = (written: string, read: string) =>
      `[{:type :invoke, :process 0, :f :write, :value ${written}}\n {:type :ok, :process 0, :f :write, :value ${written}}\n` +
      ` {:type :invoke, :process 1, :f :read, :value nil}\n {:type :ok, :process 1, :f :read, :value ${read}}]`;
    const clashes: [string, string, RegExp][] = [
      [':a', '"a"', /line 4: "a" and :a \(line 1\) are different EDN values/],
      ['a', '"a"', /"a" and a \(line 1\)/],
      ['\\a', '"a"', /"a" and \\a \(line 1\)/],
      ['1', '1.0', /line 4: 1\.0 and 1 \(line 1\)/],
      ['1.5', '1.5M', /1\.5M and 1\.5 \(line 1\)/],
      ['1', '1M', /1M and 1 \(line 1\)/],
      ['#{1 2}', '[1 2]', /\[1 2\] and #\{1 2\} \(line 1\)/],
      ['[:a 1]', '["a" 1]', /"a" and :a \(line 1\)/],
      // Map keys are text once read, and tags are dropped: these were one value here and valid.
      ['{:a 1}', '{"a" 1}', /"a" and :a \(line 1\)/],
      ['{1 :x}', '{"1" :x}', /"1" and 1 \(line 1\)/],
      ['#uuid "x"', '"x"', /"x" and #uuid "x" \(line 1\)/],
      ['#foo/bar 1', '1', /1 and #foo\/bar 1 \(line 1\)/],
      ['#foo [1 2]', '[1 2]', /\[1 2\] and #foo \[1 2\] \(line 1\)/],
      ['#foo {:a 1}', '{:a 1}', /\{:a 1\} and #foo \{:a 1\} \(line 1\)/],
    ];
    for (const [written, read, message] of clashes) {
      expect(() => parseEdnHistory(history(written, read), 'h.edn'), `${written} ${read}`).toThrow(message);
      expect(() => parseEdnHistory(history(written, read), 'h.edn'), `${written} ${read}`).toThrow(/^h\.edn: line 4: /);
    }
    // Values Clojure's = calls equal are no clash: 1 and 1N, a list and a vector, sets in any order, equal maps.
    for (const [written, read] of [['1', '1N'], ['(1 2)', '[1 2]'], ['#{1 2}', '#{2 1}'], ['{:a 1}', '{:a 1}'], [':a', ':a'], ['#uuid "x"', '#uuid "x"'], ['{:a 1 :b 2}', '{:b 2 :a 1}']]) {
      expect(parseEdnHistory(history(written, read)).ops).toHaveLength(4);
    }
    // ...and they read as one value: a set's elements come in one order whatever order they were written in.
    const sets = parseEdnHistory(history('#{1 2 [3] :a}', '#{:a [3] 2 1}')).ops;
    expect(sets[3].value).toEqual(sets[0].value);
  });
  it('independent keys written as a keyword and as a string are not merged into one key', () => {
    const text =
      '[{:type :invoke, :process 0, :f :write, :value [:k 1]}\n {:type :ok, :process 0, :f :write, :value [:k 1]}\n' +
      ' {:type :invoke, :process 1, :f :read, :value ["k" nil]}\n {:type :ok, :process 1, :f :read, :value ["k" 1]}]';
    expect(() => parseEdnHistory(text, 'h.edn')).toThrow(/h\.edn: line 3: "k" and :k \(line 1\)/);
    // A key and a value of the same name never meet: no clash.
    const fine = '[{:type :invoke, :process 0, :f :write, :value [:k "k"]}\n {:type :ok, :process 0, :f :write, :value [:k "k"]}]';
    expect(parseEdnHistory(fine).ops[0]).toMatchObject({ key: 'k', value: 'k' });
  });
  it('a process is an integer or :nemesis', () => {
    expect(parseEdnHistory('{:process :nemesis, :type :info, :f :start, :value nil}').ops[0].process).toBe('nemesis');
    expect(parseEdnHistory('{:process "nemesis", :type :info, :f :start, :value nil}').ops[0].process).toBe('nemesis');
    expect(() => parseEdnHistory('{:process "1", :type :invoke, :f :read, :value nil}', 'h')).toThrow(/h: line 1: "process" must be an integer or :nemesis \(got "1"\)/);
    expect(() => parseEdnHistory('{:process 1.5, :type :invoke, :f :read, :value nil}', 'h')).toThrow(/got 1\.5/);
    expect(() => parseEdnHistory('{:type :invoke, :f :read, :value nil}', 'h')).toThrow(/got nothing/);
    expect(() => parseEdnHistory('{:process 1, :type :done, :f :read, :value nil}', 'h')).toThrow(/h: line 1: "type" must be invoke, ok, fail or info \(got "done"\)/);
  });
});
