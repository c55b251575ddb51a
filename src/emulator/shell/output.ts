/**
 * What one invocation of an emulated tool (lunash, vtl, the CloudHSM CLI) printed and how it
 * ended. Shells never write to a terminal themselves: the CLI copies these to its streams, tests
 * read them directly.
 */
export interface ShellOutput {
  /** Everything the tool printed as its normal answer. */
  stdout: string;
  /** The tool's error text, in its own words; empty on success. */
  stderr: string;
  /** 0 when every command succeeded, 1 when one failed (later commands were not run). */
  exitCode: 0 | 1;
}

/** Collects a shell's output while its commands run. */
export class OutputBuffer {
  private out: string[] = [];
  private err: string[] = [];
  private failed = false;

  /** Appends normal output; a missing final newline is added. */
  print(text: string): void {
    this.out.push(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Appends error text and marks the invocation as failed. */
  fail(text: string): void {
    this.err.push(text.endsWith('\n') ? text : `${text}\n`);
    this.failed = true;
  }

  /** Whether an error was reported. */
  get hasFailed(): boolean {
    return this.failed;
  }

  /** The finished result. */
  result(): ShellOutput {
    return { stdout: this.out.join(''), stderr: this.err.join(''), exitCode: this.failed ? 1 : 0 };
  }
}

/**
 * A refusal raised inside a shell's own argument handling (bad syntax, not logged in, unknown
 * object) carrying the exact text the tool prints. Device refusals arrive as `DeviceError` and are
 * rendered by each shell's error formatter.
 */
export class ShellRefusal extends Error {
  /** The tool's complete error text (without the trailing result line, which the shell adds). */
  readonly text: string;
  constructor(text: string) {
    super(text);
    this.name = 'ShellRefusal';
    this.text = text;
  }
}
