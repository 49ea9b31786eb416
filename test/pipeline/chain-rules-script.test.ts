import { describe, expect, it } from 'vitest';
import { chainRulesScript } from '../../src/runtime/docker-cluster.js';

describe('the one-exec iptables script a partition uses', () => {
  it('creates the chain and its INPUT jump only when missing, then replaces its rules in one restore commit', () => {
    const script = chainRulesScript('FAULTLINE-PART', [
      ['-s', '172.18.0.3', '-j', 'DROP'],
      ['-s', '172.18.0.4', '-j', 'DROP'],
    ]);
    const steps = script.split(' && ');
    expect(steps).toEqual([
      '{ iptables -w -N FAULTLINE-PART 2>/dev/null || true; }',
      '{ iptables -w -C INPUT -j FAULTLINE-PART 2>/dev/null || iptables -w -I INPUT 1 -j FAULTLINE-PART; }',
      "printf '%s\\n' '*filter' ':FAULTLINE-PART - [0:0]' '-A FAULTLINE-PART -s 172.18.0.3 -j DROP' '-A FAULTLINE-PART -s 172.18.0.4 -j DROP' 'COMMIT' | iptables-restore -w --noflush",
    ]);
  });
  it('no rules = an empty chain (heal)', () => {
    expect(chainRulesScript('FAULTLINE-PART', []).split(' && ').at(-1)).toBe("printf '%s\\n' '*filter' ':FAULTLINE-PART - [0:0]' 'COMMIT' | iptables-restore -w --noflush");
  });
  it('refuses anything the shell could interpret', () => {
    expect(() => chainRulesScript('X', [['-s', '1.2.3.4; reboot']])).toThrow(/unsafe/);
    expect(() => chainRulesScript('X$(id)', [])).toThrow(/unsafe/);
  });
});
