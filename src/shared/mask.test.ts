import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskName, maskPhone } from './mask.js';

describe('masking', () => {
  it('masks ID numbers to the first 3 and last 4', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110***********002X');
    expect(maskIdNumber('330212199003071239')).toBe('330***********1239');
    expect(maskIdNumber('330212199003071239')).toHaveLength(18);
  });
  it('masks phones to 3 + 4', () => {
    expect(maskPhone('13812348000')).toBe('138****8000');
  });
  it('masks names after the first character', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('王小明')).toBe('王**');
    expect(maskName('买买提·艾力')).toBe('买*****');
    expect(maskName('李')).toBe('*');
    expect(maskName('𠮷野家')).toBe('𠮷**'); // a character outside the BMP counts once
  });
  it('never returns short values in clear', () => {
    expect(maskPhone('1234')).toBe('****');
    expect(maskIdNumber('123')).toBe('***');
  });
});
