/** A start-up failure a person can act on: what went wrong and the command or change that fixes it. */
export class StackError extends Error {
  constructor(message: string, readonly fix: string, readonly logFile?: string) {
    super(message);
    this.name = 'StackError';
  }

  describe(): string {
    const log = this.logFile ? `\n  log: ${this.logFile}` : '';
    return `✖ ${this.message}\n  fix: ${this.fix}${log}`;
  }
}
