/**
 * Builds the one line the warm shell runs for a script. Nothing from outside is ever pasted into
 * PowerShell source: the script path and string values become quoted literals, parameter names
 * must be plain identifiers, numbers must be finite and booleans become `-Name:$true`.
 */
import { isAbsolute } from 'node:path';

export type ScriptParameterValue = string | number | boolean;
export type ScriptParameters = Readonly<Record<string, ScriptParameterValue>>;

export class ScriptParameterError extends Error {
  override name = 'ScriptParameterError';
}

const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what this rejects
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const MAX_VALUE_LENGTH = 4096;

/**
 * A PowerShell expression whose value is `text`. Printable ASCII becomes a single-quoted literal
 * (the only special character is `'`, doubled). Anything else — including the typographic quotes
 * PowerShell also accepts as string delimiters, and any text the console code page could mangle on
 * its way through stdin — is spelled as UTF-16 code units, which even ConstrainedLanguage allows.
 */
export function powershellLiteral(text: string): string {
  if (CONTROL.test(text)) throw new ScriptParameterError('A value for PowerShell may not contain control characters.');
  if (PRINTABLE_ASCII.test(text)) return `'${text.replace(/'/g, "''")}'`;
  const codes = Array.from({ length: text.length }, (_, i) => text.charCodeAt(i));
  return `(-join [char[]]@(${codes.join(',')}))`;
}

function parameterArgument(name: string, value: ScriptParameterValue): string {
  if (!PARAMETER_NAME.test(name)) throw new ScriptParameterError(`"${name}" is not an allowed parameter name.`);
  switch (typeof value) {
    case 'boolean':
      return `-${name}:$${value ? 'true' : 'false'}`;
    case 'number':
      if (!Number.isFinite(value)) throw new ScriptParameterError(`Parameter ${name} must be a finite number.`);
      return `-${name}:${value < 0 ? `(${String(value)})` : String(value)}`;
    case 'string':
      if (value.length > MAX_VALUE_LENGTH) throw new ScriptParameterError(`Parameter ${name} is too long.`);
      return `-${name}:${powershellLiteral(value)}`;
    default:
      throw new ScriptParameterError(`Parameter ${name} has a type PowerShell scripts are not given.`);
  }
}

/** `& '<script>' -Name:'value' ...` for an absolute path to a .ps1 file. */
export function buildScriptCommand(scriptPath: string, parameters: ScriptParameters = {}): string {
  if (!isAbsolute(scriptPath) || !/\.ps1$/i.test(scriptPath)) {
    throw new ScriptParameterError(`Only .ps1 scripts given by absolute path are run (got ${JSON.stringify(scriptPath)}).`);
  }
  const args = Object.entries(parameters).map(([name, value]) => parameterArgument(name, value));
  return ['&', powershellLiteral(scriptPath), ...args].join(' ');
}
