import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { renderChrystokiConf, renderChrystokiConfWithoutHa, withoutHaConfiguration } from '../../src/fleet/chrystoki.js';

const seedGroup = { label: 'hapg1', serial: '1475256026', members: ['475256026', '511541022'] };

describe('renderChrystokiConf', () => {
  it('renders the 5.3 client file of the seed walkthrough', async () => {
    const conf = renderChrystokiConf({
      clientName: 'app-1',
      servers: ['10.0.1.5', '10.0.2.7'],
      groups: [seedGroup],
      ha: { autoRecovery: true, retry: -1, interval: 60 },
    });
    await expect(conf).toMatchFileSnapshot('__golden__/chrystoki-seed.conf');
    expect(conf).toContain('VirtualToken00Members = 475256026,511541022;');
    expect(conf).toContain('   reconnAtt = -1;\n   AutoReconnectInterval = 60;\n   HAOnly = 1;\n}\n');
  });

  it('renders two groups and several servers with 5.1 paths', async () => {
    const conf = renderChrystokiConf({
      clientName: 'batch',
      servers: ['10.0.3.9', '10.0.1.5', '10.0.2.7'],
      groups: [
        { label: 'hapg2', serial: '1511541031', members: ['511541031'] },
        seedGroup,
      ],
      ha: { autoRecovery: false, retry: 10, interval: 120 },
      clientVersion: '5.1',
    });
    await expect(conf).toMatchFileSnapshot('__golden__/chrystoki-two-groups-5.1.conf');
  });

  it('depends only on the sets given, not on their order', () => {
    const ha = { autoRecovery: true, retry: 3, interval: 90 };
    const g2 = { label: 'hapg2', serial: '1511541031', members: ['511541031'] };
    const a = renderChrystokiConf({ clientName: 'c', servers: ['10.0.2.7', '10.0.10.1', '10.0.1.5'], groups: [seedGroup, g2], ha });
    const b = renderChrystokiConf({ clientName: 'c', servers: ['10.0.1.5', '10.0.2.7', '10.0.10.1', '10.0.1.5'], groups: [g2, seedGroup], ha });
    expect(a).toBe(b);
    expect(a.indexOf('10.0.2.7')).toBeLessThan(a.indexOf('10.0.10.1'));
  });

  it('writes reconnAtt 0 when autoRecovery is disabled', () => {
    const conf = renderChrystokiConf({ clientName: 'c', servers: [], groups: [], ha: { autoRecovery: false, retry: -1, interval: 60 } });
    expect(conf).toContain('reconnAtt = 0;');
    expect(conf).not.toContain('VirtualToken');
    expect(conf).not.toContain('ServerName00');
  });

  it('leaves HAConfiguration out for comparisons', () => {
    const input = { clientName: 'c', servers: ['10.0.1.5'], groups: [seedGroup] };
    const a = renderChrystokiConf({ ...input, ha: { autoRecovery: true, retry: -1, interval: 60 } });
    const b = renderChrystokiConf({ ...input, ha: { autoRecovery: true, retry: 10, interval: 600 } });
    expect(a).not.toBe(b);
    expect(withoutHaConfiguration(a)).toBe(withoutHaConfiguration(b));
    expect(withoutHaConfiguration(a)).not.toContain('reconnAtt');
    expect(withoutHaConfiguration(a)).toContain('HASynchronize');
  });

  it('renders the file without HAConfiguration exactly as stripping it from the whole file does', () => {
    const serial = fc.stringMatching(/^[0-9]{6,9}$/);
    const input = fc.record({
      clientName: fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/),
      servers: fc.array(fc.ipV4(), { maxLength: 6 }),
      groups: fc.array(fc.record({ label: fc.stringMatching(/^[A-Za-z0-9_.-]{1,10}$/), serial, members: fc.array(serial, { maxLength: 4 }) }), { maxLength: 3 }),
      ha: fc.record({ autoRecovery: fc.boolean(), retry: fc.integer({ min: -1, max: 500 }), interval: fc.integer({ min: 1, max: 3600 }) }),
      clientVersion: fc.constantFrom('5.1' as const, '5.3' as const),
    });
    fc.assert(
      fc.property(input, (x) => {
        expect(renderChrystokiConfWithoutHa(x)).toBe(withoutHaConfiguration(renderChrystokiConf(x)));
      }),
      { numRuns: 200 },
    );
  });
});
