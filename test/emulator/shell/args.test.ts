import { describe, expect, it } from 'vitest';
import { ArgError, commandWords, normalizeDashes, parseOptions, splitCommands, type OptionSpec } from '../../../src/emulator/shell/args.js';

/** The shared reading of the emulated tools' command lines. */
describe('command words', () => {
  it.each([
    { name: 'separate arguments as they are', argv: ['hsm', 'login', '-password', 'a b'], words: ['hsm', 'login', '-password', 'a b'] },
    { name: 'one line split like a shell', argv: ['hsm login -password "a b" ; hsm show'], words: ['hsm', 'login', '-password', 'a b', ';', 'hsm', 'show'] },
    { name: "single quotes and escapes", argv: ["client show -c 'x y' z\\ w"], words: ['client', 'show', '-c', 'x y', 'z w'] },
    { name: 'a ";" glued to a word', argv: ['hsm show; client list'], words: ['hsm', 'show', ';', 'client', 'list'] },
    { name: 'typographic dashes', argv: ['haAdmin', '\u2013autoRecovery', '\u2014retry', '3'], words: ['haAdmin', '-autoRecovery', '-retry', '3'] },
    { name: 'a lone ";" argument', argv: [';'], words: [';'] },
  ])('reads $name', ({ argv, words }) => {
    expect(commandWords(argv)).toEqual(words);
  });

  it('splits sessions at ";" and drops empty commands', () => {
    expect(splitCommands(['a', 'b', ';', ';', 'c', ';'])).toEqual([['a', 'b'], ['c']]);
  });

  it('turns a doubled typographic dash into "--"', () => {
    expect(normalizeDashes('\u2013\u2013hsm-arn')).toBe('--hsm-arn');
    expect(normalizeDashes('-1')).toBe('-1');
  });
});

describe('parseOptions', () => {
  const luna: OptionSpec[] = [
    { name: 'partition', kind: 'value', aliases: ['par'] },
    { name: 'password', kind: 'value' },
    { name: 'client', kind: 'value', aliases: ['c'] },
    { name: 'force', kind: 'flag' },
  ];

  it('takes unique prefixes and aliases in any case, and a value that starts with a dash', () => {
    const args = parseOptions(['-PAR', 'p1', '-pas', '-secret-', '-c', 'app-1', '-f', 'extra'], luna, 'single');
    expect(Object.fromEntries(args.values)).toEqual({ partition: 'p1', password: '-secret-', client: 'app-1' });
    expect([...args.flags]).toEqual(['force']);
    expect(args.positionals).toEqual(['extra']);
  });

  it.each([
    { name: 'an ambiguous prefix', words: ['-pa', 'x'], kind: 'ambiguous', option: '-pa' },
    { name: 'an unknown option', words: ['-zzz'], kind: 'unknown', option: '-zzz' },
    { name: 'a missing value', words: ['-client'], kind: 'missing-value', option: '-client' },
    { name: 'a repeated option', words: ['-c', 'a', '-client', 'b'], kind: 'duplicate', option: '-client' },
  ])('refuses $name, naming only the option', ({ words, kind, option }) => {
    const err = (() => {
      try {
        parseOptions(words, luna, 'single');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ArgError);
    expect([(err as ArgError).kind, (err as ArgError).option]).toEqual([kind, option]);
  });

  it('reads --long options exactly, with "=" and lists up to the next option', () => {
    const specs: OptionSpec[] = [
      { name: 'hsm-arn', kind: 'value' },
      { name: 'tag-list', kind: 'list' },
      { name: 'verbose', kind: 'flag' },
    ];
    const args = parseOptions(['--hsm-arn=arn:x', '--tag-list', 'Key=a,Value=1', 'Key=b,Value=2', '--verbose'], specs, 'double');
    expect(args.values.get('hsm-arn')).toBe('arn:x');
    expect(args.lists.get('tag-list')).toEqual(['Key=a,Value=1', 'Key=b,Value=2']);
    expect(args.flags.has('verbose')).toBe(true);
    expect(() => parseOptions(['--hsm'], specs, 'double')).toThrow(ArgError);
  });

  it('never echoes a value-like token as an option name', () => {
    try {
      parseOptions(['-p@ss word!'], luna, 'single');
      expect.unreachable();
    } catch (err) {
      expect((err as ArgError).option).toBe('(unrecognised option)');
    }
  });
});
